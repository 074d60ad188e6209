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
