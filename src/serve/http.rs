//! The preview server's HTTP side: files from memory, the live-reload
//! script and its WebSocket.
//!
//! Only the paths of the built site are answered; a request is decoded,
//! refused if any segment is `.` or `..` (also when encoded as `%2e%2e` or
//! hidden behind `%2f`) or holds a backslash or NUL, and then looked up in
//! the map of built files — nothing else on disk can be reached.

use std::sync::{Arc, RwLock};

use axum::body::Body as HttpBody;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;

use super::reload;
use super::site::{Body, Files};

/// What the HTTP handlers share with the rebuild loop.
pub struct Shared {
    /// The files being served.
    pub files: RwLock<Files>,
    /// The current error message (JSON), if the last rebuild failed.
    pub errors: RwLock<Option<String>>,
    /// Messages for every open tab.
    pub tx: broadcast::Sender<String>,
}

impl Shared {
    /// Start with `files` and no errors.
    pub fn new(files: Files) -> Arc<Shared> {
        let (tx, _) = broadcast::channel(64);
        Arc::new(Shared {
            files: RwLock::new(files),
            errors: RwLock::new(None),
            tx,
        })
    }
}

/// How a request path maps onto the built files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Serve this site path.
    Found(String),
    /// Redirect (a folder asked for without its trailing slash).
    Redirect(String),
    /// Not part of the site.
    NotFound,
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Map the raw (still percent-encoded) path of a request to a site path.
pub fn lookup(raw: &str, files: &Files) -> Lookup {
    let Some(decoded) = percent_decode(raw) else {
        return Lookup::NotFound;
    };
    if decoded.contains(['\\', '\0']) {
        return Lookup::NotFound;
    }
    let trimmed = decoded.trim_start_matches('/');
    if trimmed
        .split('/')
        .any(|seg| seg == ".." || seg == "." || seg.contains(':'))
    {
        return Lookup::NotFound;
    }
    if trimmed.is_empty() || trimmed.ends_with('/') {
        let index = format!("{trimmed}index.html");
        return if files.contains_key(&index) {
            Lookup::Found(index)
        } else {
            Lookup::NotFound
        };
    }
    if files.contains_key(trimmed) {
        return Lookup::Found(trimmed.to_string());
    }
    if files.contains_key(&format!("{trimmed}/index.html")) {
        return Lookup::Redirect(format!("/{}/", crate::book::url::encode_path(trimmed)));
    }
    Lookup::NotFound
}

/// The router of the preview server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(reload::SOCKET_PATH, get(socket))
        .route(reload::SCRIPT_PATH, get(script))
        .fallback(file)
        .with_state(shared)
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        reload::SCRIPT,
    )
        .into_response()
}

async fn socket(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |s| client(s, shared))
}

async fn client(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut rx = shared.tx.subscribe();
    let current = shared.errors.read().map(|e| e.clone()).unwrap_or(None);
    if let Some(msg) = current {
        if socket.send(Message::Text(msg.into())).await.is_err() {
            return;
        }
    }
    loop {
        tokio::select! {
            msg = rx.recv() => match msg {
                Ok(m) => {
                    if socket.send(Message::Text(m.into())).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => return,
            },
        }
    }
}

fn content_type(path: &str) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let value = match (mime.type_(), mime.subtype().as_str()) {
        (mime_guess::mime::TEXT, _) => format!("{mime}; charset=utf-8"),
        (mime_guess::mime::APPLICATION, "javascript") => "text/javascript; charset=utf-8".into(),
        _ => mime.to_string(),
    };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

async fn body_bytes(body: &Body) -> Option<Vec<u8>> {
    match body {
        Body::Bytes(b) => Some(b.as_ref().clone()),
        Body::File(p) => tokio::fs::read(p).await.ok(),
    }
}

async fn file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let (found, not_found) = {
        let files = shared.files.read().unwrap_or_else(|e| e.into_inner());
        match lookup(uri.path(), &files) {
            Lookup::Found(path) => (files.get(&path).cloned().map(|b| (path, b)), None),
            Lookup::Redirect(to) => {
                return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
            }
            Lookup::NotFound => (None, files.get("404.html").cloned()),
        }
    };
    let (status, path, body) = match (found, not_found) {
        (Some((path, body)), _) => (StatusCode::OK, path, Some(body)),
        (None, body) => (StatusCode::NOT_FOUND, "404.html".to_string(), body),
    };
    let Some(mut bytes) = (match &body {
        Some(b) => body_bytes(b).await,
        None => Some(b"<!doctype html><title>Not found</title><p>Not found.</p>".to_vec()),
    }) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let ctype = content_type(&path);
    if ctype.to_str().is_ok_and(|c| c.starts_with("text/html")) {
        bytes = reload::inject(&bytes);
    }
    let len = bytes.len();
    let body = if method == Method::HEAD {
        HttpBody::empty()
    } else {
        HttpBody::from(bytes)
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, ctype)
        .header(header::CONTENT_LENGTH, len)
        .header(header::CACHE_CONTROL, "no-cache")
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        let mut f = Files::new();
        for p in ["index.html", "a/index.html", "a/b.png", "404.html"] {
            f.insert(p.to_string(), Body::Bytes(Arc::new(Vec::new())));
        }
        f
    }

    #[test]
    fn paths_map_to_files() {
        let f = files();
        assert_eq!(lookup("/", &f), Lookup::Found("index.html".into()));
        assert_eq!(lookup("/a/", &f), Lookup::Found("a/index.html".into()));
        assert_eq!(lookup("/a", &f), Lookup::Redirect("/a/".into()));
        assert_eq!(lookup("/a/b.png", &f), Lookup::Found("a/b.png".into()));
        assert_eq!(lookup("/a/%62.png", &f), Lookup::Found("a/b.png".into()));
    }

    #[test]
    fn traversal_is_refused() {
        let f = files();
        for bad in [
            "/../etc/passwd",
            "/a/../index.html",
            "/%2e%2e/etc/passwd",
            "/a%2f..%2findex.html",
            "/a\\..\\index.html",
            "/a/%5c..%5cindex.html",
            "/%00",
            "/%zz",
            "/C:/Windows",
        ] {
            assert_eq!(lookup(bad, &f), Lookup::NotFound, "{bad}");
        }
    }

    #[test]
    fn types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/app.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
    }
}
