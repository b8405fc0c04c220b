//! Verifying pages against a server: scratch databases, one psql session
//! per page, and cleaning up.
//!
//! For each build: one connection check (which also reads the server's
//! major version); if the book has a `sql.setup` file, one template
//! database with it loaded, so each page's scratch database is a cheap
//! copy instead of a fresh run of the setup. For each page: a scratch
//! database `ob_<nonce>_<n>` created from the template, the page's blocks
//! run in page order in one psql session (so `SET`, temporary tables and
//! open transactions carry from block to block, as for a reader), then the
//! database dropped.
//!
//! `DROP DATABASE` waits for a checkpoint, which takes from milliseconds
//! to seconds depending on the server's disk; drops are therefore started
//! in the background as pages finish and awaited at the end, where the
//! server serves many of them with one checkpoint. Pages run on a few
//! threads at once (each mostly waits for the server).
//!
//! Roles are shared by the whole server, so pages that create roles run
//! one at a time: otherwise a page listing its roles could see another
//! page's, and its output would depend on timing. Roles a page created and
//! did not drop are dropped after its database, before the next such page
//! runs, and the page gets a warning.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::guard::Guard;
use super::lex::{self, Split};
use super::output::Severity;
use super::psql::{self, Ended};
use super::record::tidy;
use super::transcript::{self, Transcript};
use crate::diag::Diagnostic;
use crate::markdown::{SqlBlock, SqlMode};

/// How many errors one page reports before it stops listing them.
const MAX_ERRORS: usize = 5;

/// A connection to the server examples are verified on.
pub struct Server {
    psql: PathBuf,
    url: String,
    /// The server's major version (15 for 15.8).
    pub major: u32,
    timeout: Duration,
    nonce: String,
    next: AtomicUsize,
    template: Option<String>,
    drops: Mutex<Vec<Child>>,
    /// Held while a page that creates roles runs.
    roles: Mutex<()>,
    scratch: tempfile::TempDir,
}

/// A page to verify.
pub struct Job<'a> {
    /// The file, as shown in messages.
    pub file: &'a Path,
    /// Its run blocks.
    pub blocks: &'a [SqlBlock],
}

/// The outcome of a page.
#[derive(Debug, Default)]
pub struct PageRun {
    /// What psql printed for each block (tidied), when the page passed.
    pub outputs: Option<Vec<String>>,
    /// Errors and warnings.
    pub diags: Vec<Diagnostic>,
}

impl Server {
    /// Check that `url` answers and read the server's version.
    pub fn connect(url: &str, timeout: Duration) -> Result<Server, Diagnostic> {
        let psql = psql::find().ok_or_else(|| {
            Diagnostic::error(
                "cannot verify the SQL examples: psql is not installed; expected PostgreSQL's \
                 client (Debian: `apt install postgresql-client`), or build without a database \
                 to show the recorded results",
            )
        })?;
        let scratch = tempfile::Builder::new()
            .prefix("openbook-sql-")
            .tempdir()
            .map_err(|e| Diagnostic::error(format!("cannot create a temporary folder: {e}")))?;
        let mut server = Server {
            psql,
            url: url.to_string(),
            major: 0,
            timeout,
            nonce: nonce(),
            next: AtomicUsize::new(0),
            template: None,
            drops: Mutex::new(Vec::new()),
            roles: Mutex::new(()),
            scratch,
        };
        let answers = server
            .admin(&[
                "SHOW server_version_num",
                "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user",
            ])
            .map_err(|e| {
                Diagnostic::error(format!(
                "cannot connect to PostgreSQL at {} to verify the SQL examples: {e}; expected a \
                 running server (or build without a database to show the recorded results)",
                psql::redact(url)
            ))
            })?;
        let mut lines = answers.lines().map(str::trim);
        let num: u32 = lines.next().unwrap_or("").parse().unwrap_or(0);
        server.major = num / 10000;
        if lines.next() == Some("f") {
            return Err(Diagnostic::error(format!(
                "cannot verify the SQL examples on {}: its role may not create databases; \
                 expected a role with CREATEDB (on a throwaway server, a superuser is simplest)",
                psql::redact(url)
            )));
        }
        Ok(server)
    }

    /// Run one-off statements in the maintenance database; stdout, or the
    /// first error line.
    fn admin(&self, statements: &[&str]) -> Result<String, String> {
        let mut cmd = psql::command(&self.psql, &self.url, self.timeout);
        cmd.args(["-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]);
        for s in statements {
            cmd.arg("-c").arg(s);
        }
        let out = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.psql.display()))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("psql failed")
                .trim_start_matches("psql: ")
                .to_string();
            Err(first)
        }
    }

    fn create_database(&self, name: &str) -> Result<(), Diagnostic> {
        let sql = match &self.template {
            Some(t) => format!("CREATE DATABASE {name} TEMPLATE {t}"),
            None => format!("CREATE DATABASE {name}"),
        };
        self.admin(&[&sql]).map(|_| ()).map_err(|e| {
            Diagnostic::error(format!(
                "cannot create a scratch database to verify the SQL examples: {e}; the role in \
                 the connection URL needs the CREATEDB privilege (on a throwaway server, a \
                 superuser is simplest)"
            ))
        })
    }

    /// Load the `sql.setup` file into a template database for every page.
    pub fn load_setup(&mut self, path: &Path, shown: &Path) -> Result<(), Diagnostic> {
        let name = format!("ob_{}_setup", self.nonce);
        self.create_database(&name)?;
        self.template = Some(name.clone());
        let out_file = self.scratch.path().join("setup.out");
        let mut cmd = psql::command(
            &self.psql,
            &psql::with_database(&self.url, &name),
            self.timeout,
        );
        cmd.args(["-q", "-v", "ON_ERROR_STOP=1", "-f"]).arg(path);
        let ended = psql::run_to_file(cmd, &out_file, self.timeout * 20 + Duration::from_secs(10))
            .map_err(|e| Diagnostic::error(format!("cannot run psql: {e}")).in_file(shown))?;
        let out = std::fs::read_to_string(&out_file).unwrap_or_default();
        match ended {
            Ended::Exited(s) if s.success() => Ok(()),
            Ended::TimedOut => Err(Diagnostic::error(format!(
                "the setup file did not finish within {} s",
                (self.timeout * 20).as_secs()
            ))
            .in_file(shown)),
            Ended::Exited(_) => {
                let prefix = format!("psql:{}:", path.display());
                let lines: Vec<&str> = out.lines().collect();
                let at = lines.iter().position(|l| {
                    l.starts_with(&prefix)
                        && (l.contains(": ERROR:")
                            || l.contains(": error:")
                            || l.contains(": FATAL:"))
                });
                let (line, message) = match at {
                    Some(i) => {
                        let rest = &lines[i][prefix.len()..];
                        let (n, msg) = rest.split_once(": ").unwrap_or(("0", rest));
                        let mut msg = vec![msg.to_string()];
                        msg.extend(lines[i + 1..].iter().map(|l| l.to_string()));
                        (n.parse().unwrap_or(0), transcript::summary(&msg))
                    }
                    None => (0, out.lines().last().unwrap_or("psql failed").to_string()),
                };
                Err(
                    Diagnostic::error(format!("the SQL setup file failed: {message}"))
                        .in_file(shown)
                        .at(line, 0),
                )
            }
        }
    }

    /// Verify one page.
    pub fn run_page(&self, job: &Job<'_>) -> PageRun {
        let mut run = PageRun::default();
        let splits: Vec<Split> = job.blocks.iter().map(|b| lex::split(&b.code)).collect();
        let mut guard = Guard::default();
        for (b, s) in job.blocks.iter().zip(&splits) {
            for st in &s.statements {
                if let Err(why) = guard.check(st) {
                    run.diags.push(
                        Diagnostic::error(format!(
                            "this example is not run: it {why}; show it in a plain ```sql block \
                             instead"
                        ))
                        .in_file(job.file)
                        .at(b.line + st.line, st.column + 1),
                    );
                }
            }
            if let Some(u) = &s.unterminated {
                run.diags.push(
                    Diagnostic::error(format!(
                        "this block ends inside {}; psql would wait for more input and run it \
                         together with the next block",
                        u.what
                    ))
                    .in_file(job.file)
                    .at(b.line + u.line, u.column + 1),
                );
            }
        }
        if !run.diags.is_empty() {
            return run;
        }
        let roles = guard.created_roles().to_vec();
        let _one_at_a_time =
            (!roles.is_empty()).then(|| self.roles.lock().unwrap_or_else(|e| e.into_inner()));
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let db = format!("ob_{}_{n}", self.nonce);
        let existing = match self.existing_roles(&roles) {
            Ok(e) => e,
            Err(d) => {
                run.diags.push(d.in_file(job.file));
                return run;
            }
        };
        if let Err(d) = self.create_database(&db) {
            run.diags.push(d.in_file(job.file));
            return run;
        }
        let result = self.session(job, &splits, &db, &roles);
        let (transcript, ended, starts) = match result {
            Ok(t) => t,
            Err(d) => {
                self.drop_later(&db);
                run.diags.push(d.in_file(job.file));
                return run;
            }
        };
        let left: Vec<String> = transcript
            .after
            .iter()
            .filter_map(|l| l.strip_prefix("role:"))
            .map(str::to_string)
            .filter(|r| !existing.contains(r))
            .collect();
        if left.is_empty() {
            self.drop_later(&db);
        } else {
            // Now, before the next page that creates roles.
            self.drop_now(&db, &left);
        }
        for r in &left {
            run.diags.push(
                Diagnostic::warning(format!(
                    "the role `{r}` created on this page still exists at its end; openbook \
                     dropped it, but readers who follow along keep it (end the page with `DROP \
                     ROLE {r};`)"
                ))
                .in_file(job.file)
                .at(job.blocks.first().map_or(0, |b| b.line), 1),
            );
        }
        self.judge(job, &splits, &transcript, &ended, &starts, &mut run);
        if !run.diags.iter().any(Diagnostic::is_error) {
            run.outputs = Some(
                transcript
                    .blocks
                    .iter()
                    .map(|b| tidy(b.as_deref().unwrap_or("")))
                    .collect(),
            );
        }
        run
    }

    /// Roles among `roles` that exist before the page runs (never dropped).
    fn existing_roles(&self, roles: &[String]) -> Result<Vec<String>, Diagnostic> {
        if roles.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = roles.iter().map(|r| psql::literal(r)).collect();
        let sql = format!(
            "SELECT rolname FROM pg_roles WHERE rolname IN ({})",
            list.join(", ")
        );
        self.admin(&[&sql])
            .map(|out| out.lines().map(str::to_string).collect())
            .map_err(|e| Diagnostic::error(format!("cannot list roles: {e}")))
    }

    /// Write the page's script, run it, and split the output. Returns the
    /// transcript, how psql ended, and the script line of each block's
    /// first line.
    fn session(
        &self,
        job: &Job<'_>,
        splits: &[Split],
        db: &str,
        roles: &[String],
    ) -> Result<(Transcript, Ended, Vec<usize>), Diagnostic> {
        let script_path = self.scratch.path().join(format!("{db}.sql"));
        let out_path = self.scratch.path().join(format!("{db}.out"));
        let mut script = String::from(
            "\\set QUIET on\n\\pset null '\u{2400}'\n\\set VERBOSITY default\n\\set QUIET off\n",
        );
        let mut line = script.lines().count() + 1;
        let mut starts = Vec::with_capacity(job.blocks.len());
        for (i, b) in job.blocks.iter().enumerate() {
            script.push_str(&format!("\\echo {}\n", transcript::marker(&self.nonce, i)));
            line += 1;
            starts.push(line);
            script.push_str(&b.code);
            if !b.code.ends_with('\n') {
                script.push('\n');
            }
            line += b.code.lines().count().max(1);
        }
        script.push_str(&format!("\\echo {}\n", transcript::end_marker(&self.nonce)));
        if !roles.is_empty() {
            // After the page: which of its roles are left. A failed
            // transaction would refuse the query, so end it first.
            let list: Vec<String> = roles.iter().map(|r| psql::literal(r)).collect();
            script.push_str(&format!(
                "\\set QUIET on\nROLLBACK;\nRESET ROLE;\n\\pset tuples_only on\n\\pset format unaligned\n\
                 SELECT 'role:' || rolname FROM pg_roles WHERE rolname IN ({});\n",
                list.join(", ")
            ));
        }
        std::fs::write(&script_path, &script)
            .map_err(|e| Diagnostic::error(format!("cannot write a temporary file: {e}")))?;
        let statements: usize = splits.iter().map(|s| s.statements.len()).sum();
        let limit = self.timeout * (statements as u32 + 2) + Duration::from_secs(10);
        let mut cmd = psql::command(
            &self.psql,
            &psql::with_database(&self.url, db),
            self.timeout,
        );
        cmd.arg("-f").arg(&script_path);
        let ended = psql::run_to_file(cmd, &out_path, limit)
            .map_err(|e| Diagnostic::error(format!("cannot run psql: {e}")))?;
        let bytes = std::fs::read(&out_path).unwrap_or_default();
        let out = String::from_utf8_lossy(&bytes);
        let t = transcript::parse(&out, &script_path, &self.nonce, job.blocks.len());
        let _ = std::fs::remove_file(&script_path);
        let _ = std::fs::remove_file(&out_path);
        if t.blocks.first().is_some_and(Option::is_none) && !t.before.is_empty() {
            let why = t
                .before
                .iter()
                .find(|l| !l.trim().is_empty())
                .cloned()
                .unwrap_or_default();
            return Err(Diagnostic::error(format!(
                "cannot run this page's SQL examples: {}",
                why.trim_start_matches("psql: ")
            ))
            .at(job.blocks.first().map_or(0, |b| b.line), 1));
        }
        Ok((t, ended, starts))
    }

    /// Turn the transcript into errors: unexpected errors, expected errors
    /// that did not happen, a session that ended early.
    fn judge(
        &self,
        job: &Job<'_>,
        splits: &[Split],
        t: &Transcript,
        ended: &Ended,
        starts: &[usize],
        run: &mut PageRun,
    ) {
        let mut errors = 0;
        for (i, b) in job.blocks.iter().enumerate() {
            if t.blocks[i].is_none() {
                let why = match ended {
                    Ended::TimedOut => format!(
                        "psql did not finish within the page's time limit ({} s per statement)",
                        self.timeout.as_secs()
                    ),
                    Ended::Exited(_) => {
                        let last = t.issues.last().map(|i| transcript::summary(&i.lines));
                        format!(
                            "the psql session ended before this block{}",
                            last.map(|l| format!(" ({l})")).unwrap_or_default()
                        )
                    }
                };
                run.diags.push(
                    Diagnostic::error(format!("this block did not run: {why}"))
                        .in_file(job.file)
                        .at(b.line, 1),
                );
                return;
            }
            let issues: Vec<_> = t
                .issues
                .iter()
                .filter(|x| x.block == i && x.severity == Severity::Error)
                .collect();
            match b.mode {
                SqlMode::ExpectError if issues.is_empty() => {
                    run.diags.push(
                        Diagnostic::error(
                            "this `sql run expect-error` block ran without an error; expected at \
                             least one statement to fail (or remove `expect-error`)",
                        )
                        .in_file(job.file)
                        .at(b.line.saturating_sub(1), 1),
                    );
                }
                SqlMode::ExpectError => {}
                SqlMode::Run | SqlMode::Setup => {
                    for issue in issues {
                        errors += 1;
                        if errors > MAX_ERRORS {
                            continue;
                        }
                        let block_line = issue.script_line.saturating_sub(starts[i]);
                        let (line, col) =
                            transcript::locate(issue, block_line, &splits[i], &b.code);
                        let mut msg = format!("SQL failed: {}", transcript::summary(&issue.lines));
                        if msg.contains("canceling statement due to statement timeout") {
                            msg.push_str(&format!(
                                " (the limit is {} s per statement, `sql.timeout` in site.yaml)",
                                self.timeout.as_secs()
                            ));
                        } else if errors == 1 {
                            msg.push_str(
                                "; if the error is the point, mark the block ```sql run \
                                 expect-error",
                            );
                        }
                        run.diags.push(
                            Diagnostic::error(msg)
                                .in_file(job.file)
                                .at(b.line + line, col + 1),
                        );
                    }
                }
            }
        }
        if errors > MAX_ERRORS {
            run.diags.push(
                Diagnostic::error(format!(
                    "{} more SQL errors on this page (the first ones usually cause the rest)",
                    errors - MAX_ERRORS
                ))
                .in_file(job.file),
            );
        }
    }

    /// A psql that drops `db`, then `roles`.
    fn dropper(&self, db: &str, roles: &[String]) -> std::process::Command {
        let force = if self.major >= 13 {
            " WITH (FORCE)"
        } else {
            ""
        };
        let mut cmd = psql::command(&self.psql, &self.url, self.timeout * 6);
        cmd.arg("-q")
            .arg("-c")
            .arg(format!("DROP DATABASE IF EXISTS {db}{force}"));
        for r in roles {
            cmd.arg("-c").arg(format!(
                "DROP ROLE IF EXISTS \"{}\"",
                r.replace('"', "\"\"")
            ));
        }
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        cmd
    }

    /// Drop `db` in the background.
    fn drop_later(&self, db: &str) {
        if let Ok(child) = self.dropper(db, &[]).spawn() {
            self.drops
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(child);
        }
    }

    /// Drop `db` and `roles`, and wait.
    fn drop_now(&self, db: &str, roles: &[String]) {
        let _ = self.dropper(db, roles).status();
    }

    /// Wait for the background drops and drop the template.
    pub fn finish(mut self) {
        self.cleanup();
    }

    fn cleanup(&mut self) {
        let children = std::mem::take(&mut *self.drops.lock().unwrap_or_else(|e| e.into_inner()));
        for mut c in children {
            let _ = c.wait();
        }
        if let Some(t) = self.template.take() {
            let force = if self.major >= 13 {
                " WITH (FORCE)"
            } else {
                ""
            };
            let _ = self.admin(&[&format!("DROP DATABASE IF EXISTS {t}{force}")]);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.cleanup();
    }
}

/// A short random-enough tag for this build's database names and markers.
fn nonce() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let seed = format!("{t}-{}-{:p}", std::process::id(), &t);
    format!(
        "{:012x}",
        crate::source::fxhash(seed.as_bytes()) & 0xffff_ffff_ffff
    )
}
