//! `rules.collections.<name>`: required fields, allowed values, handles, https addresses, images,
//! avatars, and a URL field that must equal the page gazette writes. (References to missing records,
//! body files naming no record and repeated keys are found while loading, for every site.)

use crate::diagnostic::{Rule, Text};
use crate::msg;
use std::path::Path;

use serde_json::Value;

use super::handles;
use super::images;
use super::{Context, column_at, finding};
use crate::diagnostic::{Diagnostic, Severity};
use crate::site::{Collection, Record};
use crate::source::config::RecordRules;

/// What can be wrong with a record.
pub(crate) enum Msg<'a> {
    /// A required field is absent.
    Required { record: &'a str, field: &'a str },
    /// A value outside the allowed ones.
    Enum {
        record: &'a str,
        field: &'a str,
        value: String,
        allowed: String,
    },
    /// An address not starting with https://.
    Https { field: &'a str, value: &'a str },
    /// The URL field differs from the real page URL.
    Url {
        field: &'a str,
        value: &'a str,
        url: &'a str,
    },
}

/// The rule's messages (sentences of the catalogue).
pub(crate) fn text(msg: &Msg) -> (Text, Text) {
    match msg {
        Msg::Required { record, field } => (
            msg!(
                "`{record}` has no `{field}`, which every record here needs",
                record,
                field
            ),
            msg!(
                "add `{field}: ...` under `{record}`, indented like its other fields",
                field,
                record
            ),
        ),
        Msg::Enum {
            record,
            field,
            value,
            allowed,
        } => (
            msg!(
                "`{field}` of `{record}` is `{value}`, which is not an allowed value",
                field,
                record,
                value
            ),
            msg!("use one of: {allowed}", allowed),
        ),
        Msg::Https { field, value } => (
            msg!(
                "`{field}` must be a full address starting with https://, not `{value}`",
                field,
                value
            ),
            msg!(
                "write `{field}: https://{rest}`",
                field,
                rest = value.trim_start_matches("http://")
            ),
        ),
        Msg::Url { field, value, url } => (
            msg!(
                "`{field}` is `{value}`, but this record's page is {url}",
                field,
                value,
                url
            ),
            msg!(
                "write `{field}: {url}` (or remove `{field}`: templates can use the record's `url`)",
                field,
                url
            ),
        ),
    }
}

/// Shows a YAML value as it is written.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "(empty)".to_string(),
        other => other.to_string(),
    }
}

/// Runs the rules of one collection.
pub(crate) fn check(
    ctx: &Context,
    collection: &Collection,
    rules: &RecordRules,
) -> Vec<Diagnostic> {
    // The data file's text, to point at the line of each field (the model keeps values only).
    let text = ctx
        .site
        .data
        .values()
        .find(|d| d.file == collection.file)
        .map(|d| d.text.as_str())
        .unwrap_or("");
    let mut found = Vec::new();
    for record in &collection.records {
        // With `layout: files`, a record's fields are in its own file.
        let (file, text) = match &record.own_file {
            Some(own) => (own.file.as_path(), own.text.as_str()),
            None => (collection.file.as_path(), text),
        };
        let one = RecordCheck {
            ctx,
            file,
            record,
            text,
        };
        found.extend(one.findings(rules));
    }
    found
}

/// One record being checked, with what its findings need: the file and text it is written in.
struct RecordCheck<'a, 'c> {
    ctx: &'a Context<'c>,
    file: &'a Path,
    record: &'a Record,
    text: &'a str,
}

impl RecordCheck<'_, '_> {
    /// Every rule over the record, in the order its findings are listed.
    fn findings(&self, rules: &RecordRules) -> Vec<Diagnostic> {
        let mut found = self.missing_fields(rules);
        found.extend(self.values_not_allowed(rules));
        found.extend(self.bad_handles(rules));
        found.extend(self.plain_http(rules));
        found.extend(self.bad_images(rules));
        found.extend(self.bad_avatar(rules));
        found.extend(self.wrong_url(rules));
        found
    }

    /// A field's value when it is a string (other values are not addresses, handles or paths).
    fn string(&self, field: &str) -> Option<&str> {
        match self.record.fields.get(field) {
            Some(Value::String(value)) => Some(value),
            _ => None,
        }
    }

    /// Where `field: value` is written: the field's line within the record (else the record's
    /// own line), and the column of the value's last occurrence on it (else 1). The last, since
    /// the value comes after the key, which may contain the same text.
    fn position(&self, field: &str, value: &str) -> (usize, usize) {
        let own = self.record.own_file.as_ref();
        let line = crate::site::record_files::field_line(own, self.text, self.record.line, field)
            .unwrap_or(self.record.line);
        let column = self
            .text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.rfind(value).map(|c| column_at(l, c)))
            .unwrap_or(1);
        (line, column)
    }

    /// Every finding of these rules is an error in the collection's file.
    fn error(&self, rule: Rule, (line, column): (usize, usize), text: (Text, Text)) -> Diagnostic {
        finding(Severity::Error, rule, self.file, line, column, text)
    }

    /// `record-required`: each field of `rules.required` the record lacks, on the record's line.
    fn missing_fields(&self, rules: &RecordRules) -> Vec<Diagnostic> {
        let record = self.record.key.as_str();
        rules
            .required
            .iter()
            .filter(|field| super::is_blank(self.record.fields.get(*field)))
            .map(|field| {
                let msg = Msg::Required { record, field };
                self.error(Rule::RecordRequired, (self.record.line, 1), text(&msg))
            })
            .collect()
    }

    /// `record-enum`: each field of `rules.enums` holding a value outside its list.
    fn values_not_allowed(&self, rules: &RecordRules) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for (field, allowed) in &rules.enums {
            if let Some(value) = self.record.fields.get(field)
                && !allowed.contains(value)
            {
                let value = shown(value);
                let at = self.position(field, &value);
                let msg = Msg::Enum {
                    record: &self.record.key,
                    field,
                    value,
                    allowed: allowed.iter().map(shown).collect::<Vec<_>>().join(", "),
                };
                found.push(self.error(Rule::RecordEnum, at, text(&msg)));
            }
        }
        found
    }

    /// `handle`: each field of `rules.handles` written as an address or with `@`.
    fn bad_handles(&self, rules: &RecordRules) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for field in &rules.handles {
            if let Some(value) = self.string(field)
                && let Some(handle) = handles::bad_handle(value)
            {
                let at = self.position(field, value);
                let text = handles::text(field, value, &handle);
                found.push(self.error(Rule::Handle, at, text));
            }
        }
        found
    }

    /// `https`: each field of `rules.https` holding an address that does not start with
    /// https:// (empty values are left to `rules.required`).
    fn plain_http(&self, rules: &RecordRules) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for field in &rules.https {
            if let Some(value) = self.string(field)
                && !value.trim().is_empty()
                && !value.trim().starts_with("https://")
            {
                let at = self.position(field, value);
                let msg = Msg::Https { field, value };
                found.push(self.error(Rule::Https, at, text(&msg)));
            }
        }
        found
    }

    /// `image`: each field of `rules.images` naming an image that is not served (or not as
    /// written).
    fn bad_images(&self, rules: &RecordRules) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for field in &rules.images {
            if let Some(value) = self.string(field)
                && let Err(message) = images::check_value(self.ctx, field, value, false)
            {
                found.push(self.error(Rule::Image, self.position(field, value), message));
            }
        }
        found
    }

    /// `avatar`: the picture of `rules.avatar` must be square and wide enough; when it is not
    /// served at all, that is an `image` finding.
    fn bad_avatar(&self, rules: &RecordRules) -> Option<Diagnostic> {
        let avatar = rules.avatar.as_ref()?;
        let value = self.string(&avatar.field)?;
        let at = self.position(&avatar.field, value);
        match images::check_value(self.ctx, &avatar.field, value, false) {
            Ok(Some(output)) => {
                images::check_avatar(self.ctx, &avatar.field, value, output, avatar.min_width)
                    .map(|message| self.error(Rule::Avatar, at, message))
            }
            Ok(None) => None,
            // A field also listed in `rules.images` was reported by `bad_images` already.
            Err(message) => (!rules.images.contains(&avatar.field))
                .then(|| self.error(Rule::Image, at, message)),
        }
    }

    /// `record-url`: the field of `rules.url_field` must hold the address of the record's page.
    fn wrong_url(&self, rules: &RecordRules) -> Option<Diagnostic> {
        let field = rules.url_field.as_ref()?;
        let value = self.string(field)?;
        if value.trim() == self.record.url {
            return None;
        }
        let msg = Msg::Url {
            field,
            value,
            url: &self.record.url,
        };
        Some(self.error(Rule::RecordUrl, self.position(field, value), text(&msg)))
    }
}
