//! Verified SQL examples: ```` ```sql run ```` blocks run on PostgreSQL,
//! their output recorded in `sql-results.yaml` and shown under them.
//!
//! Tests that need a server get one from [`crate::pg`] and print why they
//! skip when there is none. The `sql-basic` fixture carries its recorded
//! results, so the tests that read them need no server, and one test with
//! a server checks that verifying again reproduces them byte for byte.

use std::path::Path;

use openbook::pipeline::{prepare, BuildOptions, Mode};

use crate::pg;
use crate::util::*;

const QUERIES: &str = "content/01-basics/01-queries.md";
const RECORD: &str = "sql-results.yaml";

/// `build` without a database (even when `DATABASE_URL` is set).
fn build_offline(site: &Site) -> Run {
    site.build_ok(&["--database-url", ""])
}

/// `build` verifying on `pg`.
fn build_verified(site: &Site, pg: &pg::Pg) -> Run {
    site.build_ok(&["--database-url", &pg.url])
}

/// The output panels of a page, one per run block that printed something.
fn outputs(site: &Site, page: &str) -> Vec<String> {
    let doc = site.html(page);
    all(&doc, "figure.code-block .sql-output")
        .into_iter()
        .map(|e| e.html())
        .collect()
}

/// `check --sql` as the library offers it.
fn check_recorded(dir: &Path) -> Vec<String> {
    let mut opts = BuildOptions::new(dir);
    opts.mode = Mode::Check;
    let p = match prepare(&opts) {
        Ok(p) => p,
        Err(d) => panic!("{:?}", d.sorted()),
    };
    openbook::sql::check_recorded(dir, &p.config, &p.book)
        .sorted()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn recorded_results_are_shown_without_a_database() {
    let site = Site::fixture("sql-basic");
    let r = build_offline(&site);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("7 of 7 SQL examples shown from sql-results.yaml"),
        "{}",
        r.stdout
    );
    let doc = site.html("basics/queries/index.html");

    // A result table: header cells, numbers right-aligned, NULL marked,
    // the row count beneath.
    let figure = one(&doc, "figure[data-run=\"run\"]");
    let heads: Vec<String> = figure.select(&sel("thead th")).map(text).collect();
    assert_eq!(heads, ["id", "name", "price"]);
    assert_eq!(attr(one(&doc, "thead th:nth-child(1)"), "scope"), "col");
    let cells: Vec<(String, String)> = figure
        .select(&sel("tbody td"))
        .map(|td| (text(td), td.value().attr("class").unwrap_or("").to_string()))
        .collect();
    assert_eq!(cells[0], ("1".into(), "num".into()));
    assert_eq!(cells[1], ("apple".into(), "".into()));
    assert_eq!(cells[2], ("1.50".into(), "num".into()));
    assert_eq!(cells[4], ("NULL".into(), "null".into()), "a NULL name");
    assert_eq!(cells[8], ("NULL".into(), "null".into()), "a NULL price");
    assert_eq!(
        text(figure.select(&sel(".sql-rows")).next().unwrap()),
        "(3 rows)"
    );

    // Command tags and a NOTICE; the next block sees the temporary table
    // and the setting of the one before.
    let texts: Vec<String> = all(&doc, ".sql-output pre").into_iter().map(text).collect();
    assert!(texts.iter().any(|t| t == "SELECT 1 SET"), "{texts:?}");
    let notice = one(&doc, ".sql-output .sql-notice");
    assert_eq!(text(notice), "NOTICE: hello from plpgsql");
    let carried: Vec<String> = all(&doc, ".sql-output td").into_iter().map(text).collect();
    assert!(
        carried.windows(2).any(|w| w == ["42", "carried"]),
        "{carried:?}"
    );

    // \gx: an expanded record, names as row headers.
    let record = one(&doc, "table.sql-records");
    let rows: Vec<String> = record.select(&sel("th[scope=\"row\"]")).map(text).collect();
    assert_eq!(rows, ["one", "letter"]);

    // The expected error, shown as an error.
    let err = one(&doc, "figure[data-run=\"expect-error\"] .sql-error");
    assert!(
        text(err).starts_with("ERROR: column \"nme\" does not exist"),
        "{}",
        text(err)
    );
    assert!(text(err).contains("HINT:"), "{}", text(err));

    // The setup block is collapsed, with its output inside.
    let setup = one(&doc, "details.sql-setup");
    assert!(text(setup).contains("INSERT 0 2"), "{}", text(setup));

    // A plain ```sql block gets no output.
    let plain: Vec<_> = all(&doc, "figure.code-block")
        .into_iter()
        .filter(|f| f.value().attr("data-run").is_none())
        .collect();
    assert_eq!(plain.len(), 1);
    assert!(plain[0].select(&sel(".sql-output")).next().is_none());

    // Nothing of the record reaches the built site.
    assert!(!site.out(RECORD).exists());
    assert!(!site.out("setup.sql").exists());
}

#[test]
fn each_page_gets_a_fresh_database_with_the_setup_loaded() {
    let site = Site::fixture("sql-basic");
    build_offline(&site);
    let doc = site.html("basics/isolation/index.html");
    let cells: Vec<String> = all(&doc, ".sql-output td").into_iter().map(text).collect();
    assert_eq!(cells, ["t", "t"], "notes_gone, setup_loaded");
}

#[test]
fn verifying_reproduces_the_recorded_results() {
    let Some(pg) = pg::server("verifying_reproduces_the_recorded_results") else {
        return;
    };
    let site = Site::fixture("sql-basic");
    let before = std::fs::read_to_string(site.path().join(RECORD)).unwrap();
    build_offline(&site);
    let offline = outputs(&site, "basics/queries/index.html");
    let r = build_verified(&site, pg);
    assert!(
        r.stdout.contains("7 SQL examples verified on PostgreSQL"),
        "{}",
        r.stdout
    );
    let after = std::fs::read_to_string(site.path().join(RECORD)).unwrap();
    assert_eq!(
        before, after,
        "the committed record is what the server prints"
    );
    assert_eq!(outputs(&site, "basics/queries/index.html"), offline);
}

#[test]
fn a_build_with_a_database_records_what_it_verified() {
    let Some(pg) = pg::server("a_build_with_a_database_records_what_it_verified") else {
        return;
    };
    let site = Site::fixture("sql-basic");
    site.remove(RECORD);
    // A new block on the isolation page.
    let page = "content/01-basics/02-isolation.md";
    let source = std::fs::read_to_string(site.path().join(page)).unwrap();
    site.write(
        page,
        &format!("{source}\n```sql run\nSELECT 40 + 2 AS sum;\n```\n"),
    );
    build_verified(&site, pg);
    let record = std::fs::read_to_string(site.path().join(RECORD)).unwrap();
    assert!(record.contains("01-basics/02-isolation.md:"), "{record}");
    assert!(record.contains(" sum\n"), "{record}");
    assert!(check_recorded(site.path()).is_empty());
    // And the next build without a database shows it.
    build_offline(&site);
    let doc = site.html("basics/isolation/index.html");
    let sums: Vec<String> = all(&doc, ".sql-output td").into_iter().map(text).collect();
    assert_eq!(sums.last().map(String::as_str), Some("42"));
}

#[test]
fn stale_results_are_never_shown_and_are_reported() {
    let site = Site::fixture("sql-basic");
    assert!(
        check_recorded(site.path()).is_empty(),
        "the fixture's record is fresh"
    );
    let source = std::fs::read_to_string(site.path().join(QUERIES)).unwrap();
    site.write(
        QUERIES,
        &source.replace("ORDER BY id;", "ORDER BY id DESC;"),
    );
    let r = build_offline(&site);
    r.assert_diag(
        QUERIES,
        7,
        "warning: the recorded results in sql-results.yaml are stale",
    );
    assert!(
        outputs(&site, "basics/queries/index.html").is_empty(),
        "no wrong output"
    );
    assert_eq!(
        outputs(&site, "basics/isolation/index.html").len(),
        1,
        "other pages keep theirs"
    );
    let found = check_recorded(site.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(&format!("{QUERIES}:7:1: error: the recorded results")),
        "{found:?}"
    );
    // Prose edits do not make results stale.
    let site = Site::fixture("sql-basic");
    site.write(QUERIES, &source.replace("Every item", "Each item"));
    assert!(check_recorded(site.path()).is_empty());
    build_offline(&site);
    assert_eq!(outputs(&site, "basics/queries/index.html").len(), 6);
}

#[test]
fn missing_results_are_reported() {
    let site = Site::fixture("sql-basic");
    site.remove(RECORD);
    let r = build_offline(&site);
    r.assert_diag(QUERIES, 7, "sql-results.yaml has no results for this page");
    r.assert_diag("content/01-basics/02-isolation.md", 8, "has no results");
    assert!(outputs(&site, "basics/queries/index.html").is_empty());
    assert_eq!(check_recorded(site.path()).len(), 2);
    // A record for a page that is gone is worth a warning.
    let site = Site::fixture("sql-basic");
    site.remove("content/01-basics/02-isolation.md");
    let found = check_recorded(site.path());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("warning: recorded SQL results for content/01-basics/02-isolation.md")
    );
}

#[test]
fn failures_name_the_file_line_and_what_postgres_said() {
    let Some(pg) = pg::server("failures_name_the_file_line_and_what_postgres_said") else {
        return;
    };
    let site = Site::fixture("sql-errors");
    let r = site.build_err(&["--database-url", &pg.url]);
    // The column PostgreSQL points at, with its hint.
    assert!(
        r.stderr.contains(
            "content/01-bad/01-unexpected.md:8:8: error: SQL failed: ERROR: column \"nme\" does not exist"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("HINT: Perhaps you meant to reference the column \"t.name\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("expect-error"), "{}", r.stderr);
    r.assert_diag(
        "content/01-bad/02-succeeds.md",
        5,
        "this `sql run expect-error` block ran without an error",
    );
    r.assert_diag(
        "content/01-bad/03-refused.md",
        7,
        "`\\!` runs a shell command",
    );
    assert!(
        !site.path().join("pwned").exists(),
        "the refused command did not run"
    );
    r.assert_diag(
        "content/01-bad/04-unterminated.md",
        7,
        "a statement without `;`",
    );
    assert!(!site.out("index.html").exists());
    assert!(
        !site.path().join(RECORD).exists(),
        "nothing recorded from a failed page"
    );
}

#[test]
fn a_statement_that_runs_too_long_is_stopped() {
    let Some(pg) = pg::server("a_statement_that_runs_too_long_is_stopped") else {
        return;
    };
    let site = Site::fixture("sql-timeout");
    let started = std::time::Instant::now();
    let r = site.build_err(&["--database-url", &pg.url]);
    r.assert_diag(
        "content/01-slow/01-sleep.md",
        7,
        "canceling statement due to statement timeout (the limit is 1 s per statement",
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn roles_a_page_leaves_behind_are_dropped() {
    let Some(pg) = pg::server("roles_a_page_leaves_behind_are_dropped") else {
        return;
    };
    let role = format!("openbook_test_role_{}", std::process::id());
    let site = Site::fixture("sql-basic");
    site.write(
        "content/01-basics/03-roles.md",
        &format!("---\ntitle: \"Roles\"\n---\n\n```sql run\nCREATE ROLE {role};\n```\n"),
    );
    let r = build_verified(&site, pg);
    r.assert_diag(
        "content/01-basics/03-roles.md",
        6,
        &format!("the role `{role}` created on this page"),
    );
    let left = pg.query(&format!(
        "SELECT count(*) FROM pg_roles WHERE rolname = '{role}'"
    ));
    assert_eq!(left, "0");
}

#[test]
fn an_unreachable_server_is_an_error() {
    let site = Site::fixture("sql-basic");
    let r = site.build_err(&["--database-url", "postgresql://nobody@127.0.0.1:1/none"]);
    assert!(
        r.stderr.contains(
            "error: cannot connect to PostgreSQL at postgresql://nobody@127.0.0.1:1/none"
        ) || r.stderr.contains("psql is not installed"),
        "{}",
        r.stderr
    );
    assert!(!site.out("index.html").exists());
}

#[test]
fn a_role_that_cannot_create_databases_is_one_clear_error() {
    let Some(pg) = pg::server("a_role_that_cannot_create_databases_is_one_clear_error") else {
        return;
    };
    let role = format!("openbook_test_nocreate_{}", std::process::id());
    pg.query(&format!("CREATE ROLE {role} LOGIN"));
    let url = openbook::sql::psql::with_database(&pg.url, "postgres");
    let url = if url.contains('?') {
        url.replace("user=postgres", &format!("user={role}"))
    } else {
        url.replacen("postgres@", &format!("{role}@"), 1)
    };
    if !url.contains(&role) {
        pg.query(&format!("DROP ROLE {role}"));
        eprintln!("skipping: cannot put another user into {}", pg.url);
        return;
    }
    let site = Site::fixture("sql-basic");
    let r = site.build_err(&["--database-url", &url]);
    pg.query(&format!("DROP ROLE {role}"));
    assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("its role may not create databases"),
        "{}",
        r.stderr
    );
}

#[test]
fn pages_that_create_roles_do_not_see_each_others() {
    let Some(pg) = pg::server("pages_that_create_roles_do_not_see_each_others") else {
        return;
    };
    let (a, b) = (
        format!("openbook_test_a_{}", std::process::id()),
        format!("openbook_test_b_{}", std::process::id()),
    );
    let site = Site::fixture("sql-basic");
    let page = |role: &str| {
        format!(
            "---\ntitle: \"{role}\"\n---\n\n```sql run\nCREATE ROLE {role};\nSELECT pg_sleep(0.5);\n\
             SELECT count(*) AS roles FROM pg_roles WHERE rolname IN ('{a}', '{b}');\n\
             DROP ROLE {role};\n```\n"
        )
    };
    site.write("content/01-basics/03-a.md", &page(&a));
    site.write("content/01-basics/04-b.md", &page(&b));
    build_verified(&site, pg);
    for p in ["basics/a/index.html", "basics/b/index.html"] {
        let doc = site.html(p);
        let counts: Vec<String> = all(&doc, ".sql-output td").into_iter().map(text).collect();
        assert_eq!(
            counts.last().map(String::as_str),
            Some("1"),
            "{p}: {counts:?}"
        );
    }
}
