//! A PostgreSQL server for the tests that verify SQL examples.
//!
//! `DATABASE_URL` is used when set (CI starts a throwaway cluster and sets
//! it). Otherwise the tests start a private cluster once per test binary:
//! `initdb` into a temporary folder and `postgres` listening only on a unix
//! socket there, as the `postgres` user when the tests run as root (initdb
//! refuses root). The server runs under a small shell that stops it and
//! deletes its folder when the test binary's end of a pipe closes, so it
//! never outlives the tests, even when they fail. Where neither works, a
//! test that needs a server prints why and returns.

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A server to verify examples on.
pub struct Pg {
    /// Its connection URL.
    pub url: String,
    /// Keeps the private cluster alive until the test binary exits.
    _keep: Option<Mutex<(Child, ChildStdin)>>,
}

impl Pg {
    /// Run one statement with psql; its unaligned output.
    pub fn query(&self, sql: &str) -> String {
        let out = Command::new(psql().expect("psql"))
            .args(["-X", "-A", "-t", "-d", &self.url, "-c", sql])
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

static SERVER: OnceLock<Result<Pg, String>> = OnceLock::new();

/// The server, or `None` after printing why there is none.
pub fn server(test: &str) -> Option<&'static Pg> {
    match SERVER.get_or_init(start) {
        Ok(pg) => Some(pg),
        Err(why) => {
            eprintln!("skipping {test}: no PostgreSQL server ({why})");
            None
        }
    }
}

fn start() -> Result<Pg, String> {
    if psql().is_none() {
        return Err("psql is not installed".into());
    }
    if let Ok(url) = std::env::var("DATABASE_URL") {
        if !url.trim().is_empty() {
            let pg = Pg { url, _keep: None };
            return match ready(&pg.url) {
                true => Ok(pg),
                false => Err(format!("DATABASE_URL={} does not answer", pg.url)),
            };
        }
    }
    private_cluster()
}

fn ready(url: &str) -> bool {
    Command::new(psql().expect("psql"))
        .args(["-X", "-q", "-d", url, "-c", "SELECT 1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// psql, or a binary of the server, from `PATH` or Debian's folders.
fn binary(name: &str) -> Option<PathBuf> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            if dir.join(name).is_file() {
                return Some(dir.join(name));
            }
        }
    }
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse().ok()?;
            Some((v, e.path().join("bin").join(name)))
        })
        .filter(|(_, p)| p.is_file())
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, p)| p)
}

fn psql() -> Option<PathBuf> {
    binary("psql")
}

fn private_cluster() -> Result<Pg, String> {
    let initdb = binary("initdb").ok_or("DATABASE_URL is not set and initdb is not installed")?;
    let postgres = binary("postgres").ok_or("postgres is not installed")?;
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let dir = tempfile::Builder::new()
        .prefix("openbook-pg-")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    let as_user = |script: &str| -> Command {
        if root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", "sh", "-c", script]);
            c
        } else {
            let mut c = Command::new("sh");
            c.args(["-c", script]);
            c
        }
    };
    if root {
        let ok = Command::new("chown")
            .args(["postgres:", &dir.display().to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = std::fs::remove_dir_all(&dir);
            return Err("running as root and there is no `postgres` user to run initdb".into());
        }
    }
    let q = |p: &Path| format!("'{}'", p.display());
    let data = dir.join("data");
    let init = as_user(&format!(
        "{} -D {} -A trust -U postgres -E UTF8 --locale=C --no-sync >{} 2>&1",
        q(&initdb),
        q(&data),
        q(&dir.join("initdb.log"))
    ))
    .status()
    .map_err(|e| e.to_string())?;
    if !init.success() {
        let log = std::fs::read_to_string(dir.join("initdb.log")).unwrap_or_default();
        let _ = as_user(&format!("rm -rf {}", q(&dir))).status();
        let _ = std::fs::remove_dir_all(&dir);
        return Err(format!(
            "initdb failed: {}",
            log.lines().last().unwrap_or("")
        ));
    }
    // The shell stops the server and removes its folder when our end of
    // its stdin closes, that is when this test binary exits.
    let script = format!(
        "{} -D {} -k {} -c listen_addresses= -c fsync=off -c full_page_writes=off >{} 2>&1 & pid=$!; read _; kill -INT $pid; wait $pid; rm -rf {}",
        q(&postgres),
        q(&data),
        q(&dir),
        q(&dir.join("server.log")),
        q(&dir)
    );
    let mut child = as_user(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let stdin = child.stdin.take().ok_or("no stdin")?;
    let url = format!(
        "postgresql:///postgres?host={}&user=postgres",
        dir.display()
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready(&url) {
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            return Err(format!(
                "the private server did not start: {}",
                log.lines().last().unwrap_or("")
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(Pg {
        url,
        _keep: Some(Mutex::new((child, stdin))),
    })
}
