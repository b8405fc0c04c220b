//! Running Debian's `psql`: where it is, how it is started, how a
//! connection URL is pointed at another database.
//!
//! psql rather than a Rust driver (see `DEPENDENCIES.md`): it runs
//! meta-commands (`\d books`) and prints exactly what a reader sees. Every
//! run ignores `~/.psqlrc` (`-X`) and gets a fixed environment, so that
//! what is recorded does not depend on the author's machine: messages in
//! English, UTC, ISO dates, UTF-8, no pager, and the statement timeout as a
//! connection default (`PGOPTIONS`), which a page's own `RESET
//! statement_timeout` returns to rather than to "no limit".

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The psql to run: `PATH` first, then Debian's versioned folders (the
/// newest), where the client lives when only the server package is there.
pub fn find() -> Option<PathBuf> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join("psql");
            if p.is_file() {
                return Some(p);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let p = e.path().join("bin/psql");
            p.is_file().then_some((v, p))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, p)| p)
}

/// A psql command for `url`, with the fixed environment. `timeout` is the
/// per-statement limit.
pub fn command(psql: &Path, url: &str, timeout: Duration) -> Command {
    let mut c = Command::new(psql);
    c.arg("-X")
        .arg("-P")
        .arg("pager=off")
        .arg("-d")
        .arg(url)
        .stdin(Stdio::null())
        .env("LC_ALL", "C")
        .env("LANG", "C")
        .env("PGTZ", "UTC")
        .env("PGDATESTYLE", "ISO, MDY")
        .env("PGCLIENTENCODING", "UTF8")
        .env("PG_COLOR", "never")
        .env(
            "PGOPTIONS",
            format!("-c statement_timeout={}", timeout.as_millis()),
        );
    for v in ["PSQLRC", "PAGER", "PSQL_PAGER", "PGDATABASE", "COLUMNS"] {
        c.env_remove(v);
    }
    c
}

/// `url` with its database replaced by `db`. Accepts URLs
/// (`postgresql://user@host:5432/postgres?sslmode=require`), key=value
/// connection strings (`host=/tmp dbname=postgres`) and bare database
/// names.
pub fn with_database(url: &str, db: &str) -> String {
    for scheme in ["postgresql://", "postgres://"] {
        if let Some(rest) = url.strip_prefix(scheme) {
            let (before_query, query) = match rest.find('?') {
                Some(q) => (&rest[..q], &rest[q..]),
                None => (rest, ""),
            };
            let authority = before_query.split('/').next().unwrap_or("");
            return format!("{scheme}{authority}/{db}{query}");
        }
    }
    if url.contains('=') {
        // In a key=value string the last `dbname` wins.
        format!("{url} dbname={db}")
    } else {
        db.to_string()
    }
}

/// `url` with any password hidden, for messages.
pub fn redact(url: &str) -> String {
    for scheme in ["postgresql://", "postgres://"] {
        if let Some(rest) = url.strip_prefix(scheme) {
            let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
            let authority = &rest[..authority_end];
            if let Some((userinfo, host)) = authority.rsplit_once('@') {
                if let Some((user, _)) = userinfo.split_once(':') {
                    return format!("{scheme}{user}:***@{host}{}", &rest[authority_end..]);
                }
            }
            return url.to_string();
        }
    }
    url.split_whitespace()
        .map(|kv| {
            if kv.starts_with("password=") {
                "password=***"
            } else {
                kv
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a run ended.
#[derive(Debug)]
pub enum Ended {
    /// psql exited.
    Exited(ExitStatus),
    /// psql was still running at the deadline and was killed.
    TimedOut,
}

/// Run `cmd` with its stdout and stderr both going, interleaved in the
/// order psql wrote them, to `out`; kill it after `limit`. psql flushes
/// stdout before every message it writes to stderr, so the file reads in
/// the order a terminal would show.
pub fn run_to_file(mut cmd: Command, out: &Path, limit: Duration) -> std::io::Result<Ended> {
    let file = File::create(out)?;
    cmd.stdout(file.try_clone()?).stderr(file);
    let mut child = cmd.spawn()?;
    let deadline = Instant::now() + limit;
    let mut nap = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Ended::Exited(status));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Ended::TimedOut);
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(25));
    }
}

/// Quote `s` as a SQL string literal.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_is_replaced_in_every_url_form() {
        assert_eq!(
            with_database("postgresql://postgres@127.0.0.1:5432/postgres", "x"),
            "postgresql://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h/db?host=/tmp&port=5499", "x"),
            "postgres://u:p@h/x?host=/tmp&port=5499"
        );
        assert_eq!(
            with_database("postgresql://%2Ftmp%2Fsock", "x"),
            "postgresql://%2Ftmp%2Fsock/x"
        );
        assert_eq!(
            with_database("postgresql:///postgres?host=/tmp/s", "x"),
            "postgresql:///x?host=/tmp/s"
        );
        assert_eq!(
            with_database("host=/tmp dbname=a", "x"),
            "host=/tmp dbname=a dbname=x"
        );
        assert_eq!(with_database("postgres", "x"), "x");
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgresql://u:secret@h:5432/db"),
            "postgresql://u:***@h:5432/db"
        );
        assert_eq!(redact("postgresql://u@h/db"), "postgresql://u@h/db");
        assert_eq!(redact("host=h password=secret"), "host=h password=***");
    }

    #[test]
    fn literals_double_quotes() {
        assert_eq!(literal("it's"), "'it''s'");
    }
}
