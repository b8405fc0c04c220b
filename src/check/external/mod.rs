//! `check --external`: does every `http(s)` URL of the book still work?
//!
//! URLs come from the pages' Markdown links (recorded by the Markdown
//! stage with their line and column) and from the curated resources. Each
//! distinct URL (without its `#fragment`) is fetched once, however many
//! pages use it, and every use is reported.
//!
//! Requests run on a small pool of threads: at most
//! [`ExternalOptions::concurrency`] at once, and at most
//! [`ExternalOptions::per_host`] to any one host, so a book that cites one
//! site a hundred times does not hammer it. Each request has a timeout and
//! one retry ([`probe`]). Answers are cached ([`cache`]).
//!
//! When no host can be reached at all — every name lookup fails, or the
//! network is unreachable — the machine is offline: the checker stops
//! early and reports one "network unreachable" error instead of a failure
//! per link.
//!
//! The HTTP client is `ureq`: blocking (a thread pool of eight needs no
//! async runtime), small (rustls for TLS with bundled root certificates, so
//! it works the same on every machine without OpenSSL), and maintained.
//! `reqwest` would bring hyper, h2 and a tokio runtime for the same job.

pub mod cache;
pub mod probe;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::pipeline::Prepared;
use cache::{Cache, Entry};
use probe::{Failure, FailureKind, Outcome};

/// How external URLs are checked.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests in flight to one host at once.
    pub per_host: usize,
    /// Time allowed for one request (connect, send, headers).
    pub timeout: Duration,
    /// Retries after a timeout, a dropped connection, 429 or 5xx.
    pub retries: u32,
    /// Pause before a retry.
    pub retry_delay: Duration,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// How long a cached answer stays good.
    pub max_age: Duration,
    /// The cache file; `None` for no cache.
    pub cache_file: Option<PathBuf>,
    /// Distinct hosts that must all fail at the network level (with none
    /// answering) before the machine is taken to be offline.
    pub offline_after: usize,
}

impl ExternalOptions {
    /// The defaults for the site in `dir`: 8 requests at once, 2 per host,
    /// a 10-second timeout, 1 retry, 5 redirects, a cache kept for a day in
    /// `dir/.openbook-cache/`.
    pub fn new(dir: &Path) -> Self {
        ExternalOptions {
            concurrency: 8,
            per_host: 2,
            timeout: Duration::from_secs(10),
            retries: 1,
            retry_delay: Duration::from_millis(500),
            max_redirects: 5,
            max_age: Duration::from_secs(24 * 60 * 60),
            cache_file: Some(dir.join(cache::CACHE_FILE)),
            offline_after: 4,
        }
    }
}

/// One place a URL is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlUse {
    /// The URL as written.
    pub url: String,
    /// The file it is written in.
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Distinct URLs.
    pub urls: usize,
    /// Answered from the cache.
    pub from_cache: usize,
    /// Fetched over the network.
    pub fetched: usize,
    /// Working (possibly after a redirect).
    pub ok: usize,
    /// Redirected.
    pub redirected: usize,
    /// Broken or failing.
    pub broken: usize,
    /// Not checked (offline).
    pub unchecked: usize,
}

/// Every external `http(s)` URL of the book with where it is used: links
/// in the pages' Markdown and the curated resources.
pub fn collect(dir: &Path, p: &Prepared) -> Vec<UrlUse> {
    let mut uses = Vec::new();
    for &id in &p.book.order {
        let Some(page) = p.book.page_of(id) else {
            continue;
        };
        for (url, line, column) in &p.rendered[id].external_links {
            uses.push(UrlUse {
                url: url.clone(),
                file: page.shown.clone(),
                line: *line,
                column: *column,
            });
        }
        let lines = super::findings::url_lines(dir, page);
        let mut nth: HashMap<&str, usize> = HashMap::new();
        for r in page.resources.iter().flat_map(|g| &g.items) {
            let k = nth.entry(r.url.as_str()).or_default();
            let (file, line) = lines
                .iter()
                .filter(|(u, _, _)| *u == r.url)
                .nth(*k)
                .map_or((page.resources_file.clone(), 0), |(_, f, l)| {
                    (f.clone(), *l)
                });
            *k += 1;
            uses.push(UrlUse {
                url: r.url.clone(),
                file,
                line,
                column: if line > 0 { 1 } else { 0 },
            });
        }
    }
    uses.retain(|u| is_http(&u.url));
    uses
}

fn is_http(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The URL that is fetched for `url`: without its fragment.
fn fetch_key(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

/// The host of an `http(s)` URL, lowercased, for the per-host limit.
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    host.to_ascii_lowercase()
}

struct Queue {
    pending: VecDeque<usize>,
    in_flight: HashMap<String, usize>,
}

struct Shared<'a> {
    urls: &'a [String],
    hosts: Vec<String>,
    queue: Mutex<Queue>,
    wake: Condvar,
    results: Mutex<Vec<Option<Outcome>>>,
    offline: AtomicBool,
    network: Mutex<NetworkState>,
    opts: &'a ExternalOptions,
}

#[derive(Default)]
struct NetworkState {
    answered: bool,
    failed_hosts: HashSet<String>,
}

/// Check every URL in `uses`; returns the findings and counts.
pub fn check(uses: &[UrlUse], opts: &ExternalOptions) -> (Diagnostics, Stats) {
    let mut distinct: Vec<String> = uses.iter().map(|u| fetch_key(&u.url).to_string()).collect();
    distinct.sort();
    distinct.dedup();
    let mut cache = Cache::load(opts.cache_file.as_deref(), opts.max_age);
    let mut stats = Stats {
        urls: distinct.len(),
        ..Stats::default()
    };
    let mut outcomes: BTreeMap<String, Option<Outcome>> = BTreeMap::new();
    let mut to_fetch = Vec::new();
    for u in &distinct {
        match cache.get(u) {
            Some(e) => {
                stats.from_cache += 1;
                outcomes.insert(
                    u.clone(),
                    Some(Ok(probe::Answer {
                        status: e.status,
                        redirect: e.redirect.clone(),
                    })),
                );
            }
            None => to_fetch.push(u.clone()),
        }
    }
    let (fetched, offline) = fetch_all(&to_fetch, opts);
    for (u, o) in to_fetch.iter().zip(fetched) {
        if o.is_some() {
            stats.fetched += 1;
        }
        if let Some(Ok(a)) = &o {
            if (200..300).contains(&a.status) {
                cache.put(
                    u,
                    Entry {
                        checked: cache::now(),
                        status: a.status,
                        redirect: a.redirect.clone(),
                    },
                );
            }
        }
        outcomes.insert(u.clone(), o);
    }
    let mut diags = Diagnostics::new();
    if let Err(e) = cache.save() {
        diags.push(Diagnostic::warning(format!(
            "cannot save the external-link cache ({}): {e}; the next check will fetch \
             every URL again",
            cache::CACHE_FILE
        )));
    }
    for o in outcomes.values() {
        match o {
            None => stats.unchecked += 1,
            Some(Ok(a)) if (200..300).contains(&a.status) => {
                stats.ok += 1;
                if a.redirect.is_some() {
                    stats.redirected += 1;
                }
            }
            Some(Ok(a)) => {
                stats.broken += 1;
                if a.redirect.is_some() {
                    stats.redirected += 1;
                }
            }
            Some(Err(_)) => stats.broken += 1,
        }
    }
    if let Some(first) = offline {
        let hosts: HashSet<String> = to_fetch.iter().map(|u| host(u)).collect();
        diags.push(Diagnostic::error(format!(
            "network unreachable: none of the {} tried could be reached ({}: {}), so {} of {} \
             were not checked; connect to the network and run `openbook check --external` \
             again",
            plural(first.hosts_tried, "host", "hosts"),
            first.host,
            first.failure.message,
            plural(to_fetch.len(), "external URL", "external URLs"),
            plural(hosts.len(), "host", "hosts"),
        )));
        // Cached answers are still reported; fetched ones are not, since
        // they only say that the network is down.
        for u in uses {
            if let Some(Some(o)) = outcomes.get(fetch_key(&u.url)) {
                if cache.get(fetch_key(&u.url)).is_some() {
                    if let Some(d) = finding(u, o, opts) {
                        diags.push(d);
                    }
                }
            }
        }
        return (diags, stats);
    }
    for u in uses {
        if let Some(Some(o)) = outcomes.get(fetch_key(&u.url)) {
            if let Some(d) = finding(u, o, opts) {
                diags.push(d);
            }
        }
    }
    (diags, stats)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first failure seen when the machine turned out to be offline.
struct OfflineProof {
    hosts_tried: usize,
    host: String,
    failure: Failure,
}

/// Fetch `urls` on a thread pool. Returns one outcome per URL (`None` if
/// it was not fetched because the machine is offline) and, if so, why.
fn fetch_all(
    urls: &[String],
    opts: &ExternalOptions,
) -> (Vec<Option<Outcome>>, Option<OfflineProof>) {
    if urls.is_empty() {
        return (Vec::new(), None);
    }
    let shared = Shared {
        urls,
        hosts: urls.iter().map(|u| host(u)).collect(),
        queue: Mutex::new(Queue {
            pending: (0..urls.len()).collect(),
            in_flight: HashMap::new(),
        }),
        wake: Condvar::new(),
        results: Mutex::new(vec![None; urls.len()]),
        offline: AtomicBool::new(false),
        network: Mutex::new(NetworkState::default()),
        opts,
    };
    let distinct_hosts: HashSet<&String> = shared.hosts.iter().collect();
    let offline_after = opts.offline_after.clamp(1, distinct_hosts.len().max(1));
    let agent = probe::agent(opts);
    let workers = opts.concurrency.clamp(1, urls.len());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| worker(&shared, &agent, offline_after));
        }
    });
    let results = shared
        .results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    let offline = shared.offline.load(Ordering::SeqCst);
    let proof = offline.then(|| {
        let net = shared
            .network
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let (host, failure) = results
            .iter()
            .zip(&shared.hosts)
            .find_map(|(r, h)| match r {
                Some(Err(f)) if f.is_network() => Some((h.clone(), f.clone())),
                _ => None,
            })
            .unwrap_or_else(|| {
                (
                    String::new(),
                    Failure {
                        kind: FailureKind::Unreachable,
                        message: "no answer".into(),
                    },
                )
            });
        OfflineProof {
            hosts_tried: net.failed_hosts.len(),
            host,
            failure,
        }
    });
    let results = if offline {
        // Nothing fetched says anything about the links.
        results
            .into_iter()
            .map(|r| r.filter(|o| !matches!(o, Err(f) if f.is_network())))
            .collect()
    } else {
        results
    };
    (results, proof)
}

fn worker(shared: &Shared<'_>, agent: &ureq::Agent, offline_after: usize) {
    loop {
        let index = {
            let mut q = shared.queue.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if shared.offline.load(Ordering::SeqCst) || q.pending.is_empty() {
                    shared.wake.notify_all();
                    return;
                }
                let pos = q.pending.iter().position(|&i| {
                    q.in_flight.get(&shared.hosts[i]).copied().unwrap_or(0) < shared.opts.per_host
                });
                match pos {
                    Some(p) => {
                        let i = q.pending.remove(p).unwrap_or_default();
                        *q.in_flight.entry(shared.hosts[i].clone()).or_default() += 1;
                        break i;
                    }
                    None => {
                        q = shared.wake.wait(q).unwrap_or_else(|e| e.into_inner());
                    }
                }
            }
        };
        let outcome = probe::probe(agent, &shared.urls[index], shared.opts);
        {
            let mut net = shared.network.lock().unwrap_or_else(|e| e.into_inner());
            match &outcome {
                Err(f) if f.is_network() => {
                    net.failed_hosts.insert(shared.hosts[index].clone());
                }
                _ => net.answered = true,
            }
            if !net.answered && net.failed_hosts.len() >= offline_after {
                shared.offline.store(true, Ordering::SeqCst);
            }
        }
        shared.results.lock().unwrap_or_else(|e| e.into_inner())[index] = Some(outcome);
        let mut q = shared.queue.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = q.in_flight.get_mut(&shared.hosts[index]) {
            *n = n.saturating_sub(1);
        }
        shared.wake.notify_all();
    }
}

/// The diagnostic for one use of a URL, if there is something to say.
fn finding(u: &UrlUse, o: &Outcome, opts: &ExternalOptions) -> Option<Diagnostic> {
    let d = match o {
        Ok(a) if (200..300).contains(&a.status) => match &a.redirect {
            None => return None,
            Some((code, to)) => Diagnostic::warning(format!(
                "`{}` redirects ({code}) to `{to}`; expected the final URL (link to it \
                 directly)",
                u.url
            )),
        },
        Ok(a) => {
            let via = match &a.redirect {
                Some((code, to)) => format!(" after redirecting ({code}) to `{to}`"),
                None => String::new(),
            };
            let what = if a.status == 429 {
                "is rate-limiting requests (429 Too Many Requests) and could not be checked"
                    .to_string()
            } else {
                format!("answers {}{via}", status_text(a.status))
            };
            let d = format!("`{}` {what}; expected a working page", u.url);
            if a.status == 429 {
                Diagnostic::warning(d)
            } else {
                Diagnostic::error(d)
            }
        }
        Err(f) => {
            let why = match f.kind {
                FailureKind::Timeout => format!(
                    "did not answer within {} ({})",
                    probe::seconds(opts.timeout),
                    plural(opts.retries as usize + 1, "try", "tries")
                ),
                FailureKind::Dns => format!("has a host name that cannot be found ({})", f.message),
                FailureKind::TooManyRedirects => format!("redirects too often ({})", f.message),
                _ => format!("cannot be fetched ({})", f.message),
            };
            Diagnostic::error(format!("`{}` {why}; expected a working page", u.url))
        }
    };
    Some(d.in_file(&u.file).at(u.line, u.column))
}

fn status_text(status: u16) -> String {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    };
    if reason.is_empty() {
        format!("{status}")
    } else {
        format!("{status} {reason}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_keys() {
        assert_eq!(
            host("https://User@Example.org:8080/x?y#z"),
            "example.org:8080"
        );
        assert_eq!(fetch_key("https://a.org/x#frag"), "https://a.org/x");
        assert!(is_http("HTTPS://a.org"));
        assert!(!is_http("mailto:a@b.org"));
    }
}
