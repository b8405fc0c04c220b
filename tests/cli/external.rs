//! `check --external` against a small HTTP server started on loopback by
//! each test (this machine has no internet), and for real offline.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use openbook::check::external::{self, ExternalOptions, Stats, UrlUse};
use openbook::check::{self as checker, CheckOptions};
use openbook::diag::Diagnostics;

use crate::util::*;

#[derive(Default)]
struct State {
    /// (method, path) of every request, in order of arrival.
    log: Mutex<Vec<(String, String)>>,
    hits: Mutex<HashMap<String, usize>>,
    active: AtomicUsize,
    peak: AtomicUsize,
}

/// A tiny HTTP/1.1 server with one route per behaviour under test.
struct Server {
    base: String,
    state: Arc<State>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(State::default());
        let st = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let st = Arc::clone(&st);
                std::thread::spawn(move || handle(stream, &st));
            }
        });
        Server { base, state }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> Vec<(String, String)> {
        self.state.log.lock().unwrap().clone()
    }

    fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|(_, p)| p == path).count()
    }
}

fn handle(mut stream: TcpStream, st: &State) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    st.log.lock().unwrap().push((method.clone(), path.clone()));
    let hit = {
        let mut h = st.hits.lock().unwrap();
        let n = h.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let now = st.active.fetch_add(1, Ordering::SeqCst) + 1;
    st.peak.fetch_max(now, Ordering::SeqCst);
    let (status, location): (u16, Option<String>) = match path.as_str() {
        "/ok" => (200, None),
        "/no-head" if method == "HEAD" => (405, None),
        "/no-head" => (200, None),
        "/moved" => (301, Some("/ok".into())),
        "/moved-relative/a" => (302, Some("../ok".into())),
        "/moved-gone" => (308, Some("/gone".into())),
        "/loop" => (302, Some("/loop".into())),
        "/busy" => (429, None),
        "/flaky" if hit <= 2 => (503, None),
        "/flaky" => (200, None),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            (200, None)
        }
        p if p.starts_with("/sleep/") => {
            std::thread::sleep(Duration::from_millis(150));
            (200, None)
        }
        _ => (404, None),
    };
    st.active.fetch_sub(1, Ordering::SeqCst);
    let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n");
    if let Some(l) = location {
        head.push_str(&format!("Location: {l}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(b"ok");
    }
}

/// Test settings: short timeout and retry pause, no cache.
fn opts() -> ExternalOptions {
    let mut o = ExternalOptions::new(Path::new("."));
    o.timeout = Duration::from_millis(400);
    o.retry_delay = Duration::from_millis(10);
    o.cache_file = None;
    o
}

fn uses(urls: &[String]) -> Vec<UrlUse> {
    urls.iter()
        .enumerate()
        .map(|(i, u)| UrlUse {
            url: u.clone(),
            file: PathBuf::from("content/page.md"),
            line: i + 1,
            column: 1,
        })
        .collect()
}

fn run(urls: &[String], o: &ExternalOptions) -> (Vec<String>, Stats) {
    let (d, stats): (Diagnostics, Stats) = external::check(&uses(urls), o);
    (d.sorted().iter().map(ToString::to_string).collect(), stats)
}

#[test]
fn working_urls_say_nothing_and_head_comes_first() {
    let s = Server::start();
    let (d, stats) = run(&[s.url("/ok"), s.url("/no-head")], &opts());
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(stats.ok, 2);
    let log = s.requests();
    assert!(log.contains(&("HEAD".into(), "/ok".into())), "{log:?}");
    assert!(!log.contains(&("GET".into(), "/ok".into())), "{log:?}");
    // A server that refuses HEAD gets a GET.
    let no_head: Vec<_> = log.iter().filter(|(_, p)| p == "/no-head").collect();
    assert_eq!(
        no_head,
        [
            &("HEAD".to_string(), "/no-head".to_string()),
            &("GET".to_string(), "/no-head".to_string())
        ]
    );
}

#[test]
fn broken_links_are_errors_with_their_place() {
    let s = Server::start();
    let (d, stats) = run(&[s.url("/ok"), s.url("/gone")], &opts());
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].starts_with("content/page.md:2:1: error: `")
            && d[0].contains("/gone` answers 404 Not Found"),
        "{d:#?}"
    );
    assert_eq!(stats.broken, 1);
}

#[test]
fn redirects_are_warnings_naming_the_final_url() {
    let s = Server::start();
    let (d, stats) = run(
        &[
            s.url("/moved"),
            s.url("/moved-relative/a"),
            s.url("/moved-gone"),
        ],
        &opts(),
    );
    assert_eq!(d.len(), 3, "{d:#?}");
    assert!(
        d[0].contains("warning:")
            && d[0].contains(&format!("redirects (301) to `{}`", s.url("/ok"))),
        "{d:#?}"
    );
    assert!(
        d[1].contains("warning:")
            && d[1].contains(&format!("redirects (302) to `{}`", s.url("/ok"))),
        "{d:#?}"
    );
    // A redirect to a broken page is an error.
    assert!(
        d[2].contains("error:") && d[2].contains("answers 404 Not Found after redirecting (308)"),
        "{d:#?}"
    );
    assert_eq!(stats.redirected, 3);
}

#[test]
fn a_redirect_loop_stops() {
    let s = Server::start();
    let (d, _) = run(&[s.url("/loop")], &opts());
    assert!(d[0].contains("redirects too often"), "{d:#?}");
    assert_eq!(s.count("/loop"), 6, "the first request and 5 redirects");
}

#[test]
fn server_errors_are_retried() {
    let s = Server::start();
    let (d, _) = run(&[s.url("/flaky")], &opts());
    // 503 to HEAD, 503 to the GET that follows, then the retry succeeds.
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(s.count("/flaky"), 3, "{:?}", s.requests());
    // Rate limiting is a warning: the link may well work.
    let (d, _) = run(&[s.url("/busy")], &opts());
    assert!(d[0].contains("warning:") && d[0].contains("429"), "{d:#?}");
}

#[test]
fn a_slow_server_times_out_after_a_retry() {
    let s = Server::start();
    let mut o = opts();
    o.timeout = Duration::from_millis(300);
    let (d, _) = run(&[s.url("/slow")], &o);
    assert!(
        d[0].contains("error:") && d[0].contains("did not answer within 0.3 s (2 tries)"),
        "{d:#?}"
    );
    // HEAD timed out, so no GET; the retry is the second HEAD.
    assert_eq!(s.count("/slow"), 2, "{:?}", s.requests());
}

#[test]
fn concurrency_is_limited_per_host_and_overall() {
    let s = Server::start();
    let urls: Vec<String> = (0..12).map(|i| s.url(&format!("/sleep/{i}"))).collect();
    let mut o = opts();
    // Long enough that no request times out and is retried on a busy
    // machine (a retry would overlap the first try on the server).
    o.timeout = Duration::from_secs(10);
    o.per_host = 2;
    o.concurrency = 8;
    let (d, _) = run(&urls, &o);
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(s.state.peak.load(Ordering::SeqCst), 2);

    let s = Server::start();
    let urls: Vec<String> = (0..12).map(|i| s.url(&format!("/sleep/{i}"))).collect();
    o.per_host = 8;
    o.concurrency = 3;
    run(&urls, &o);
    let peak = s.state.peak.load(Ordering::SeqCst);
    assert!((2..=3).contains(&peak), "peak {peak}");
}

#[test]
fn a_refused_connection_is_a_broken_link_not_an_offline_machine() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (d, _) = run(&[format!("http://127.0.0.1:{port}/x")], &opts());
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(d[0].contains("cannot be fetched"), "{d:#?}");
    assert!(!d[0].contains("network unreachable"), "{d:#?}");
}

#[test]
fn an_unknown_host_among_working_ones_is_reported_per_link() {
    let s = Server::start();
    let (d, _) = run(
        &[s.url("/ok"), "http://no-such-host.invalid/".to_string()],
        &opts(),
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].contains("no-such-host.invalid/` has a host name that cannot be found"),
        "{d:#?}"
    );
}

fn linked_site(s: &Server) -> Site {
    let site = Site::empty();
    site.write(
        "content/index.md",
        &format!(
            "---\ntitle: Home\ndescription: d\nresources:\n  - title: R\n    url: \"{}\"\n    kind: docs\n---\n\n[ok]({}) and [gone]({}#frag) and [ok again]({}#x).\n",
            s.url("/ok"),
            s.url("/ok"),
            s.url("/gone"),
            s.url("/ok")
        ),
    );
    site
}

#[test]
fn the_whole_book_is_checked_and_a_rerun_uses_the_cache() {
    let s = Server::start();
    let site = linked_site(&s);
    let mut o = opts();
    o.cache_file = Some(site.path().join(external::cache::CACHE_FILE));
    let mut c = CheckOptions::new(site.path());
    c.external = Some(o.clone());
    let report = checker::run(&c);
    let lines: Vec<String> = report
        .diags
        .sorted()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("content/index.md:10:")
            && lines[0].contains("/gone#frag` answers 404"),
        "{lines:#?}"
    );
    let stats = report.external.expect("external stats");
    assert_eq!((stats.urls, stats.fetched, stats.from_cache), (2, 2, 0));
    // One request per distinct URL, however often it is used.
    assert_eq!(s.count("/ok"), 1);
    assert!(site
        .path()
        .join(".openbook-cache/external-links.json")
        .is_file());

    // The rerun takes the working URL from the cache; the broken one is
    // fetched again (a fix must show at once).
    let report = checker::run(&c);
    let stats = report.external.expect("external stats");
    assert_eq!((stats.fetched, stats.from_cache), (1, 1));
    assert_eq!(s.count("/ok"), 1, "{:?}", s.requests());
    assert_eq!(report.diags.error_count(), 1);

    // Past the maximum age, it is fetched again.
    o.max_age = Duration::ZERO;
    c.external = Some(o);
    let stats = checker::run(&c).external.unwrap();
    assert_eq!((stats.fetched, stats.from_cache), (2, 0));
    assert_eq!(s.count("/ok"), 2);
}

#[test]
fn offline_gives_one_network_unreachable_line() {
    let hosts = [
        "www.postgresql.org",
        "docs.python.org",
        "www.psycopg.org",
        "docs.sqlalchemy.org",
        "magicstack.github.io",
        "wiki.postgresql.org",
    ];
    if std::net::ToSocketAddrs::to_socket_addrs(&(hosts[0], 443)).is_ok() {
        eprintln!(
            "skipped: this machine resolves {} (it is online), so it cannot show the offline \
             summary",
            hosts[0]
        );
        return;
    }
    let site = Site::empty();
    let mut body = String::new();
    for i in 0..120 {
        body.push_str(&format!(
            "[link {i}](https://{}/page/{i})\n\n",
            hosts[i % hosts.len()]
        ));
    }
    site.write(
        "content/index.md",
        &format!("---\ntitle: Home\ndescription: d\n---\n\n{body}"),
    );
    let r = site.run(&["check", "--external"]);
    r.assert_no_panic();
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    // Requests already in flight when the fourth host failed may add a
    // host or two to the count.
    assert!(
        lines[0].starts_with("error: network unreachable: none of the ")
            && lines[0].contains(" hosts tried could be reached")
            && lines[0].contains("120 external URLs of 6 hosts were not checked"),
        "{}",
        r.stderr
    );
}
