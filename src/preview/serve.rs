//! The `serve` command: an axum server over the site rendered in memory ([`live`]), rebuilt as files
//! change ([`watch`]), with a reload script injected into the HTML it serves (never into built files),
//! an error overlay while the sources are broken, and refusal of any path outside the site.

use crate::diagnostic::Rule;
use crate::text::escape::percent_decode;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body as HttpBody;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{Semaphore, broadcast};

use crate::diagnostic::{self, Diagnostic};
use crate::output::Body;
use crate::preview::live::{Early, EarlyPages, Files, Live};
use crate::preview::reload::{
    await_update_if_missing, events, inject, publish_early, viewed_outputs,
};
use crate::site::BuildOptions;

/// Where the reload channel (server-sent events) lives.
pub(crate) const EVENTS_PATH: &str = "/__gazette/events";

/// At most this many browser tabs listen for reloads at once; more get 503.
const MAX_LISTENERS: usize = 64;

/// `gazette serve`'s options.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub source: PathBuf,
    /// Drafts, future posts...
    pub build: BuildOptions,
    /// Address to listen on.
    pub bind: IpAddr,
    /// First port to try.
    pub port: u16,
    /// Open the browser.
    pub open: bool,
    /// Poll the files at this interval instead of waiting for events.
    pub poll: Option<Duration>,
}

/// What the server shows.
pub(crate) struct Shared {
    pub(crate) files: RwLock<Arc<Files>>,
    /// The error overlay (HTML) while the sources are broken.
    pub(crate) error: RwLock<Option<String>>,
    /// The warnings panel (HTML) while the site has warnings.
    pub(crate) warnings: RwLock<Option<String>>,
    pub(crate) reload: broadcast::Sender<&'static str>,
    pub(crate) listeners: Arc<Semaphore>,
    /// The site folder, resolved, to refuse links pointing out of it.
    pub(crate) root: PathBuf,
    /// The preview's build options (what the editor's saves are checked with).
    pub(crate) build: BuildOptions,
    /// The path the site is published under (`/site`, or empty): served under it here too, so
    /// that what the preview shows is what the host will.
    pub(crate) base_path: RwLock<String>,
    /// `images:` of site.yml, to make the copies `resize_image` names when they are asked for.
    pub(crate) images: RwLock<crate::source::config::ImagesConfig>,
    /// The pages browsers show now (request paths, with how many tabs show each), told by the
    /// reload script: an update renders them first.
    pub(crate) viewed: std::sync::Mutex<std::collections::HashMap<String, usize>>,
    /// An update is under way: a page not there yet waits for it rather than answering 404.
    pub(crate) updating: AtomicBool,
    /// Woken when an update's outputs are published.
    pub(crate) updated: tokio::sync::Notify,
}

pub(crate) type AppState = Arc<Shared>;

impl Shared {
    /// The outputs served now.
    pub(crate) fn served_files(&self) -> Arc<Files> {
        self.files
            .read()
            .map(|f| Arc::clone(&f))
            .unwrap_or_default()
    }

    /// The base path the site is served under now.
    pub(crate) fn served_base_path(&self) -> String {
        self.base_path.read().map(|b| b.clone()).unwrap_or_default()
    }

    /// Serves `files` under `base_path` from now on.
    pub(crate) fn serve(&self, files: Arc<Files>, base_path: String) {
        if let Ok(mut served) = self.files.write() {
            *served = files;
        }
        if let Ok(mut served) = self.base_path.write() {
            *served = base_path;
        }
    }
}

/// Runs the server until Ctrl-C. Returns an error only when it cannot start.
pub fn run(options: ServeOptions) -> Result<(), Diagnostic> {
    let root = options.source.canonicalize().map_err(|e| {
        Diagnostic::error(
            Rule::Serve,
            &options.source,
            crate::msg!("cannot open the site folder: {e}", e),
        )
        .help(crate::msg!(
            "run gazette serve in the site folder, or name it with --source"
        ))
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            Diagnostic::error(
                Rule::Serve,
                &root,
                crate::msg!("cannot start the server: {e}", e),
            )
        })?;
    runtime.block_on(serve(root, options))
}

async fn bind(ip: IpAddr, first: u16) -> Result<tokio::net::TcpListener, Diagnostic> {
    let mut last_error = None;
    for offset in 0..50u16 {
        let Some(port) = first.checked_add(offset) else {
            break;
        };
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, port)).await {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last_error = Some(e),
            Err(e) => {
                return Err(Diagnostic::error(
                    Rule::Serve,
                    "--bind",
                    crate::msg!("cannot listen on {ip}:{port}: {e}", ip, port, e),
                )
                .help(crate::msg!(
                    "choose another address with --bind or another port with --port"
                )));
            }
        }
    }
    let detail = last_error.map(|e| e.to_string()).unwrap_or_default();
    Err(Diagnostic::error(
        Rule::Serve,
        "--port",
        crate::msg!("no free port from {first} on: {detail}", first, detail),
    )
    .help(crate::msg!(
        "stop the other servers or choose another port with --port"
    )))
}

async fn serve(root: PathBuf, options: ServeOptions) -> Result<(), Diagnostic> {
    let listener = bind(options.bind, options.port).await?;
    let lang = options
        .build
        .lang
        .unwrap_or_else(|| crate::diagnostic::Lang::of_site_folder(&root));
    let address = listener
        .local_addr()
        .map_err(|e| Diagnostic::error(Rule::Serve, &root, e.to_string()))?;
    let (reload, _) = broadcast::channel(16);
    let state: AppState = Arc::new(Shared {
        files: RwLock::new(Arc::new(Files::new())),
        error: RwLock::new(None),
        warnings: RwLock::new(None),
        base_path: RwLock::new(String::new()),
        images: RwLock::new(crate::source::config::ImagesConfig::default()),
        viewed: std::sync::Mutex::new(std::collections::HashMap::new()),
        updating: AtomicBool::new(true),
        updated: tokio::sync::Notify::new(),
        reload,
        listeners: Arc::new(Semaphore::new(MAX_LISTENERS)),
        root: root.clone(),
        build: options.build.clone(),
    });

    let shown_ip = if address.ip().is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        address.ip()
    };
    let origin = format!("http://{}", SocketAddr::new(shown_ip, address.port()));
    // Absolute addresses of the preview's pages (canonical, og:, feeds) lead to the preview.
    let build = BuildOptions {
        preview_origin: Some(origin.clone()),
        ..options.build.clone()
    };

    // The watcher, then the rebuild thread: the first build, which shows the home page as soon
    // as it is made (the address is printed then), then one update per batch of changes.
    let live = Live::new(&root, &build);
    let (tx, rx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    let watch = crate::preview::watch::start(&root, options.poll, tx)?;
    let announced = start_updates(live, Arc::clone(&state), root.clone(), rx, watch, lang);
    let (base_path, lang) = tokio::task::spawn_blocking(move || announced.recv())
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or((String::new(), lang));

    let url = format!("{origin}{base_path}/");
    if address.ip().is_unspecified() || !address.ip().is_loopback() {
        let exposed = crate::msg!(
            "warning: listening on {ip}: the preview is exposed to the network, anyone who can reach this machine can read it",
            ip = address.ip()
        );
        eprintln!("{}", exposed.in_lang(lang));
    }
    let serving = crate::msg!(
        "Serving {folder} at {url} (Ctrl-C to stop)",
        folder = root.display(),
        url
    );
    eprintln!("{}", serving.in_lang(lang));
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }

    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route("/admin", get(crate::preview::admin::redirect))
        .route("/admin/", get(crate::preview::admin::page))
        .route("/admin/{file}", get(crate::preview::admin::file))
        .route(
            crate::preview::admin::API_PATH,
            axum::routing::post(crate::preview::admin::api),
        )
        .fallback(page)
        .with_state(state)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        .layer(tower::limit::ConcurrencyLimitLayer::new(256));
    accept_until_stopped(listener, app).await;
    eprintln!("{}", crate::msg!("Stopped.").in_lang(lang));
    Ok(())
}

/// Starts the thread that keeps `live` up to date: the first build, then one update per batch of
/// changes `changes` brings (from `watch`, which it tells about new source folders). Each
/// update shows the pages browsers show first. Returns where the base path and language are
/// sent once the home page is served (the address is printed then).
fn start_updates(
    mut live: Live,
    state: AppState,
    root: PathBuf,
    changes: std::sync::mpsc::Receiver<Vec<PathBuf>>,
    mut watch: crate::preview::watch::Watch,
    lang: crate::diagnostic::Lang,
) -> std::sync::mpsc::Receiver<(String, crate::diagnostic::Lang)> {
    let (announce, announced) = std::sync::mpsc::channel::<(String, crate::diagnostic::Lang)>();
    let (rebuild_state, rebuild_root) = (state, root);
    std::thread::spawn(move || {
        let mut announce = Some(announce);
        let mut batch = Vec::new();
        loop {
            let mut show = |pages: EarlyPages| {
                publish_early(&rebuild_state, pages);
                if let Some(announce) = announce.take() {
                    let _ = announce.send((rebuild_state.served_base_path(), lang));
                }
            };
            let early = Early {
                viewed: viewed_outputs(&rebuild_state),
                show: &mut show,
            };
            rebuild_state.updating.store(true, Ordering::SeqCst);
            let result = live.update_early(&batch, Some(early));
            publish(&rebuild_state, &rebuild_root, result, &live);
            rebuild_state.updating.store(false, Ordering::SeqCst);
            rebuild_state.updated.notify_waiters();
            if let Some(announce) = announce.take() {
                let _ = announce.send((live.base_path(), live.lang()));
            }
            let Ok(next) = changes.recv() else {
                return;
            };
            batch = next;
            // Take every batch already waiting: one rebuild for all of them.
            while let Ok(more) = changes.try_recv() {
                batch.extend(more);
            }
            for folder in crate::source::layout::SOURCE_FOLDERS {
                let path = rebuild_root.join(folder);
                if batch.contains(&path) && path.is_dir() {
                    watch.add_folder(&path);
                }
            }
        }
    });
    announced
}

/// How long a client may take to send a request's headers (or to send one at all on an idle
/// connection) before the connection is closed: a slow or silent client cannot hold a
/// connection open forever.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves each connection of `listener` with `app` until Ctrl-C or SIGTERM. Each connection is
/// HTTP/1 with a header-read timeout (axum's own `serve` sets none).
async fn accept_until_stopped(listener: tokio::net::TcpListener, app: Router) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt as _;

    let mut stop = std::pin::pin!(shutdown());
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => return,
        };
        // Each request knows its client (the editor answers only this machine).
        let peer = crate::preview::admin::Peer(peer);
        let service = app
            .clone()
            .map_request(move |request: Request<hyper::body::Incoming>| {
                let mut request = request.map(HttpBody::new);
                request.extensions_mut().insert(peer);
                request
            });
        tokio::spawn(async move {
            let timeout = crate::testing::test_hook("GAZETTE_TEST_HEADER_TIMEOUT_MS")
                .map_or(HEADER_READ_TIMEOUT, Duration::from_millis);
            // HTTP/1 only: hyper's automatic version detection waits for a first byte with no
            // timeout at all, which is exactly what a silent client exploits.
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(timeout)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .with_upgrades()
                .await;
        });
    }
}

async fn shutdown() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Shows the result of a rebuild: the new files, or the error overlay over the last good ones.
fn publish(
    state: &Shared,
    root: &Path,
    result: Result<crate::preview::live::Update, Vec<Diagnostic>>,
    live: &Live,
) {
    match result {
        Ok(update) => {
            let panel = crate::preview::panel::warnings_panel(&update.warnings, live.lang());
            let warnings_changed = state
                .warnings
                .write()
                .map(|mut shown| {
                    let changed = *shown != panel;
                    *shown = panel;
                    changed
                })
                .unwrap_or(false);
            // The terminal prints what the panel lists, each time the list changes.
            if warnings_changed && !update.warnings.is_empty() {
                eprint!(
                    "{}",
                    diagnostic::render_text(&update.warnings, root, live.lang())
                );
            }
            state.serve(live.files(), live.base_path());
            if let Ok(mut images) = state.images.write() {
                *images = live.images_config();
            }
            let had_error = state
                .error
                .write()
                .map(|mut e| e.take().is_some())
                .unwrap_or(false);
            eprintln!("{}", rebuilt_line(&update).in_lang(live.lang()));
            // Pages shown early reloaded their browsers then: reload again only if a page
            // shown now changed since.
            let changed_since = if update.shown_early.is_empty() {
                !update.changed.is_empty()
            } else {
                let viewed = viewed_outputs(state);
                update
                    .changed
                    .iter()
                    .any(|p| viewed.contains(p) && !update.shown_early.contains(p))
            };
            if had_error || warnings_changed || changed_since {
                let _ =
                    state
                        .reload
                        .send(if update.css_only() && !had_error && !warnings_changed {
                            "css"
                        } else {
                            "reload"
                        });
            }
        }
        Err(problems) => {
            let text = diagnostic::render_text(&problems, root, live.lang());
            eprint!("{text}");
            eprintln!(
                "{}",
                crate::msg!("The preview keeps showing the last good version until this is fixed.")
                    .in_lang(live.lang())
            );
            if let Ok(mut error) = state.error.write() {
                *error = Some(crate::preview::panel::overlay(&text, live.lang()));
            }
            let _ = state.reload.send("reload");
        }
    }
}

/// `Rebuilt 3 of 74 pages in 12 ms (1 files changed), 1 warning`.
fn rebuilt_line(update: &crate::preview::live::Update) -> crate::diagnostic::Text {
    let (rendered, pages, ms) = (update.rendered, update.pages, update.elapsed.as_millis());
    let mut line = match update.changed.len() {
        0 => crate::msg!(
            "Rebuilt {rendered} of {pages} pages in {ms} ms",
            rendered,
            pages,
            ms
        ),
        n => crate::msg!(
            "Rebuilt {rendered} of {pages} pages in {ms} ms ({n} files changed)",
            rendered,
            pages,
            ms,
            n
        ),
    };
    let warnings = match update.warnings.len() {
        0 => None,
        1 => Some(crate::msg!("1 warning")),
        n => Some(crate::msg!("{n} warnings", n)),
    };
    if let Some(warnings) = warnings {
        line = line.then(", ", warnings);
    }
    line
}

/// Why a request path is refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Outside the site (`..`, encoded dots, backslashes, absolute paths, NUL).
    Outside,
}

/// The site-relative key of a request path (`/a/b.html` → `a/b.html`), refusing anything that
/// could leave the site.
pub(crate) fn request_key(path: &str) -> Result<String, Refused> {
    let decoded = percent_decode(path).ok_or(Refused::Outside)?;
    if !decoded.starts_with('/')
        || decoded.starts_with("//")
        || decoded.contains('\\')
        || decoded.contains('\0')
    {
        return Err(Refused::Outside);
    }
    // Decode twice: `%252e%252e` must not become `..` further down the line either.
    let twice = percent_decode(&decoded).unwrap_or_else(|| decoded.clone());
    for text in [&decoded, &twice] {
        if text
            .split('/')
            .any(|segment| segment == ".." || segment == ".")
            || text.contains(":\\")
        {
            return Err(Refused::Outside);
        }
    }
    Ok(decoded.trim_start_matches('/').to_string())
}

/// The content type of an output path.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => {
            if path.ends_with("atom.xml") {
                "application/atom+xml; charset=utf-8"
            } else if path.ends_with("feed.xml") || path.ends_with("rss.xml") {
                "application/rss+xml; charset=utf-8"
            } else {
                "application/xml; charset=utf-8"
            }
        }
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The path of a request inside the site published under `base_path`: `/site/blog/` is
/// `/blog/`; `/` and `/site` go to `/site/`; anything else outside it is not the site's.
pub(crate) fn under_base(path: &str, base_path: &str) -> Result<String, Box<Response>> {
    if base_path.is_empty() {
        return Ok(path.to_string());
    }
    if let Some(rest) = path.strip_prefix(base_path)
        && rest.starts_with('/')
    {
        return Ok(rest.to_string());
    }
    if path == "/" || path == base_path {
        let mut response = plain(
            StatusCode::FOUND,
            "the site is served under its base path\n",
        );
        if let Ok(value) = HeaderValue::from_str(&format!("{base_path}/")) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return Err(Box::new(response));
    }
    Err(Box::new(plain(
        StatusCode::NOT_FOUND,
        "not found: this address is outside the site's base path (base_url in site.yml)\n",
    )))
}

async fn page(State(state): State<AppState>, request: Request) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are allowed\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    await_update_if_missing(&state, request.uri().path()).await;
    let base_path = state.served_base_path();
    let path = match under_base(request.uri().path(), &base_path) {
        Ok(path) => path,
        Err(response) => return *response,
    };
    let Ok(key) = request_key(&path) else {
        return plain(
            StatusCode::FORBIDDEN,
            "forbidden: this path leaves the site\n",
        );
    };
    let files = state.served_files();
    let error = state.error.read().ok().and_then(|e| e.clone());
    let warnings = state.warnings.read().ok().and_then(|w| w.clone());
    let (status, found_key, body) = match lookup(&files, &key) {
        Lookup::Found(k, b) => (StatusCode::OK, k, Some(b)),
        Lookup::Redirect => {
            let location = format!("{}/", request.uri().path());
            let mut response = plain(StatusCode::MOVED_PERMANENTLY, "moved\n");
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            return response;
        }
        Lookup::Missing if let Some(copy) = copy_on_demand(&state, &files, &key).await => (
            StatusCode::OK,
            key.clone(),
            Some(Arc::new(Body::Copy(copy))),
        ),
        Lookup::Missing => {
            // A missing page under /en/ gets the English 404 page, as a host serving the built
            // folder would be told to (the first folder of the path names the language).
            let language_page = key
                .split_once('/')
                .map(|(first, _)| format!("{first}/404.html"))
                .filter(|page| files.contains_key(page.as_str()));
            let page = language_page.unwrap_or_else(|| "404.html".to_string());
            let body = files.get(page.as_str()).cloned();
            (StatusCode::NOT_FOUND, page, body)
        }
    };
    let bytes = match body.as_deref() {
        Some(Body::Bytes(bytes)) => bytes.clone(),
        Some(Body::Copy(path)) => match read_inside(&state.root, path).await {
            Ok(bytes) => bytes,
            Err(status) => return plain(status, "forbidden: this file is outside the site\n"),
        },
        None if error.is_some() => Vec::from(&b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>gazette</title></head><body></body></html>"[..]),
        None => return plain(StatusCode::NOT_FOUND, "not found\n"),
    };
    let content_type = content_type(&found_key);
    let bytes = if content_type.starts_with("text/html") {
        inject(&bytes, error.as_deref(), warnings.as_deref())
    } else {
        bytes
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    let body = if method == Method::HEAD {
        HttpBody::empty()
    } else {
        HttpBody::from(bytes)
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

/// The copy of a picture at `key` (`img/a.480w.webp`, an address `resize_image` gives
/// templates), made on demand: the preview does not process the site's pictures up front.
async fn copy_on_demand(state: &AppState, files: &Arc<Files>, key: &str) -> Option<PathBuf> {
    if !key.ends_with(".webp") && !key.ends_with(".jpg") && !key.ends_with(".png") {
        return None;
    }
    let images = state.images.read().ok()?.clone();
    let root = state.root.clone();
    let files = Arc::clone(files);
    let key = key.to_string();
    tokio::task::spawn_blocking(move || {
        crate::media::copy_on_demand(&root, &images, &key, |source| {
            match files.get(source).map(|b| &**b) {
                Some(Body::Copy(path)) => Some(path.clone()),
                _ => None,
            }
        })
    })
    .await
    .ok()
    .flatten()
}

pub(crate) enum Lookup {
    Found(String, Arc<Body>),
    Redirect,
    Missing,
}

/// Finds a request key the way static hosts do: `dir/` → `dir/index.html`, `/x` → `x.html`,
/// `/dir` → redirect to `/dir/`.
pub(crate) fn lookup(files: &Files, key: &str) -> Lookup {
    let found = |k: String| files.get(&k).map(|b| Lookup::Found(k, Arc::clone(b)));
    if key.is_empty() || key.ends_with('/') {
        return found(format!("{key}index.html")).unwrap_or(Lookup::Missing);
    }
    if let Some(hit) = found(key.to_string()) {
        return hit;
    }
    if let Some(hit) = found(format!("{key}.html")) {
        return hit;
    }
    if files.contains_key(&format!("{key}/index.html")) {
        return Lookup::Redirect;
    }
    Lookup::Missing
}

/// Reads a static file, refusing one that resolves (through links) outside the site folder.
async fn read_inside(root: &Path, path: &Path) -> Result<Vec<u8>, StatusCode> {
    let resolved = tokio::fs::canonicalize(path)
        .await
        .map_err(|_| StatusCode::NOT_FOUND)?;
    if !resolved.starts_with(root) {
        return Err(StatusCode::FORBIDDEN);
    }
    tokio::fs::read(&resolved)
        .await
        .map_err(|_| StatusCode::NOT_FOUND)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn paths_leaving_the_site_are_refused() {
        for path in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2e%2fx",
            "//etc/passwd",
            "/a\\..\\b",
            "/%252e%252e/x",
            "/a%00",
        ] {
            assert_eq!(request_key(path), Err(Refused::Outside), "{path}");
        }
        assert_eq!(
            request_key("/blog/caf%C3%A9.html"),
            Ok("blog/café.html".to_string())
        );
        assert_eq!(request_key("/"), Ok(String::new()));
    }

    #[test]
    fn script_goes_before_the_body_end() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></BODY></html>",
            Some("<div>err</div>"),
            Some("<aside>warn</aside>"),
        ))
        .unwrap();
        let script = out.find("data-gazette-reload").unwrap();
        let error = out.find("<div>err</div>").unwrap();
        let end = out.find("</BODY>").unwrap();
        assert!(script < error && error < end, "{out}");
        assert!(
            !out.contains("warn"),
            "the overlay hides the warnings: {out}"
        );
    }

    #[test]
    fn folder_and_extensionless_urls() {
        let mut files = Files::new();
        files.insert("index.html".into(), Arc::new(Body::Bytes(b"home".to_vec())));
        files.insert(
            "about.html".into(),
            Arc::new(Body::Bytes(b"about".to_vec())),
        );
        files.insert(
            "blog/index.html".into(),
            Arc::new(Body::Bytes(b"blog".to_vec())),
        );
        assert!(matches!(lookup(&files, ""), Lookup::Found(k, _) if k == "index.html"));
        assert!(matches!(lookup(&files, "about"), Lookup::Found(k, _) if k == "about.html"));
        assert!(matches!(lookup(&files, "blog/"), Lookup::Found(k, _) if k == "blog/index.html"));
        assert!(matches!(lookup(&files, "blog"), Lookup::Redirect));
        assert!(matches!(lookup(&files, "nope"), Lookup::Missing));
    }
}
