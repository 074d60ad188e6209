//! Videos written as Markdown images, `![Le bootcamp en images](https://www.youtube.com/watch?v=…)`:
//! instead of an `<iframe>` that loads the host's player (and its trackers) with the page, a
//! placeholder that makes no request to the video's host: a link to the video and a button that
//! loads the player when the reader asks for it (`data-embed`, used by the theme's script).

/// A video host gazette knows, and the address of its player for one video.
pub(crate) struct Video {
    /// The host's name, for the reader (`YouTube`).
    pub(crate) host: &'static str,
    /// The player's address (privacy-enhanced where the host has one).
    pub(crate) player: String,
}

/// The video at `url`, when it is one of YouTube, Dailymotion, Vimeo or a PeerTube instance.
pub(crate) fn video(url: &str) -> Option<Video> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let id_of = |s: &str| {
        let id = s.split(['/', '#', '&']).next().unwrap_or("");
        (!id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| id.to_string())
    };
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
    };
    let (name, player) = match host {
        "youtube.com" => {
            let id = match path {
                "watch" => id_of(param("v")?)?,
                _ => id_of(
                    path.strip_prefix("embed/")
                        .or_else(|| path.strip_prefix("shorts/"))?,
                )?,
            };
            (
                "YouTube",
                format!("https://www.youtube-nocookie.com/embed/{id}"),
            )
        }
        "youtu.be" => (
            "YouTube",
            format!("https://www.youtube-nocookie.com/embed/{}", id_of(path)?),
        ),
        "dailymotion.com" => {
            let id = id_of(
                path.strip_prefix("video/")
                    .or_else(|| path.strip_prefix("embed/video/"))?,
            )?;
            (
                "Dailymotion",
                format!("https://www.dailymotion.com/embed/video/{id}"),
            )
        }
        "dai.ly" => (
            "Dailymotion",
            format!("https://www.dailymotion.com/embed/video/{}", id_of(path)?),
        ),
        "vimeo.com" => {
            let id = id_of(path).filter(|id| id.bytes().all(|b| b.is_ascii_digit()))?;
            (
                "Vimeo",
                format!("https://player.vimeo.com/video/{id}?dnt=1"),
            )
        }
        peertube => {
            // PeerTube instances have their own host names: known by their paths.
            let id = id_of(
                path.strip_prefix("w/")
                    .or_else(|| path.strip_prefix("videos/watch/"))?,
            )?;
            if !peertube
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            {
                return None;
            }
            ("PeerTube", format!("https://{peertube}/videos/embed/{id}"))
        }
    };
    Some(Video { host: name, player })
}

/// The placeholder for `video` (a link to `url`, titled `title`), with its words in French or
/// English. `url` and `title` are escaped here.
pub(crate) fn placeholder(video: &Video, url: &str, title: &str, french: bool) -> String {
    let title = escape(title);
    let url = escape(url);
    let (watch, load) = if french {
        ("regarder sur", "Charger la vidéo depuis")
    } else {
        ("watch on", "Load the video from")
    };
    format!(
        "<span class=\"video-embed\" data-embed=\"{player}\" data-title=\"{title}\"><a class=\"video-embed__link\" href=\"{url}\">{title} ({watch} {host})</a> <button type=\"button\" class=\"video-embed__load\" hidden>{load} {host}</button></span>",
        player = escape(&video.player),
        host = video.host,
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::video;

    #[test]
    fn video_hosts_are_recognised() {
        let player = |url: &str| video(url).map(|v| v.player);
        assert_eq!(
            player("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
        );
        assert_eq!(
            player("https://youtu.be/dQw4w9WgXcQ").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
        );
        assert_eq!(
            player("https://www.dailymotion.com/video/x7tgad0").as_deref(),
            Some("https://www.dailymotion.com/embed/video/x7tgad0")
        );
        assert_eq!(
            player("https://vimeo.com/76979871").as_deref(),
            Some("https://player.vimeo.com/video/76979871?dnt=1")
        );
        assert_eq!(
            player("https://tube.numerique.gouv.fr/w/abc-DEF_1").as_deref(),
            Some("https://tube.numerique.gouv.fr/videos/embed/abc-DEF_1")
        );
        assert!(video("https://example.org/img/photo.jpg").is_none());
        assert!(video("/img/photo.jpg").is_none());
        assert!(video("https://www.youtube.com/watch?v=a\"b").is_none());
    }
}
