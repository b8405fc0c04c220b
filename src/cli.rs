//! The command line: argument parsing, running a command, printing
//! diagnostics once, and mapping the result to an exit code.
//!
//! It lives in the library so that tests can run commands in-process.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::diag::Diagnostics;
use crate::pipeline::{self, BuildOptions, Mode};

/// Turn a folder of Markdown chapters into an interactive open book.
#[derive(Debug, Parser)]
#[command(name = "openbook", version, about, long_about = None)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print the time each stage took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the book into a folder of static files.
    Build(BuildArgs),
    /// Check the book without writing it: everything `build` checks, and
    /// more (descriptions, duplicate titles, resources, external URLs).
    Check(CheckArgs),
    /// Preview the book: build, serve on loopback, rebuild and reload on edits.
    Serve(ServeArgs),
    /// Start a new book in DIR (a new or empty folder).
    Init(InitArgs),
    /// Create a new page with its front matter filled in.
    New(NewArgs),
}

/// Arguments of `openbook serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder (holds site.yaml and content/).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// The address to listen on. Loopback by default; anything else exposes
    /// the preview to your network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the book in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Poll for changes instead of using file-system events (for network
    /// drives and WSL).
    #[arg(long)]
    pub poll: bool,
}

/// Arguments of `openbook init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the book in (must be new or empty).
    pub dir: PathBuf,
}

/// Arguments of `openbook new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The page to create, e.g. content/02-connecting/03-pooling.md. A
    /// name without a numeric prefix gets the next one among its siblings.
    pub path: PathBuf,
}

/// Arguments of `openbook build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder (holds site.yaml and content/).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where to write the book [default: DIR/public].
    #[arg(long, value_name = "DEST")]
    pub out: Option<PathBuf>,
    /// Override site.yaml's base_url (e.g. https://example.org/book/).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Write links that end in index.html, so the folder reads from disk.
    #[arg(long)]
    pub offline: bool,
    /// Verify ```sql run``` examples on this PostgreSQL server [default:
    /// DATABASE_URL, else sql.database_url in site.yaml; "" for none].
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
}

/// Arguments of `openbook check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder (holds site.yaml and content/).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Also fetch every external http(s) URL (needs the network; answers
    /// are cached for a day in DIR/.openbook-cache/).
    #[arg(long)]
    pub external: bool,
    /// Also check that every ```sql run``` block has fresh recorded
    /// results in sql-results.yaml (needs no database).
    #[arg(long)]
    pub sql: bool,
    /// Exit with status 1 on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print the findings: `text` lines on stderr, or one `json`
    /// document on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Override site.yaml's base_url (for root-relative links).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: severity: message` lines on stderr, a summary on
    /// stdout.
    Text,
    /// One JSON document on stdout: `{"findings": [...], "summary": {...}}`.
    Json,
}

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    /// Colour on stderr.
    pub colour: bool,
    /// Print only errors.
    pub quiet: bool,
    /// Print stage timings.
    pub verbose: bool,
}

impl Printer {
    fn new(cli: &Cli) -> Printer {
        let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer {
            colour: !no_colour && std::io::stderr().is_terminal(),
            quiet: cli.quiet,
            verbose: cli.verbose,
        }
    }

    /// Print findings to stderr, one per line, sorted by file.
    pub fn diagnostics(&self, diags: &Diagnostics) {
        let stderr = std::io::stderr();
        let mut err = stderr.lock();
        for d in diags.sorted() {
            if self.quiet && !d.is_error() {
                continue;
            }
            let _ = writeln!(err, "{}", d.to_terminal(self.colour));
        }
    }

    /// Print the summary line to stdout.
    pub fn summary(&self, line: &str) {
        if !self.quiet {
            println!("{line}");
        }
    }
}

/// Run the command line `args` (including the program name); returns the
/// process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let printer = Printer::new(&cli);
    match cli.command {
        Command::Build(a) => build(a, printer),
        Command::Check(a) => check(a, printer),
        Command::Serve(a) => serve(a, printer),
        Command::Init(a) => init(a, printer),
        Command::New(a) => new_page(a, printer),
    }
}

fn serve(a: ServeArgs, printer: Printer) -> i32 {
    let opts = crate::serve::ServeOptions {
        build: BuildOptions {
            dir: a.dir,
            out: None,
            base_url: None,
            drafts: a.drafts,
            offline: false,
            mode: Mode::Serve,
            database_url: None,
        },
        bind: a.bind,
        port: a.port,
        open: a.open,
        poll: a.poll,
    };
    match crate::serve::serve(opts, printer) {
        Ok(()) => 0,
        Err(d) => {
            printer.diagnostics(&d);
            1
        }
    }
}

fn init(a: InitArgs, printer: Printer) -> i32 {
    match crate::scaffold::init(&a.dir) {
        Ok(files) => {
            printer.summary(&format!(
                "Created a new book in {} ({}). Next: openbook serve {}",
                a.dir.display(),
                plural(files.len(), "file", "files"),
                a.dir.display()
            ));
            0
        }
        Err(d) => {
            printer.diagnostics(&d.into());
            1
        }
    }
}

fn new_page(a: NewArgs, printer: Printer) -> i32 {
    match crate::scaffold::new_page(&a.path) {
        Ok(path) => {
            printer.summary(&format!("Created {}", path.display()));
            0
        }
        Err(d) => {
            printer.diagnostics(&d.into());
            1
        }
    }
}

/// `; 144 SQL examples verified on PostgreSQL 15`, or how many were shown
/// from the recorded results.
fn sql_summary(s: &crate::sql::Stats) -> String {
    match s.server {
        Some(v) => format!(
            "; {} verified on PostgreSQL {v}{}",
            plural(s.verified, "SQL example", "SQL examples"),
            if s.record_written {
                format!(" ({} updated)", crate::sql::record::FILE)
            } else {
                String::new()
            }
        ),
        None if s.blocks > 0 => format!(
            "; {} of {} SQL examples shown from {}",
            s.recorded,
            s.blocks,
            crate::sql::record::FILE
        ),
        None => String::new(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn check(a: CheckArgs, printer: Printer) -> i32 {
    let started = std::time::Instant::now();
    let mut opts = crate::check::CheckOptions::new(&a.dir);
    opts.build.base_url = a.base_url;
    opts.build.drafts = a.drafts;
    opts.sql = a.sql;
    if a.external {
        opts.external = Some(crate::check::external::ExternalOptions::new(&a.dir));
    }
    let report = crate::check::run(&opts);
    match a.format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&report.to_json()).unwrap_or_default();
            println!("{json}");
        }
        Format::Text => {
            printer.diagnostics(&report.diags);
            printer.summary(&format!(
                "{} in {} ms",
                report.summary_line(),
                started.elapsed().as_millis()
            ));
        }
    }
    report.exit_code(a.deny_warnings)
}

fn build(a: BuildArgs, printer: Printer) -> i32 {
    let started = std::time::Instant::now();
    let opts = BuildOptions {
        dir: a.dir,
        out: a.out,
        base_url: a.base_url,
        drafts: a.drafts,
        offline: a.offline,
        mode: Mode::Build,
        database_url: a.database_url,
    };
    match pipeline::build(&opts) {
        Ok(s) if s.unchanged => {
            printer.summary(&format!(
                "Nothing changed since the last build: {} ({} and {}) left as it was; \
                 checked in {} ms",
                opts.out_dir().display(),
                plural(s.pages, "page", "pages"),
                plural(s.assets, "asset", "assets"),
                started.elapsed().as_millis(),
            ));
            0
        }
        Ok(s) => {
            printer.diagnostics(&s.warnings);
            if printer.verbose {
                eprintln!(
                    "{} of {} files had the same bytes as in the last build and were kept as they were",
                    s.kept, s.files
                );
                eprintln!(
                    "timings: load {:.1} ms (SQL examples {:.1} ms), markdown {:.1} ms, \
                     search index {:.1} ms, templates and writing {:.1} ms",
                    s.timings.load.as_secs_f64() * 1e3,
                    s.timings.sql.as_secs_f64() * 1e3,
                    s.timings.markdown.as_secs_f64() * 1e3,
                    s.timings.search.as_secs_f64() * 1e3,
                    s.timings.render.as_secs_f64() * 1e3
                );
                let (memo, parsed) = crate::highlight::memo::stats();
                eprintln!(
                    "highlighting: {} code lines, {memo} of them copied from the line memo",
                    memo + parsed
                );
            }
            let warnings = s.warnings.warning_count();
            printer.summary(&format!(
                "Built {} and {} into {} in {} ms{}{}",
                plural(s.pages, "page", "pages"),
                plural(s.assets, "asset", "assets"),
                opts.out_dir().display(),
                started.elapsed().as_millis(),
                sql_summary(&s.sql),
                if warnings > 0 {
                    format!(" ({})", plural(warnings, "warning", "warnings"))
                } else {
                    String::new()
                }
            ));
            0
        }
        Err(diags) => {
            printer.diagnostics(&diags);
            let n = diags.error_count();
            eprintln!(
                "Build failed: {}; nothing was written to {}",
                plural(n, "error", "errors"),
                opts.out_dir().display()
            );
            1
        }
    }
}
