//! `openbook serve`: serving, watching, incremental rebuilds, live reload
//! messages and the error overlay.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::*;

/// A running `openbook serve` on a free loopback port.
struct Server {
    child: Child,
    port: u16,
    stderr: std::sync::mpsc::Receiver<String>,
}

impl Server {
    fn start(site: &Site) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_openbook"))
            .args(["serve", ".", "--port", "0"])
            .current_dir(site.path())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start openbook serve");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        std::thread::spawn(move || for _ in out.lines() {});
        let err = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        Server {
            child,
            port,
            stderr: rx,
        }
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    fn socket(&self) -> tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>> {
        let (ws, _) = tungstenite::connect(format!("ws://127.0.0.1:{}/__openbook/ws", self.port))
            .expect("connect to the live-reload socket");
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        }
        ws
    }

    /// Wait until `path` is served with a body for which `ok` holds.
    fn wait_for(&self, path: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, _, body) = self.get(path);
            if ok(status, &body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {path} (last status {status})"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn next_message(
    ws: &mut tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
) -> serde_json::Value {
    loop {
        match ws.read().expect("a live-reload message") {
            tungstenite::Message::Text(t) => return serde_json::from_str(t.as_str()).unwrap(),
            _ => continue,
        }
    }
}

/// Read messages until one of type `kind` arrives.
fn message_of(
    ws: &mut tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    kind: &str,
) -> serde_json::Value {
    loop {
        let m = next_message(ws);
        if m["type"] == kind {
            return m;
        }
    }
}

/// Read messages until a `reload` that names `path`.
fn reload_of(
    ws: &mut tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    path: &str,
) -> serde_json::Value {
    loop {
        let m = message_of(ws, "reload");
        if m["paths"].as_array().unwrap().iter().any(|p| p == path) {
            return m;
        }
    }
}

#[test]
fn serves_the_book_with_types_404_and_no_traversal() {
    let site = Site::fixture("basic");
    let server = Server::start(&site);
    let (status, head, body) = server.get("/first-steps/hello/");
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    let doc = scraper::Html::parse_document(&body);
    assert_eq!(
        all(&doc, "script[src='/__openbook/live.js']").len(),
        1,
        "live reload is injected"
    );
    let (_, head, _) = server.get("/assets/style.css");
    assert!(
        head.to_lowercase().contains("content-type: text/css"),
        "{head}"
    );
    let (_, head, _) = server.get("/first-steps/img/diagram.svg");
    assert!(
        head.to_lowercase().contains("content-type: image/svg+xml"),
        "{head}"
    );
    let (status, head, _) = server.get("/first-steps");
    assert_eq!(status, 301);
    assert!(
        head.contains("location: /first-steps/") || head.contains("Location: /first-steps/"),
        "{head}"
    );
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("This page is not in the book"));
    for bad in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/first-steps/%2e%2e/%2e%2e/site.yaml",
        "/first-steps%2f..%2f..%2fsite.yaml",
        "/..%5csite.yaml",
        "/content/01-first-steps/01-hello.md",
        "/site.yaml",
    ] {
        let (status, _, body) = server.get(bad);
        assert_eq!(status, 404, "{bad}");
        assert!(!body.contains("title:"), "{bad} leaked a source file");
    }
    // A symlink in the output cannot exist: the site is served from memory,
    // and a symlink under content/ that leaves the site is refused at build.
}

#[test]
fn edits_add_and_delete_reach_the_browser() {
    let site = Site::fixture("basic");
    let server = Server::start(&site);
    let mut ws = server.socket();
    // Body edit.
    let page = site.path().join("content/01-first-steps/01-hello.md");
    let mut text = std::fs::read_to_string(&page).unwrap();
    text.push_str("\nA freshly written sentence.\n");
    std::fs::write(&page, &text).unwrap();
    reload_of(&mut ws, "first-steps/hello/index.html");
    server.wait_for("/first-steps/hello/", |s, b| {
        s == 200 && b.contains("A freshly written sentence.")
    });
    // New page.
    site.write(
        "content/01-first-steps/03-third.md",
        "---\ntitle: \"Third page\"\n---\n\nThird.\n",
    );
    reload_of(&mut ws, "first-steps/third/index.html");
    let body = server.wait_for("/first-steps/third/", |s, _| s == 200);
    let doc = scraper::Html::parse_document(&body);
    assert_eq!(text_of(&doc, "h1"), "Third page");
    // The sidebar of its neighbour now lists it.
    let body = server.wait_for("/first-steps/second/", |_, b| b.contains("Third page"));
    let doc = scraper::Html::parse_document(&body);
    assert_eq!(attr(one(&doc, "a[rel=next]"), "href"), "../third/");
    // Deleted page: gone, and its tabs are sent to the chapter.
    site.remove("content/01-first-steps/03-third.md");
    let m = message_of(&mut ws, "removed");
    assert_eq!(m["pages"][0][0], "first-steps/third/");
    assert_eq!(m["pages"][0][1], "first-steps/");
    server.wait_for("/first-steps/third/", |s, _| s == 404);
    // A new chapter appears.
    site.write(
        "content/03-more/_index.md",
        "---\ntitle: \"More\"\n---\n\nMore.\n",
    );
    server.wait_for("/more/", |s, _| s == 200);
}

#[test]
fn book_wide_pages_follow_a_burst_of_edits() {
    // print/ and the search index are refreshed from a copy of the book on
    // other threads once edits pause; whatever the timing of the edits
    // against those refreshes, the last edit is what they end up showing.
    let site = Site::fixture("basic");
    let server = Server::start(&site);
    let page = site.path().join("content/01-first-steps/01-hello.md");
    let original = std::fs::read_to_string(&page).unwrap();
    for (i, pause) in [0u64, 300, 5, 260, 40, 0, 280].iter().enumerate() {
        std::fs::write(&page, format!("{original}\nEdit number {i}.\n")).unwrap();
        server.wait_for("/first-steps/hello/", |_, b| {
            b.contains(&format!("Edit number {i}."))
        });
        std::thread::sleep(Duration::from_millis(*pause));
    }
    let print = server.wait_for("/print/", |_, b| b.contains("Edit number 6."));
    assert!(!print.contains("Edit number 5."));
    let doc = scraper::Html::parse_document(&print);
    assert!(text(one(&doc, "main")).contains("Edit number 6."));
}

fn text_of(doc: &scraper::Html, s: &str) -> String {
    text(one(doc, s))
}

#[test]
fn editor_saves_cause_one_rebuild() {
    let site = Site::fixture("basic");
    let server = Server::start(&site);
    let mut ws = server.socket();
    let dir = site.path().join("content/01-first-steps");
    // Vim-like: probe file, backup, write temp, rename over, delete backup;
    // plus swap files that must be ignored.
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::write(dir.join(".01-hello.md.swp"), "swap").unwrap();
    std::fs::copy(dir.join("01-hello.md"), dir.join("01-hello.md~")).unwrap();
    let mut text = std::fs::read_to_string(dir.join("01-hello.md")).unwrap();
    text.push_str("\nSaved through a temporary file.\n");
    std::fs::write(dir.join(".01-hello.md.tmp"), &text).unwrap();
    std::fs::rename(dir.join(".01-hello.md.tmp"), dir.join("01-hello.md")).unwrap();
    std::fs::remove_file(dir.join("01-hello.md~")).unwrap();
    reload_of(&mut ws, "first-steps/hello/index.html");
    server.wait_for("/first-steps/hello/", |_, b| {
        b.contains("Saved through a temporary file.")
    });
    // Exactly one reload for the page within the next moments (a second
    // message may only refresh book-wide pages such as print/).
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
        s.set_read_timeout(Some(Duration::from_millis(700)))
            .unwrap();
    }
    while let Ok(tungstenite::Message::Text(t)) = ws.read() {
        let m: serde_json::Value = serde_json::from_str(t.as_str()).unwrap();
        let again = m["paths"]
            .as_array()
            .is_some_and(|a| a.iter().any(|p| p == "first-steps/hello/index.html"));
        assert!(!again, "a second rebuild of the same save: {m}");
    }
}

#[test]
fn broken_edit_shows_overlay_keeps_last_good_and_clears() {
    let site = Site::fixture("basic");
    let server = Server::start(&site);
    let mut ws = server.socket();
    let page = site.path().join("content/01-first-steps/02-second.md");
    let good = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        good.replace("title: \"The second page\"", "title: [oops"),
    )
    .unwrap();
    let m = message_of(&mut ws, "errors");
    let e = &m["errors"][0];
    assert!(
        e["location"]
            .as_str()
            .unwrap()
            .starts_with("content/01-first-steps/02-second.md:2:"),
        "{m}"
    );
    // The last good page is still served.
    let (status, _, body) = server.get("/first-steps/second/");
    assert_eq!(status, 200);
    assert!(body.contains("The second page"));
    // A tab opened now learns about the error at once.
    let mut late = server.socket();
    assert_eq!(next_message(&mut late)["type"], "errors");
    // The terminal printed it once, in build's format.
    std::thread::sleep(Duration::from_millis(300));
    let lines: Vec<String> = server.stderr.try_iter().collect();
    let hits = lines
        .iter()
        .filter(|l| l.starts_with("content/01-first-steps/02-second.md:2:"))
        .count();
    assert_eq!(hits, 1, "{lines:?}");
    // Fixing it clears the overlay.
    std::fs::write(&page, good.replace("Second page,", "Second page, fixed,")).unwrap();
    message_of(&mut ws, "ok");
    server.wait_for("/first-steps/second/", |_, b| b.contains("fixed,"));
}

#[test]
fn port_in_use_is_a_clear_error() {
    let site = Site::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let r = site.run(&["serve", ".", "--port", &port]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("already in use") && r.stderr.contains("--port"),
        "{}",
        r.stderr
    );
    r.assert_no_panic();
}

#[test]
fn ctrl_c_stops_cleanly_and_leaves_nothing_behind() {
    let site = Site::fixture("basic");
    let before: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let mut server = Server::start(&site);
    server.get("/");
    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(killed.success());
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "serve exits cleanly on Ctrl-C");
    let after: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "serve left files behind");
}

/// Issue 6 (hardening), for `serve`: bad bytes, a named pipe and a symlink
/// loop appearing under `content/` become overlay errors with the file (and
/// line), the server keeps answering with the last good book, and removing
/// them clears the overlay.
#[test]
fn bad_files_while_serving_are_errors_not_hangs() {
    let site = Site::fixture("basic");
    let server = Server::start(&site);
    let mut ws = server.socket();
    let bad = site.path().join("content/01-first-steps/03-bad.md");
    std::fs::write(&bad, b"---\ntitle: x\n---\n\nbinary\x00data").unwrap();
    let m = message_of(&mut ws, "errors");
    assert!(
        m["errors"][0]["location"]
            .as_str()
            .unwrap()
            .starts_with("content/01-first-steps/03-bad.md:5:"),
        "{m}"
    );
    std::fs::remove_file(&bad).unwrap();
    message_of(&mut ws, "ok");
    let fifo = site.path().join("content/01-first-steps/03-pipe.md");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let m = message_of(&mut ws, "errors");
        assert!(m.to_string().contains("not a regular file"), "{m}");
        let (status, _, body) = server.get("/first-steps/second/");
        assert_eq!(status, 200);
        assert!(body.contains("The second page"));
        std::fs::remove_file(&fifo).unwrap();
        message_of(&mut ws, "ok");
    } else {
        eprintln!("mkfifo is not available: the named-pipe part is skipped");
    }
    #[cfg(unix)]
    {
        let link = site.path().join("content/01-first-steps/loop");
        std::os::unix::fs::symlink("..", &link).unwrap();
        let m = message_of(&mut ws, "errors");
        assert!(m.to_string().contains("makes a loop"), "{m}");
        std::fs::remove_file(&link).unwrap();
        message_of(&mut ws, "ok");
    }
    server.wait_for("/first-steps/second/", |s, _| s == 200);
}

#[test]
fn browser_reloads_the_edited_tab_keeping_its_scroll() {
    use crate::browser::{browser_dir, chromium_path, missing};
    if let Some(why) = missing() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the browser tests must run in CI, but {why}"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped: live-reload browser test: {why}"
        );
        return;
    }
    let site = Site::fixture("basic");
    // A page long enough to scroll.
    let hello = site.path().join("content/01-first-steps/01-hello.md");
    let mut text = std::fs::read_to_string(&hello).unwrap();
    for i in 0..60 {
        text.push_str(&format!(
            "\nParagraph {i} of filler text, so that the page scrolls.\n"
        ));
    }
    std::fs::write(&hello, text).unwrap();
    let server = Server::start(&site);
    let out = Command::new("node")
        .arg(browser_dir().join("live.mjs"))
        .args(["--url", &format!("http://127.0.0.1:{}/", server.port)])
        .args([
            "--page",
            "first-steps/hello/",
            "--other",
            "first-steps/second/",
        ])
        .arg("--file")
        .arg(&hello)
        .arg("--chromium")
        .arg(chromium_path())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "live-reload checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok - ")).count(),
        4,
        "{stdout}"
    );
}
