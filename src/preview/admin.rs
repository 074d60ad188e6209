//! `/admin/` in the preview: the Decap CMS editor ([`crate::admin`]), its configuration made from
//! site.yml at each request, and its local backend at `/api/v1`. Only for a client on this very
//! machine (loopback), asking by a loopback name (no DNS rebinding) and, for the API, from a
//! page of the preview itself (no other site's page can post to it).

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::admin::decap::Backend;
use crate::preview::serve::AppState;

/// The address of the client of a connection, put on each of its requests by the server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peer(pub(crate) SocketAddr);

pub(crate) use crate::admin::decap::API_PATH;

fn refuse(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The host the request names, when it is a loopback name (`127.0.0.1:1111`, `localhost:1111`,
/// `[::1]:1111`) and the client is on this machine; else why it is refused.
fn local_host(request_peer: Option<Peer>, headers: &HeaderMap) -> Result<String, &'static str> {
    let loopback = request_peer.is_some_and(|Peer(addr)| addr.ip().to_canonical().is_loopback());
    if !loopback {
        return Err("forbidden: the editor answers only on this machine (127.0.0.1)\n");
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    if !matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
        return Err("forbidden: open the editor at http://127.0.0.1:<port>/admin/\n");
    }
    Ok(host.to_string())
}

fn peer_of(request: &Request) -> Option<Peer> {
    request.extensions().get::<Peer>().copied()
}

fn with_type(bytes: impl Into<axum::body::Body>, content_type: &'static str) -> Response {
    let mut response = Response::new(bytes.into());
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `/admin` → `/admin/`.
pub(crate) async fn redirect(request: Request) -> Response {
    if let Err(refused) = local_host(peer_of(&request), request.headers()) {
        return refuse(StatusCode::FORBIDDEN, refused);
    }
    let mut response = refuse(StatusCode::MOVED_PERMANENTLY, "moved\n");
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/admin/"));
    response
}

/// `/admin/`: the editor's page.
pub(crate) async fn page(State(state): State<AppState>, request: Request) -> Response {
    if let Err(refused) = local_host(peer_of(&request), request.headers()) {
        return refuse(StatusCode::FORBIDDEN, refused);
    }
    let Ok(config) = crate::source::config::Config::load(&state.root) else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "site.yml has mistakes: the preview shows them; the editor opens once they are fixed\n",
        );
    };
    let files = state.served_files();
    let styles = crate::admin::stylesheets(&config, files.keys().map(String::as_str));
    with_type(
        crate::admin::index_html(&config, &styles),
        "text/html; charset=utf-8",
    )
}

/// `/admin/config.yml` and Decap's scripts.
pub(crate) async fn file(
    State(state): State<AppState>,
    UrlPath(name): UrlPath<String>,
    request: Request,
) -> Response {
    let host = match local_host(peer_of(&request), request.headers()) {
        Ok(host) => host,
        Err(refused) => return refuse(StatusCode::FORBIDDEN, refused),
    };
    if name == "config.yml" {
        let root = state.root.clone();
        let made = tokio::task::spawn_blocking(move || {
            let config = crate::source::config::Config::load(&root).ok()?;
            let origin = format!("http://{host}");
            Some(crate::admin::decap::config_yml(
                &config,
                &root,
                &Backend::Local(&origin),
            ))
        })
        .await
        .ok()
        .flatten();
        return match made {
            Some(text) => with_type(text, "text/yaml; charset=utf-8"),
            None => refuse(StatusCode::SERVICE_UNAVAILABLE, "site.yml has mistakes\n"),
        };
    }
    match crate::admin::script(&name) {
        Some(bytes) => with_type(bytes, "text/javascript; charset=utf-8"),
        None => refuse(StatusCode::NOT_FOUND, "not found\n"),
    }
}

/// `POST /api/v1`: Decap's local backend.
pub(crate) async fn api(State(state): State<AppState>, request: Request) -> Response {
    let host = match local_host(peer_of(&request), request.headers()) {
        Ok(host) => host,
        Err(refused) => return refuse(StatusCode::FORBIDDEN, refused),
    };
    // A page of another site open in the browser could post here: only the preview's own pages.
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok());
    if origin.is_some_and(|o| o != format!("http://{host}")) {
        return refuse(
            StatusCode::FORBIDDEN,
            "forbidden: only the preview's own editor may use this API\n",
        );
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_BODY).await else {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "the request is too large\n");
    };
    let answer = tokio::task::spawn_blocking(move || answer(&state, &body)).await;
    let (status, value) = answer.unwrap_or((500, serde_json::json!({"error": "internal error"})));
    let mut response = with_type(value.to_string(), "application/json");
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
}

/// The largest request (a picture sent as base64): 64 MB.
const MAX_BODY: usize = 64 * 1024 * 1024;

fn answer(state: &AppState, body: &Bytes) -> crate::admin::api::Answer {
    let was_fine = state.error.read().map(|e| e.is_none()).unwrap_or(false);
    let check = |changes: &[crate::admin::api::Change]| {
        crate::preview::admin_check::refused(&state.root, changes, &state.build, was_fine)
    };
    let site = crate::admin::api::Site {
        root: &state.root,
        lang: state
            .build
            .lang
            .unwrap_or_else(|| crate::diagnostic::Lang::of_site_folder(&state.root)),
        check: &check,
    };
    crate::admin::api::handle(&site, body)
}
