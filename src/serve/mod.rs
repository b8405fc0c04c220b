//! `openbook serve`: the author's live preview.
//!
//! The book is built into memory ([`site::LiveSite`]) and served on
//! loopback by axum ([`http`]). A watcher ([`watch`]) sends debounced
//! batches of changed paths to a rebuild thread, which updates only what
//! the edit affects and pushes a message to the open tabs ([`reload`]):
//! tabs whose page changed reload and keep their scroll position; tabs of a
//! deleted page go to its chapter; a broken edit shows an overlay while the
//! last good build stays online. The served pages are the bytes a build
//! writes; the live-reload script is added at response time. Nothing is
//! written to disk, so stopping the server leaves nothing behind.

pub mod http;
pub mod reload;
pub mod site;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::cli::Printer;
use crate::diag::{Diagnostic, Diagnostics};
use crate::pipeline::BuildOptions;
use http::Shared;
use site::{Change, LiveSite, RebuildKind};

/// How long the rebuild loop waits for further edits before refreshing
/// the book-wide pages after a body edit.
const SHARED_REFRESH_DELAY: std::time::Duration = std::time::Duration::from_millis(250);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build (its mode is set to `Serve`).
    pub build: BuildOptions,
    /// The address to bind (loopback by default).
    pub bind: IpAddr,
    /// The port (0 picks a free one).
    pub port: u16,
    /// Open the browser.
    pub open: bool,
    /// Poll for changes instead of using inotify.
    pub poll: bool,
}

/// Bind the listening socket, with a clear error when the port is taken.
fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, Diagnostic> {
    std::net::TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Diagnostic::error(format!(
                "port {} on {} is already in use; choose another with --port {}",
                addr.port(),
                addr.ip(),
                addr.port().wrapping_add(1).max(1024)
            ))
        } else {
            Diagnostic::error(format!("cannot listen on {addr}: {e}"))
        }
    })
}

/// Tell the tabs and the terminal about a rebuild.
/// What the rebuild thread waits for.
enum Event {
    /// Files changed under the site folder.
    Paths(Vec<PathBuf>),
    /// Book-wide files computed from the book as it was at a generation.
    Shared(u64, Option<site::Files>),
}

fn publish(
    shared: &Shared,
    live: &LiveSite,
    change: &Change,
    printer: &Printer,
    started: Instant,
    last_errors: &mut Vec<String>,
) {
    if !live.errors.is_empty() {
        let lines: Vec<String> = live
            .errors
            .sorted()
            .iter()
            .map(ToString::to_string)
            .collect();
        if lines != *last_errors {
            printer.diagnostics(&live.errors);
            *last_errors = lines;
        }
        let msg = reload::errors_message(&live.errors);
        if let Ok(mut e) = shared.errors.write() {
            *e = Some(msg.clone());
        }
        let _ = shared.tx.send(msg);
        return;
    }
    let had_errors = !last_errors.is_empty();
    last_errors.clear();
    if let Ok(mut e) = shared.errors.write() {
        *e = None;
    }
    if had_errors {
        let _ = shared.tx.send(reload::ok_message());
        printer.summary("Fixed: the book builds again.");
    }
    if change.changed.is_empty() && change.removed.is_empty() {
        return;
    }
    {
        let mut files = shared.files.write().unwrap_or_else(|e| e.into_inner());
        match change.kind {
            RebuildKind::Body => {
                for path in &change.changed {
                    if let Some(b) = live.files().get(path) {
                        files.insert(path.clone(), b.clone());
                    }
                }
            }
            _ => *files = live.files().clone(),
        }
    }
    let paths: Vec<String> = change.changed.iter().cloned().collect();
    let _ = shared.tx.send(reload::reload_message(&paths));
    if !change.removed.is_empty() {
        let _ = shared.tx.send(reload::removed_message(&change.removed));
    }
    if printer.verbose {
        let pages = paths.iter().filter(|p| p.ends_with(".html")).count();
        eprintln!(
            "rebuilt ({:?}) in {:.1} ms: {} changed files, {} pages",
            change.kind,
            started.elapsed().as_secs_f64() * 1e3,
            paths.len(),
            pages
        );
    }
}

/// Run the preview server until Ctrl-C.
pub fn serve(mut opts: ServeOptions, printer: Printer) -> Result<(), Diagnostics> {
    opts.build.mode = crate::pipeline::Mode::Serve;
    let listener = bind(SocketAddr::new(opts.bind, opts.port)).map_err(Diagnostics::from)?;
    let addr = listener.local_addr().map_err(|e| {
        Diagnostics::from(Diagnostic::error(format!(
            "cannot read the bound address: {e}"
        )))
    })?;
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else if addr.ip().is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    let url = format!("http://{host}:{}/", addr.port());
    // Links in the preview point at the preview server.
    opts.build.base_url = Some(url.clone());

    let started = Instant::now();
    let mut live = LiveSite::new(opts.build.clone());
    let mut last_errors = Vec::new();
    if live.errors.is_empty() {
        printer.diagnostics(&live.warnings);
    } else {
        printer.diagnostics(&live.errors);
        last_errors = live
            .errors
            .sorted()
            .iter()
            .map(ToString::to_string)
            .collect();
    }
    let shared = Shared::new(live.files().clone());
    if !live.errors.is_empty() {
        if let Ok(mut e) = shared.errors.write() {
            *e = Some(reload::errors_message(&live.errors));
        }
    }
    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    let events = tx.clone();
    let _watcher = watch::watch(&opts.build.dir, opts.poll, move |paths| {
        let _ = events.send(Event::Paths(paths));
    })
    .map_err(Diagnostics::from)?;
    // Watching before saying so: an edit made as soon as the address is
    // printed is seen.
    printer.summary(&format!(
        "Serving {} at {url} (built in {} ms; Ctrl-C to stop)",
        live.book().map_or_else(
            || opts.build.dir.display().to_string(),
            |_| "the book".to_string()
        ),
        started.elapsed().as_millis()
    ));

    // The book-wide files are computed on threads of their own, so that
    // the global pool, which an edit's rebuild uses, stays free.
    let shared_pool = Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("openbook-book-wide-{i}"))
            .build()
            .map_err(|e| {
                Diagnostics::from(Diagnostic::error(format!("cannot start threads: {e}")))
            })?,
    );
    let rebuild_shared = Arc::clone(&shared);
    std::thread::spawn(move || {
        // After a body edit the edited page is published at once; the
        // book-wide pages that embed bodies (print/, the search index) are
        // refreshed when no edit has arrived for a moment, from a copy of
        // the book and on other threads, so an edit made while they are
        // computed (a second and a half at 10,000 pages) is not kept
        // waiting; their result is dropped if the book changed meanwhile,
        // and computed again at the next pause.
        let mut shared_stale = false;
        let mut in_flight = false;
        let mut generation: u64 = 0;
        loop {
            let event = if shared_stale && !in_flight {
                match rx.recv_timeout(SHARED_REFRESH_DELAY) {
                    Ok(e) => Some(e),
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => None,
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match rx.recv() {
                    Ok(e) => Some(e),
                    Err(_) => break,
                }
            };
            let t = Instant::now();
            let mut batch = match event {
                None => {
                    match live.shared_job() {
                        Some(job) => {
                            in_flight = true;
                            let tx = tx.clone();
                            let pool = Arc::clone(&shared_pool);
                            let of = generation;
                            std::thread::spawn(move || {
                                let files = pool.install(|| job.run());
                                let _ = tx.send(Event::Shared(of, files));
                            });
                        }
                        None => shared_stale = false,
                    }
                    continue;
                }
                Some(Event::Shared(of, files)) => {
                    in_flight = false;
                    if of != generation {
                        continue; // the book changed since: compute again
                    }
                    shared_stale = false;
                    let changed = files.map(|f| live.apply_shared(f)).unwrap_or_default();
                    if !changed.is_empty() {
                        let follow_up = Change {
                            changed,
                            removed: Vec::new(),
                            kind: RebuildKind::Body,
                        };
                        publish(
                            &rebuild_shared,
                            &live,
                            &follow_up,
                            &printer,
                            t,
                            &mut last_errors,
                        );
                    }
                    continue;
                }
                Some(Event::Paths(batch)) => batch,
            };
            while let Ok(more) = rx.try_recv() {
                match more {
                    Event::Paths(paths) => batch.extend(paths),
                    // Computed from the book as it was before this edit.
                    Event::Shared(..) => in_flight = false,
                }
            }
            generation += 1;
            let change = live.apply(&batch);
            publish(
                &rebuild_shared,
                &live,
                &change,
                &printer,
                t,
                &mut last_errors,
            );
            if change.kind == RebuildKind::Body && live.errors.is_empty() {
                shared_stale = true;
            }
        }
    });

    if opts.open {
        let _ = open::that_detached(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            Diagnostics::from(Diagnostic::error(format!("cannot start the server: {e}")))
        })?;
    runtime
        .block_on(async move {
            listener
                .set_nonblocking(true)
                .map_err(|e| Diagnostic::error(format!("cannot use the socket: {e}")))?;
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|e| Diagnostic::error(format!("cannot use the socket: {e}")))?;
            axum::serve(listener, http::router(shared))
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
                .map_err(|e| Diagnostic::error(format!("the server stopped: {e}")))
        })
        .map_err(Diagnostics::from)?;
    printer.summary("Stopped.");
    Ok(())
}
