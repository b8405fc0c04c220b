//! This repository's own book: every planned page exists, the whole book
//! builds without a broken link or anchor, every page is reachable from the
//! table of contents, and every outline page meets the editorial minimums
//! (words of prose, quizzes, curated resources, "what next?" choices).
//!
//! Run with `cargo test --test cli book -- --nocapture` to see the counts.

use std::path::Path;

use openbook::book::NodeKind;
use openbook::pipeline::{prepare, BuildOptions, Mode};

/// The pages the editorial plan (`BOOK-OUTLINE.md`) calls for.
const OUTLINE: &[&str] = &[
    "01-getting-started/01-why-postgresql.md",
    "01-getting-started/02-versions.md",
    "01-getting-started/03-running-postgresql.md",
    "02-psql-and-sql/01-psql.md",
    "02-psql-and-sql/02-sql-fundamentals.md",
    "02-psql-and-sql/03-writing-data.md",
    "03-connecting-from-python/01-choosing-a-driver.md",
    "03-connecting-from-python/02-psycopg.md",
    "03-connecting-from-python/03-async.md",
    "03-connecting-from-python/04-connection-pooling.md",
    "04-data-modeling/01-column-types.md",
    "04-data-modeling/02-constraints.md",
    "04-data-modeling/03-jsonb.md",
    "04-data-modeling/04-arrays-enums-ranges.md",
    "05-orms-and-migrations/01-choosing-your-layer.md",
    "05-orms-and-migrations/02-sqlalchemy.md",
    "05-orms-and-migrations/03-django.md",
    "05-orms-and-migrations/04-migrations.md",
    "05-orms-and-migrations/05-zero-downtime.md",
    "06-performance/01-explain.md",
    "06-performance/02-indexes.md",
    "06-performance/03-finding-slow-queries.md",
    "07-transactions-and-concurrency/01-transactions-and-isolation.md",
    "07-transactions-and-concurrency/02-locks-and-deadlocks.md",
    "07-transactions-and-concurrency/03-job-queues.md",
    "08-search-and-extensions/01-full-text-search.md",
    "08-search-and-extensions/02-extensions-and-postgis.md",
    "08-search-and-extensions/03-pgvector.md",
    "08-search-and-extensions/04-time-series-and-partitioning.md",
    "09-security/01-roles-and-privileges.md",
    "09-security/02-authentication-and-tls.md",
    "09-security/03-sql-injection.md",
    "09-security/04-row-level-security.md",
    "10-maintenance-and-monitoring/01-vacuum.md",
    "10-maintenance-and-monitoring/02-monitoring.md",
    "10-maintenance-and-monitoring/03-tuning.md",
    "11-backups-replication-ha/01-backups-and-pg-dump.md",
    "11-backups-replication-ha/02-pitr.md",
    "11-backups-replication-ha/03-restore-drills.md",
    "11-backups-replication-ha/04-replication-and-ha.md",
    "12-testing-and-production/01-testing.md",
    "12-testing-and-production/02-upgrading.md",
    "12-testing-and-production/03-production-checklist.md",
];

#[test]
fn the_postgresql_book_meets_its_editorial_minimums() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut opts = BuildOptions::new(root);
    opts.mode = Mode::Check;
    let p = match prepare(&opts) {
        Ok(p) => p,
        Err(d) => panic!(
            "the book does not build:\n{}",
            d.sorted()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    };
    let warnings: Vec<String> = p.diags.sorted().iter().map(ToString::to_string).collect();
    assert!(
        warnings.is_empty(),
        "the book builds with warnings:\n{}",
        warnings.join("\n")
    );
    let book = &p.book;

    // Every page is in the table of contents (the reading order).
    assert_eq!(book.order.len(), book.nodes.len());
    for page in &book.pages {
        assert!(
            book.by_source.contains_key(&page.rel),
            "{} is not in the book",
            page.rel
        );
    }

    let mut totals = (0usize, 0usize, 0usize, 0usize);
    println!(
        "{:<62} {:>6} {:>5} {:>5} {:>5}",
        "page", "words", "quiz", "res", "next"
    );
    for rel in OUTLINE {
        let &id = book
            .by_source
            .get(*rel)
            .unwrap_or_else(|| panic!("the outline's page content/{rel} is missing"));
        assert_eq!(book.nodes[id].kind, NodeKind::Page);
        let page = book.page_of(id).unwrap();
        let r = &p.rendered[id];
        let words: usize = r
            .sections
            .iter()
            .map(|s| s.text.split_whitespace().count())
            .sum();
        let resources: usize = page.resources.iter().map(|g| g.items.len()).sum();
        let next = page.front.next.len();
        println!(
            "{rel:<62} {words:>6} {:>5} {resources:>5} {next:>5}",
            r.quizzes
        );
        assert!(
            (600..=1500).contains(&words),
            "{rel}: {words} words of prose; expected 600 to 1,500"
        );
        assert!(
            (1..=2).contains(&r.quizzes),
            "{rel}: {} quizzes; expected 1 or 2",
            r.quizzes
        );
        assert!(
            (5..=10).contains(&resources),
            "{rel}: {resources} resources; expected 5 to 10"
        );
        assert!(
            (2..=3).contains(&next),
            "{rel}: {next} next choices; expected 2 or 3"
        );
        assert!(page.front.next_prompt.is_some(), "{rel}: no next_prompt");
        for key in [
            &page.front.nav_title,
            &page.front.description,
            &page.front.updated,
        ] {
            assert!(
                key.as_deref().is_some_and(|v| !v.is_empty()),
                "{rel}: missing front matter"
            );
        }
        assert!(
            page.front.status.is_some() && !page.front.tags.is_empty(),
            "{rel}: status/tags"
        );
        totals.0 += words;
        totals.1 += r.quizzes;
        totals.2 += resources;
        totals.3 += next;
    }
    println!(
        "{} outline pages: {} words, {} quizzes, {} resources, {} next choices",
        OUTLINE.len(),
        totals.0,
        totals.1,
        totals.2,
        totals.3
    );
    // Twelve chapters with landing pages, plus the appendix.
    let chapters: Vec<_> = book.nodes[openbook::book::Book::HOME]
        .children
        .iter()
        .filter(|&&c| book.nodes[c].kind == NodeKind::Chapter)
        .collect();
    assert_eq!(chapters.len(), 13);
    for &&c in &chapters {
        assert!(
            book.nodes[c].page.is_some(),
            "chapter {} has no _index.md",
            book.nodes[c].url
        );
    }
    assert!(root.join("LICENSE").is_file());
}
