//! The preview's side of the browser: the script it adds to each page it serves, which reloads
//! the page when it changes and tells which page it shows, and what the server does with that:
//! the pages browsers show are made first, served while the others are rendered.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use crate::preview::live::EarlyPages;
use crate::preview::serve::{AppState, Lookup, Shared, lookup, request_key, under_base};

/// Serves the pages made first while an update renders the rest, and reloads the browsers if
/// one of them changed.
pub(crate) fn publish_early(state: &Shared, pages: EarlyPages) {
    state.serve(pages.files, pages.base_path);
    state.updated.notify_waiters();
    if !pages.changed.is_empty() {
        let _ = state.reload.send("reload");
    }
}

/// What the request path `request_path` finds in what is served now, as the page handler finds
/// it; None for a path outside the site.
fn find(state: &Shared, request_path: &str) -> Option<Lookup> {
    let path = under_base(request_path, &state.served_base_path()).ok()?;
    let key = request_key(&path).ok()?;
    Some(lookup(&state.served_files(), &key))
}

/// The output paths of the pages browsers show now.
pub(crate) fn viewed_outputs(state: &Shared) -> Vec<String> {
    let paths: Vec<String> = state
        .viewed
        .lock()
        .map(|viewed| viewed.keys().cloned().collect())
        .unwrap_or_default();
    paths
        .iter()
        .filter_map(|path| match find(state, path)? {
            Lookup::Found(found, _) => Some(found),
            _ => None,
        })
        .collect()
}

/// While an update is under way, a request for a page not there yet waits for the update (the
/// first build serves the home page before the rest is rendered; a stylesheet follows).
pub(crate) async fn await_update_if_missing(state: &Shared, request_path: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(8);
    loop {
        let notified = state.updated.notified();
        let served = !matches!(find(state, request_path), Some(Lookup::Missing));
        if !state.updating.load(Ordering::SeqCst) || served {
            return;
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return;
        }
    }
}

/// The script that reloads the page (keeping the scroll position) or swaps stylesheets.
const RELOAD_SCRIPT: &str = r#"<script data-gazette-reload>(function(){
var k='gazette-scroll:'+location.pathname;
var y=sessionStorage.getItem(k);
if(y!==null){sessionStorage.removeItem(k);var go=function(){window.scrollTo({top:parseFloat(y),left:0,behavior:'instant'});};
if(document.readyState==='complete'){go();}else{window.addEventListener('load',go);}}
var es=new EventSource('/__gazette/events?page='+encodeURIComponent(location.pathname));
es.addEventListener('reload',function(){sessionStorage.setItem(k,String(window.scrollY));location.reload();});
es.addEventListener('css',function(){
var swap=function(fresh){document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l,i){
var u=new URL(fresh[i]||l.href,location.href);u.searchParams.set('gazette',Date.now());
var n=l.cloneNode();n.href=u.toString();n.onload=function(){l.remove();};l.after(n);});};
fetch(location.href,{cache:'no-store'}).then(function(r){return r.text();}).then(function(t){
var d=new DOMParser().parseFromString(t,'text/html');
var fresh=[].map.call(d.querySelectorAll('link[rel="stylesheet"]'),function(l){return l.getAttribute('href');});
swap(fresh.length===document.querySelectorAll('link[rel="stylesheet"]').length?fresh:[]);
}).catch(function(){swap([]);});});
})();</script>"#;

/// Adds the reload script, and the error overlay or else the warnings panel, before `</body>`,
/// or at the end.
pub(crate) fn inject(html: &[u8], error: Option<&str>, warnings: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut extra = String::from(RELOAD_SCRIPT);
    if let Some(shown) = error.or(warnings) {
        extra.push_str(shown);
    }
    let lower = text.to_ascii_lowercase();
    match lower.rfind("</body>") {
        Some(at) => {
            let mut out = String::with_capacity(text.len() + extra.len());
            out.push_str(&text[..at]);
            out.push_str(&extra);
            out.push_str(&text[at..]);
            out.into_bytes()
        }
        None => {
            let mut out = text.into_owned();
            out.push_str(&extra);
            out.into_bytes()
        }
    }
}

/// `?page=`: the path of the page listening (the reload script sends `location.pathname`).
#[derive(serde::Deserialize)]
pub(crate) struct Listening {
    page: Option<String>,
}

/// A browser tab showing a page, for as long as it listens for reloads.
struct Viewing {
    state: AppState,
    page: String,
}

impl Viewing {
    fn start(state: &AppState, page: String) -> Viewing {
        if let Ok(mut viewed) = state.viewed.lock() {
            *viewed.entry(page.clone()).or_insert(0) += 1;
        }
        Viewing {
            state: Arc::clone(state),
            page,
        }
    }
}

impl Drop for Viewing {
    fn drop(&mut self) {
        if let Ok(mut viewed) = self.state.viewed.lock()
            && let Some(count) = viewed.get_mut(&self.page)
        {
            *count -= 1;
            if *count == 0 {
                viewed.remove(&self.page);
            }
        }
    }
}

pub(crate) async fn events(
    State(state): State<AppState>,
    Query(listening): Query<Listening>,
) -> Response {
    let Ok(permit) = Arc::clone(&state.listeners).try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "too many reload listeners").into_response();
    };
    let viewing = listening
        .page
        .filter(|page| page.starts_with('/') && page.len() <= 2048)
        .map(|page| Viewing::start(&state, page));
    let stream = BroadcastStream::new(state.reload.subscribe()).filter_map(move |message| {
        let _held = (&permit, &viewing);
        message
            .ok()
            .map(|kind| Ok::<_, std::convert::Infallible>(Event::default().event(kind).data(kind)))
    });
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
