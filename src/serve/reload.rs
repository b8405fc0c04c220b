//! Live reload: the script injected into served pages, and the messages
//! the server pushes to it over a WebSocket.
//!
//! A WebSocket rather than Server-Sent Events: over HTTP/1.1 each SSE tab
//! holds one of the browser's six connections per host, so a seventh
//! preview tab would hang.
//!
//! Messages (JSON):
//! - `{"type":"reload","paths":[...]}` — these site paths changed; a tab
//!   reloads if its own page is among them or if any non-HTML file (CSS,
//!   script, image; not the search index) changed. Its scroll position is
//!   kept.
//! - `{"type":"removed","pages":[[from,to],...]}` — a tab showing `from`
//!   goes to `to` (the deleted page's chapter).
//! - `{"type":"errors","errors":[{location,message}]}` — show the overlay.
//! - `{"type":"ok"}` — the build is good again; remove the overlay.

use crate::diag::Diagnostics;

/// The script's URL on the preview server.
pub const SCRIPT_PATH: &str = "/__openbook/live.js";
/// The WebSocket's URL on the preview server.
pub const SOCKET_PATH: &str = "/__openbook/ws";

/// The client script.
pub const SCRIPT: &str = r#"/* openbook live preview: reloads this tab when its page changes. */
(function () {
  "use strict";
  var page = document.documentElement.getAttribute("data-page-url");
  if (page === null) page = location.pathname.replace(/^\//, "").replace(/index\.html$/, "");
  var key = "openbook-live-scroll:" + location.pathname;
  var saved = null;
  try { saved = sessionStorage.getItem(key); sessionStorage.removeItem(key); } catch (e) {}
  if (saved !== null) {
    var y = parseFloat(saved) || 0;
    var restore = function () { window.scrollTo(0, y); };
    restore();
    window.addEventListener("load", restore);
    document.addEventListener("openbook:ready", restore);
  }
  function reload() {
    try { sessionStorage.setItem(key, String(window.scrollY)); } catch (e) {}
    location.reload();
  }
  var overlay = null;
  function showErrors(errors) {
    clearErrors();
    overlay = document.createElement("div");
    overlay.id = "openbook-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0d0f;color:#ffe9e9;border:2px solid #ff6b6b;border-radius:10px;padding:1rem 1.2rem;" +
      "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 10px 40px rgba(0,0,0,.5)";
    var h = document.createElement("p");
    h.style.cssText = "margin:0 0 .6rem;font-weight:700;font:600 15px/1.4 system-ui,sans-serif";
    h.textContent = "openbook: the last edit did not build. You are seeing the last good version.";
    overlay.appendChild(h);
    errors.forEach(function (e) {
      var p = document.createElement("p");
      p.className = "openbook-error";
      p.style.cssText = "margin:.3rem 0;white-space:pre-wrap";
      var loc = document.createElement("strong");
      loc.textContent = e.location ? e.location + ": " : "";
      p.appendChild(loc);
      p.appendChild(document.createTextNode(e.message));
      overlay.appendChild(p);
    });
    document.body.appendChild(overlay);
  }
  function clearErrors() {
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
  }
  var retries = 0;
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__openbook/ws");
    ws.onopen = function () {
      if (retries > 0) reload(); /* the server restarted: the page may be stale */
      retries = 0;
    };
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === "reload") {
        var mine = page + "index.html";
        /* A tab reloads for its own page, or for a style, script or image
           that any page may use; the search index is fetched afresh anyway. */
        var hit = m.paths.some(function (p) {
          return p === mine || (!/\.html$/.test(p) && !/^search(-index\.js|\/)/.test(p));
        });
        if (hit) reload();
      } else if (m.type === "removed") {
        m.pages.forEach(function (pair) { if (pair[0] === page) location.href = "/" + pair[1]; });
      } else if (m.type === "errors") {
        showErrors(m.errors);
      } else if (m.type === "ok") {
        clearErrors();
      }
    };
    ws.onclose = function () {
      retries++;
      setTimeout(connect, Math.min(5000, 300 * retries));
    };
  }
  window.openbookLive = { showErrors: showErrors, clearErrors: clearErrors };
  connect();
})();
"#;

/// Insert the live-reload script into an HTML page.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\"></script>\n");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// The `reload` message for changed site paths.
pub fn reload_message(paths: &[String]) -> String {
    serde_json::json!({ "type": "reload", "paths": paths }).to_string()
}

/// The `removed` message: `(deleted page URL, where to go)`.
pub fn removed_message(pages: &[(String, String)]) -> String {
    serde_json::json!({ "type": "removed", "pages": pages }).to_string()
}

/// The `errors` message.
pub fn errors_message(diags: &Diagnostics) -> String {
    let errors: Vec<serde_json::Value> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| serde_json::json!({ "location": d.location(), "message": d.message }))
        .collect();
    serde_json::json!({ "type": "errors", "errors": errors }).to_string()
}

/// The `ok` message.
pub fn ok_message() -> String {
    serde_json::json!({ "type": "ok" }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(out.contains("<p>x</p><script src=\"/__openbook/live.js\"></script>\n</body>"));
    }

    #[test]
    fn error_messages_carry_locations() {
        let d = crate::diag::Diagnostic::error("bad")
            .in_file("content/a.md")
            .at(3, 1);
        let m: serde_json::Value = serde_json::from_str(&errors_message(&d.into())).unwrap();
        assert_eq!(m["errors"][0]["location"], "content/a.md:3:1");
        assert_eq!(m["errors"][0]["message"], "bad");
    }
}
