//! `rules.collections.<name>`: required fields, allowed values, handles, https addresses, images,
//! avatars, and a URL field that must equal the page gazette writes. (References to missing records,
//! body files naming no record and repeated keys are found while loading, for every site.)

use serde_json::Value;

use super::images;
use super::posts::bad_handle;
use super::{Context, Lang, finding};
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
    /// A handle written as a URL or with `@`.
    Handle {
        field: &'a str,
        value: &'a str,
        handle: String,
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

/// The rule's messages, English and French side by side.
pub(crate) fn text(lang: Lang, msg: &Msg) -> (String, String) {
    match msg {
        Msg::Required { record, field } => lang.pick(
            (format!("`{record}` has no `{field}`, which every record here needs"), format!("add `{field}: ...` under `{record}`, indented like its other fields")),
            (format!("`{record}` n'a pas de `{field}`, obligatoire pour chaque fiche ici"), format!("ajoutez `{field}: ...` sous `{record}`, avec le même retrait que ses autres champs")),
        ),
        Msg::Enum { record, field, value, allowed } => lang.pick(
            (format!("`{field}` of `{record}` is `{value}`, which is not an allowed value"), format!("use one of: {allowed}")),
            (format!("`{field}` de `{record}` vaut `{value}`, qui n'est pas une valeur permise"), format!("utilisez l'une de : {allowed}")),
        ),
        Msg::Handle { field, value, handle } => lang.pick(
            (format!("`{field}` must hold the account name only, not `{value}`"), format!("write `{field}: {handle}` (no @, no address)")),
            (format!("`{field}` ne doit contenir que le nom du compte, pas `{value}`"), format!("écrivez `{field}: {handle}` (sans @ ni adresse)")),
        ),
        Msg::Https { field, value } => lang.pick(
            (format!("`{field}` must be a full address starting with https://, not `{value}`"), format!("write `{field}: https://{}`", value.trim_start_matches("http://"))),
            (format!("`{field}` doit être une adresse complète commençant par https://, pas `{value}`"), format!("écrivez `{field}: https://{}`", value.trim_start_matches("http://"))),
        ),
        Msg::Url { field, value, url } => lang.pick(
            (format!("`{field}` is `{value}`, but this record's page is {url}"), format!("write `{field}: {url}` (or remove `{field}`: templates can use the record's `url`)")),
            (format!("`{field}` vaut `{value}`, mais la page de cette fiche est {url}"), format!("écrivez `{field}: {url}` (ou supprimez `{field}` : les gabarits peuvent utiliser l'`url` de la fiche)")),
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
    let text_of = ctx
        .site
        .data
        .values()
        .find(|d| d.file == collection.file)
        .map(|d| d.text.as_str())
        .unwrap_or("");
    let mut found = Vec::new();
    for record in &collection.records {
        check_record(ctx, collection, rules, record, text_of, &mut found);
    }
    found
}

fn check_record(
    ctx: &Context,
    collection: &Collection,
    rules: &RecordRules,
    record: &Record,
    text_of: &str,
    found: &mut Vec<Diagnostic>,
) {
    let file = &collection.file;
    let at = |field: &str, value: Option<&str>| -> (usize, usize) {
        let line =
            crate::source::yaml::field_line(text_of, record.line, field).unwrap_or(record.line);
        let column = value
            .and_then(|v| {
                text_of
                    .lines()
                    .nth(line - 1)
                    .and_then(|l| l.rfind(v).map(|c| l[..c].chars().count() + 1))
            })
            .unwrap_or(1);
        (line, column)
    };
    let key = record.key.as_str();
    for field in &rules.required {
        if !record.fields.contains_key(field) {
            found.push(finding(
                Severity::Error,
                "record-required",
                file,
                record.line,
                1,
                text(ctx.lang, &Msg::Required { record: key, field }),
            ));
        }
    }
    for (field, allowed) in &rules.enums {
        if let Some(value) = record.fields.get(field)
            && !allowed.contains(value)
        {
            let value_text = shown(value);
            let (line, column) = at(field, Some(&value_text));
            let allowed_text = allowed.iter().map(shown).collect::<Vec<_>>().join(", ");
            found.push(finding(
                Severity::Error,
                "record-enum",
                file,
                line,
                column,
                text(
                    ctx.lang,
                    &Msg::Enum {
                        record: key,
                        field,
                        value: value_text,
                        allowed: allowed_text,
                    },
                ),
            ));
        }
    }
    for field in &rules.handles {
        if let Some(Value::String(value)) = record.fields.get(field)
            && let Some(handle) = bad_handle(value)
        {
            let (line, column) = at(field, Some(value));
            found.push(finding(
                Severity::Error,
                "handle",
                file,
                line,
                column,
                text(
                    ctx.lang,
                    &Msg::Handle {
                        field,
                        value,
                        handle,
                    },
                ),
            ));
        }
    }
    for field in &rules.https {
        if let Some(Value::String(value)) = record.fields.get(field)
            && !value.trim().is_empty()
            && !value.trim().starts_with("https://")
        {
            let (line, column) = at(field, Some(value));
            found.push(finding(
                Severity::Error,
                "https",
                file,
                line,
                column,
                text(ctx.lang, &Msg::Https { field, value }),
            ));
        }
    }
    for field in &rules.images {
        if let Some(Value::String(value)) = record.fields.get(field)
            && let Err(message) = images::check_value(ctx, field, value, false)
        {
            let (line, column) = at(field, Some(value));
            found.push(finding(
                Severity::Error,
                "image",
                file,
                line,
                column,
                message,
            ));
        }
    }
    if let Some(avatar) = &rules.avatar
        && let Some(Value::String(value)) = record.fields.get(&avatar.field)
    {
        let (line, column) = at(&avatar.field, Some(value));
        match images::check_value(ctx, &avatar.field, value, false) {
            Ok(Some(output)) => {
                if let Some(message) =
                    images::check_avatar(ctx, &avatar.field, value, output, avatar.min_width)
                {
                    found.push(finding(
                        Severity::Error,
                        "avatar",
                        file,
                        line,
                        column,
                        message,
                    ));
                }
            }
            Ok(None) => {}
            Err(message) => {
                if !rules.images.contains(&avatar.field) {
                    found.push(finding(
                        Severity::Error,
                        "image",
                        file,
                        line,
                        column,
                        message,
                    ));
                }
            }
        }
    }
    if let Some(field) = &rules.url_field
        && let Some(Value::String(value)) = record.fields.get(field)
        && value.trim() != record.url
    {
        let (line, column) = at(field, Some(value));
        found.push(finding(
            Severity::Error,
            "record-url",
            file,
            line,
            column,
            text(
                ctx.lang,
                &Msg::Url {
                    field,
                    value,
                    url: &record.url,
                },
            ),
        ));
    }
}
