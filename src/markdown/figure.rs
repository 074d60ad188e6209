//! Pictures with a caption, as many generators make them: an image alone in its paragraph with a
//! title, `![Alt text](photo.jpg "Caption")`, becomes
//! `<figure><img src="photo.jpg" alt="Alt text"><figcaption>Caption</figcaption></figure>`.
//! The alt text describes the picture for who cannot see it; the caption is read by everyone.
//! The `<img>` inside is processed as any other (sizes, smaller copies, `srcset`).

use pulldown_cmark::{CowStr, Event, Tag};

use super::Typography;

/// When the paragraph opened at `open` in `out` (its `Start(Paragraph)`) holds one titled
/// image and nothing but whitespace around it: makes it a figure (the paragraph's tags become
/// `<figure>` and the caption) and returns true; else leaves `out` as it is.
pub(crate) fn make_figure(out: &mut Vec<Event<'_>>, open: usize, typography: Typography) -> bool {
    let Some(events) = out.get(open + 1..) else {
        return false;
    };
    let blank = |e: &Event| match e {
        Event::Text(t) => t.trim().is_empty(),
        Event::SoftBreak => true,
        _ => false,
    };
    let Some(start) = events.iter().position(|e| !blank(e)) else {
        return false;
    };
    let Some(end) = events.iter().rposition(|e| !blank(e)) else {
        return false;
    };
    let (Event::Start(Tag::Image { title, .. }), Event::End(pulldown_cmark::TagEnd::Image)) =
        (&events[start], &events[end])
    else {
        return false;
    };
    // One image: no other one between its start and its end (an image's alt holds text only).
    let nested = events[start + 1..end]
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Image { .. })));
    if nested || title.trim().is_empty() {
        return false;
    }
    let caption = super::typography::typeset_text(title.trim(), typography, false);
    let mut html = String::from("<figcaption>");
    crate::text::escape::escape_html_into(&mut html, &caption);
    html.push_str("</figcaption></figure>\n");
    // The caption says it: no title tooltip repeating it on the picture.
    if let Some(Event::Start(Tag::Image { title, .. })) = out.get_mut(open + 1 + start) {
        *title = CowStr::Borrowed("");
    }
    out[open] = Event::Html(CowStr::Borrowed("<figure>"));
    out.push(Event::Html(CowStr::from(html)));
    true
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::markdown::{MarkdownOptions, Typography, render};

    fn html(source: &str, typography: Typography) -> String {
        let options = MarkdownOptions {
            typography,
            ..MarkdownOptions::default()
        };
        render(source, &options).html
    }

    #[test]
    fn a_titled_image_alone_in_its_paragraph_is_a_figure() {
        assert_eq!(
            html(
                "![Des agents devant un écran](photo.jpg \"L'équipe <au> travail : 2024\")\n",
                Typography::French
            ),
            "<figure><img src=\"photo.jpg\" alt=\"Des agents devant un écran\" /><figcaption>L’équipe &lt;au&gt; travail\u{a0}: 2024</figcaption></figure>\n"
        );
        // Whitespace around it is still "alone".
        assert!(html("  ![a](b.png \"Légende\")  \n", Typography::None).starts_with("<figure>"));
    }

    #[test]
    fn other_images_stay_in_their_paragraph() {
        for source in [
            "![a](b.png)\n",
            "![a](b.png \"  \")\n",
            "Texte ![a](b.png \"Légende\")\n",
            "![a](b.png \"Un\") ![c](d.png \"Deux\")\n",
            "[![a](b.png \"Légende\")](https://exemple.fr)\n",
        ] {
            let out = html(source, Typography::None);
            assert!(out.starts_with("<p>"), "{source}: {out}");
            assert!(!out.contains("figure"), "{source}: {out}");
        }
    }

    #[test]
    fn a_figure_is_not_the_summary() {
        let options = MarkdownOptions::default();
        let rendered = render("![a](b.png \"Légende\")\n\nLe texte.\n", &options);
        assert_eq!(rendered.summary_html.as_deref(), Some("<p>Le texte.</p>\n"));
    }
}
