//! Asking one URL whether it works.
//!
//! A `HEAD` request first (no body to download); if the server answers it
//! with anything but success or a redirect (many refuse `HEAD` with 403,
//! 404 or 405), a `GET`, whose body is never read. Redirects are followed
//! by hand, up to a limit, so that the first redirect can be reported and
//! the final target still checked. A timeout, a dropped connection, `429
//! Too Many Requests` or a 5xx answer is retried after a short pause; a
//! failed name lookup is not (it is how an offline machine answers).

use std::io::ErrorKind;
use std::time::Duration;

use super::ExternalOptions;

/// A final answer from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status of the last response (after redirects).
    pub status: u16,
    /// The first redirect's status and the URL the chain ended at.
    pub redirect: Option<(u16, String)>,
}

/// Why no answer came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The host name could not be looked up.
    Dns,
    /// The network or host is unreachable.
    Unreachable,
    /// No answer within the timeout.
    Timeout,
    /// Redirects went on past the limit (or in a loop).
    TooManyRedirects,
    /// Anything else: refused connection, TLS error, bad URL...
    Other,
}

/// No HTTP answer, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The class of failure.
    pub kind: FailureKind,
    /// The error as the HTTP client put it.
    pub message: String,
}

impl Failure {
    /// True when the failure says nothing about the URL, only about this
    /// machine's network (the basis of the "network unreachable" summary).
    pub fn is_network(&self) -> bool {
        matches!(self.kind, FailureKind::Dns | FailureKind::Unreachable)
    }
}

/// The outcome of checking one URL.
pub type Outcome = Result<Answer, Failure>;

/// An HTTP client configured for checking: no automatic redirects, status
/// codes as values, a per-request timeout.
pub fn agent(opts: &ExternalOptions) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!(
            "openbook-check/",
            env!("CARGO_PKG_VERSION"),
            " (link checker)"
        ))
        .build()
        .into()
}

/// Check `url`, following redirects.
pub fn probe(agent: &ureq::Agent, url: &str, opts: &ExternalOptions) -> Outcome {
    let mut current = url.to_string();
    let mut redirect: Option<(u16, String)> = None;
    for _ in 0..=opts.max_redirects {
        let (status, location) = with_retry(agent, &current, opts)?;
        match location.filter(|_| is_redirect(status)) {
            Some(loc) => {
                let next = join(&current, &loc);
                match &mut redirect {
                    Some((_, to)) => *to = next.clone(),
                    None => redirect = Some((status, next.clone())),
                }
                current = next;
            }
            None => return Ok(Answer { status, redirect }),
        }
    }
    Err(Failure {
        kind: FailureKind::TooManyRedirects,
        message: format!("more than {} redirects", opts.max_redirects),
    })
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

fn retryable(r: &Result<(u16, Option<String>), Failure>) -> bool {
    match r {
        Ok((status, _)) => *status == 429 || (*status >= 500 && *status != 501),
        Err(f) => matches!(f.kind, FailureKind::Timeout | FailureKind::Other),
    }
}

fn with_retry(
    agent: &ureq::Agent,
    url: &str,
    opts: &ExternalOptions,
) -> Result<(u16, Option<String>), Failure> {
    let mut attempt = 0;
    loop {
        let r = head_then_get(agent, url);
        if attempt >= opts.retries || !retryable(&r) {
            return r;
        }
        attempt += 1;
        std::thread::sleep(opts.retry_delay);
    }
}

fn head_then_get(agent: &ureq::Agent, url: &str) -> Result<(u16, Option<String>), Failure> {
    match send(agent.head(url).call()) {
        Ok((s, loc)) if (200..400).contains(&s) => Ok((s, loc)),
        // A GET would fail the same way (and wait out the timeout again).
        Err(f) if f.kind != FailureKind::Other => Err(f),
        _ => send(agent.get(url).call()),
    }
}

fn send(
    r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<(u16, Option<String>), Failure> {
    match r {
        Ok(resp) => {
            let location = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            Ok((resp.status().as_u16(), location))
        }
        Err(e) => Err(classify(e)),
    }
}

fn classify(e: ureq::Error) -> Failure {
    let message = e.to_string();
    let kind = match &e {
        ureq::Error::HostNotFound => FailureKind::Dns,
        ureq::Error::Timeout(_) => FailureKind::Timeout,
        ureq::Error::TooManyRedirects => FailureKind::TooManyRedirects,
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::TimedOut | ErrorKind::WouldBlock => FailureKind::Timeout,
            ErrorKind::NetworkUnreachable | ErrorKind::HostUnreachable => FailureKind::Unreachable,
            _ if message.contains("lookup address") || message.contains("resolve") => {
                FailureKind::Dns
            }
            _ => FailureKind::Other,
        },
        _ => FailureKind::Other,
    };
    Failure { kind, message }
}

/// Resolve a `Location` header against the URL that sent it.
pub fn join(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else {
        return location.to_string();
    };
    if location.starts_with("//") {
        return format!("{scheme}:{location}");
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &base[..scheme.len() + 3 + authority_end];
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = &rest[authority_end..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!(
        "{origin}{}",
        remove_dot_segments(&format!("{dir}{location}"))
    )
}

/// `/a/b/../c/./d` → `/a/c/d` (RFC 3986, section 5.2.4), leaving any query
/// alone.
fn remove_dot_segments(path: &str) -> String {
    let (path, query) = match path.find(['?', '#']) {
        Some(i) => path.split_at(i),
        None => (path, ""),
    };
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." | ".." => {
                if *seg == ".." && out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("{}{query}", out.join("/"))
}

/// The time a request may take before it counts as a timeout, for
/// messages.
pub fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 && s.fract() == 0.0 {
        format!("{} s", s as u64)
    } else {
        format!("{s:.1} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_resolve_against_the_url() {
        let b = "https://x.org/docs/a/page.html?q=1";
        assert_eq!(join(b, "https://y.org/"), "https://y.org/");
        assert_eq!(join(b, "//y.org/z"), "https://y.org/z");
        assert_eq!(join(b, "/root"), "https://x.org/root");
        assert_eq!(join(b, "other.html"), "https://x.org/docs/a/other.html");
        assert_eq!(join("https://x.org", "p"), "https://x.org/p");
        assert_eq!(join(b, "../b/./c?x=1"), "https://x.org/docs/b/c?x=1");
        assert_eq!(join(b, "../../../../up"), "https://x.org/up");
        assert_eq!(join(b, ".."), "https://x.org/docs/");
    }
}
