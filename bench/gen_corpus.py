#!/usr/bin/env python3
# Copied from the team's shared benchmark kit (shared/bench/) so that the
# repository's benchmarks stand on their own.
"""Generate the same synthetic technical book in several site-generator formats.

    gen_corpus.py --pages N --out DIR --format {openbook,hugo,zola,mdbook} [--seed S]
    gen_corpus.py --pages N --format F --locate K   # source file and URL of page K

The book is N pages in chapters of ~25 pages, plus one landing page per
chapter and a home page. Every page has 4-6 sections, ~600-900 words of
prose, a bullet list, a small table, one ```sql and one ```python block
(10-20 lines each), 3 internal links to other pages and a short list of
curated external resources. The text depends only on --pages and --seed,
so the four formats carry the same words, code and links; only the
container (file names, front matter, link syntax, config, templates)
differs:

  openbook  site.yaml + content/NN-chapter/_index.md + NN-page.md (see
            shared/PRODUCT.md); relative .md links; the curated resources
            are `resources:` front matter (data, as the contract asks).
  hugo      hugo.toml + content/ + minimal layouts/; links via relref;
            code highlighting on (Chroma, CSS classes).
  zola      config.toml + content/ + minimal templates/; @/ links;
            code highlighting on (Giallo, CSS classes, zola >= 0.22).
  mdbook    book.toml + src/SUMMARY.md + src/; relative .md links;
            default theme (highlight.js highlights in the browser).

For hugo, zola and mdbook the resources are a "Further reading" bullet
list at the end of the page body.

Standard library only; deterministic for a given (--pages, --seed).
"""

import argparse
import os
import random
import shutil
import sys

PAGES_PER_CHAPTER = 25

# --------------------------------------------------------------------------
# Vocabulary

CHAPTER_TOPICS = [
    "Getting Started", "Connecting from Python", "Schema Design", "Data Types",
    "Indexes", "Query Planning", "Transactions", "Concurrency Control",
    "JSON and JSONB", "Full-Text Search", "Migrations", "ORMs and SQLAlchemy",
    "Async Drivers", "Connection Pooling", "Replication", "Backups and Restore",
    "Partitioning", "Performance Tuning", "Security and Roles", "Monitoring",
    "Extensions", "Window Functions", "Common Table Expressions", "Testing",
    "Deployment", "High Availability", "Logical Decoding", "Vacuum and Bloat",
    "Locks", "Stored Procedures", "Triggers", "Views and Materialized Views",
    "Foreign Data Wrappers", "Time Series", "Geospatial Data", "Bulk Loading",
    "Observability", "Configuration", "Upgrades", "Data Modeling Patterns",
]

PAGE_SUBJECTS = [
    "B-tree indexes", "GIN indexes", "BRIN indexes", "partial indexes",
    "covering indexes", "expression indexes", "the query planner",
    "EXPLAIN ANALYZE", "sequential scans", "index-only scans", "hash joins",
    "nested loop joins", "merge joins", "row-level security", "role membership",
    "connection strings", "server-side cursors", "prepared statements",
    "COPY FROM STDIN", "batch inserts", "upserts with ON CONFLICT",
    "advisory locks", "row locks", "deadlocks", "isolation levels",
    "serializable transactions", "savepoints", "autovacuum", "table bloat",
    "HOT updates", "fillfactor", "TOAST storage", "jsonb operators",
    "jsonb_path_query", "generated columns", "identity columns", "sequences",
    "enum types", "range types", "arrays", "composite types", "domains",
    "check constraints", "foreign keys", "exclusion constraints",
    "declarative partitioning", "partition pruning", "logical replication",
    "streaming replication", "replication slots", "WAL archiving",
    "point-in-time recovery", "pg_dump", "pg_restore", "pg_basebackup",
    "pgbouncer", "connection pool sizing", "statement timeouts",
    "lock timeouts", "work_mem", "shared_buffers", "effective_cache_size",
    "checkpoints", "pg_stat_statements", "pg_stat_activity", "auto_explain",
    "tsvector columns", "ranking search results", "trigram similarity",
    "window frames", "recursive CTEs", "LATERAL joins", "GROUPING SETS",
    "materialized views", "LISTEN and NOTIFY", "logical decoding plugins",
    "foreign data wrappers", "PostGIS geometries", "TimescaleDB hypertables",
    "psycopg cursors", "psycopg connection pools", "asyncpg", "SQLAlchemy sessions",
    "SQLAlchemy Core", "Alembic migrations", "Django ORM querysets",
    "pytest fixtures for databases", "testcontainers", "schema migrations",
    "zero-downtime deploys", "major version upgrades", "pg_upgrade",
    "collations", "time zones", "numeric precision", "UUID keys",
]

PAGE_ANGLES = [
    "An introduction to {s}", "Understanding {s}", "{s} in practice",
    "Tuning {s}", "Common pitfalls with {s}", "{s} from Python",
    "When to use {s}", "Debugging {s}", "{s} under load", "Designing with {s}",
    "{s} explained", "Measuring {s}", "{s} step by step", "Migrating to {s}",
    "Testing {s}", "Monitoring {s}",
]

SECTION_HEADINGS = [
    "Why it matters", "How it works", "A first example", "Reading the output",
    "Trade-offs", "Configuration", "Working from Python", "Edge cases",
    "Performance notes", "Operational concerns", "Testing it", "Common mistakes",
    "A worked example", "What the planner sees", "Checking your work",
    "Going further in production", "Interactions with other features",
    "Choosing defaults", "Observability", "Security considerations",
]

NOUNS = [
    "the planner", "a transaction", "the connection", "the driver", "the index",
    "the table", "a query", "the server", "the application", "the pool",
    "each session", "the write-ahead log", "a background worker", "the cursor",
    "the migration", "the schema", "the buffer cache", "a replica", "the client",
    "the lock manager", "autovacuum", "the statistics collector", "the ORM",
    "a prepared statement", "the operating system", "the result set",
]

VERBS = [
    "reads", "rewrites", "caches", "validates", "holds", "releases", "scans",
    "estimates", "serializes", "commits", "retries", "batches", "streams",
    "rejects", "reorders", "materializes", "invalidates", "locks", "flushes",
    "prefetches", "aggregates", "compresses", "replicates", "logs",
]

OBJECTS = [
    "every row it touches", "the visibility map", "a snapshot",
    "the most selective predicate", "recent statistics", "pending changes",
    "the whole relation", "a small sample of pages", "the current schema",
    "hot rows", "dead tuples", "the commit timestamp", "an exclusive lock",
    "the query plan", "intermediate results", "a sorted run", "the heap",
    "the connection state", "server-side parameters", "each batch",
]

CLAUSES = [
    "which is usually what you want", "unless the statistics are stale",
    "so the cost shows up later", "and that is easy to miss in development",
    "even when the table is small", "as long as the transaction stays short",
    "but only after the first commit", "which keeps latency predictable",
    "so measure before you change it", "and the logs will tell you when it does",
    "because the defaults are conservative", "while other sessions keep working",
    "so a single slow client can hold everyone up",
    "which matters most under concurrent load",
]

OPENERS = [
    "In practice,", "Under the hood,", "As a rule of thumb,", "In most deployments,",
    "From Python,", "On a busy server,", "During development,", "In production,",
    "Perhaps surprisingly,", "For small tables,", "For large tables,",
    "When in doubt,", "By default,", "With the right settings,",
]

FILLER = [
    "This is one of the details that separates a demo from a system that runs for years.",
    "The documentation covers the exact rules, but the intuition is simple.",
    "It is worth writing a small test that pins this behaviour down.",
    "Keep an eye on it when the data set grows by an order of magnitude.",
    "Most teams only notice it after an incident, which is why it is covered here.",
    "The next section shows what this looks like with real numbers.",
    "None of this requires superuser rights, which makes it easy to try locally.",
    "The same idea applies whether you use psycopg directly or an ORM on top of it.",
]

TABLE_HEADERS = [
    ("Setting", "Default", "When to change it"),
    ("Approach", "Cost", "Best for"),
    ("Operation", "Lock taken", "Blocks"),
    ("Option", "Type", "Effect"),
]

TABLE_CELLS = [
    "`work_mem`", "`4MB`", "large sorts", "`off`", "`on`", "reporting queries",
    "`ACCESS SHARE`", "`ROW EXCLUSIVE`", "writes", "nothing", "batch jobs",
    "integer", "boolean", "`100`", "`-1`", "OLTP traffic", "bulk loads",
    "`SHARE UPDATE EXCLUSIVE`", "DDL", "read replicas", "seconds", "milliseconds",
    "small tables", "hot paths", "`statement_timeout`", "`lock_timeout`",
]

RESOURCE_SITES = [
    ("PostgreSQL documentation", "https://www.postgresql.org/docs/current/{slug}.html", "docs"),
    ("psycopg documentation", "https://www.psycopg.org/psycopg3/docs/{slug}.html", "docs"),
    ("SQLAlchemy documentation", "https://docs.sqlalchemy.org/en/20/{slug}.html", "docs"),
    ("PostgreSQL wiki", "https://wiki.postgresql.org/wiki/{slug}", "article"),
    ("Use The Index, Luke", "https://use-the-index-luke.com/sql/{slug}", "tutorial"),
    ("Crunchy Data blog", "https://www.crunchydata.com/blog/{slug}", "article"),
    ("pganalyze blog", "https://pganalyze.com/blog/{slug}", "article"),
    ("Depesz", "https://www.depesz.com/{slug}/", "article"),
    ("PGCon talk", "https://www.pgcon.org/talks/{slug}", "video"),
]

LEVELS = ["beginner", "intermediate", "advanced"]

TABLE_NAMES = ["orders", "customers", "events", "invoices", "accounts", "readings",
               "sessions", "products", "shipments", "audit_log", "users", "payments"]
COLUMN_NAMES = ["id", "created_at", "status", "amount", "customer_id", "payload",
                "email", "region", "updated_at", "total", "kind", "quantity"]
COLUMN_TYPES = ["bigint", "timestamptz", "text", "numeric(12,2)", "jsonb", "integer",
                "boolean", "uuid", "date"]


def slugify(text):
    out = []
    dash = False
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def yq(text):
    """A YAML double-quoted scalar (also valid as a TOML basic string here)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --------------------------------------------------------------------------
# The abstract book (format-independent)

class Page:
    __slots__ = ("chapter", "index", "title", "slug", "description", "updated",
                 "blocks", "links", "resources")


class Chapter:
    __slots__ = ("index", "title", "slug", "description", "intro", "pages")


def sentence(rng):
    s = "%s %s %s %s, %s." % (rng.choice(OPENERS), rng.choice(NOUNS), rng.choice(VERBS),
                              rng.choice(OBJECTS), rng.choice(CLAUSES))
    return s


def paragraph(rng, n_sentences, subject):
    sents = []
    for i in range(n_sentences):
        r = rng.random()
        if r < 0.12:
            sents.append(rng.choice(FILLER))
        elif r < 0.3:
            sents.append("With %s, %s %s %s." % (subject, rng.choice(NOUNS),
                                                  rng.choice(VERBS), rng.choice(OBJECTS)))
        else:
            sents.append(sentence(rng))
    return " ".join(sents)


def sql_block(rng):
    t = rng.choice(TABLE_NAMES)
    cols = rng.sample(COLUMN_NAMES[1:], rng.randint(4, 6))
    lines = ["-- %s: schema and a typical query" % t,
             "CREATE TABLE %s (" % t,
             "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"]
    for i, c in enumerate(cols):
        comma = "," if i < len(cols) - 1 else ""
        lines.append("    %s %s NOT NULL%s" % (c, rng.choice(COLUMN_TYPES), comma))
    lines.append(");")
    lines.append("CREATE INDEX %s_%s_idx ON %s (%s);" % (t, cols[0], t, cols[0]))
    lines.append("")
    lines.append("SELECT %s, count(*) AS n" % cols[1])
    lines.append("FROM %s" % t)
    lines.append("WHERE %s >= now() - interval '%d days'" % (cols[0], rng.randint(1, 90)))
    lines.append("GROUP BY %s" % cols[1])
    lines.append("ORDER BY n DESC")
    lines.append("LIMIT %d;" % rng.choice([10, 20, 50, 100]))
    return "\n".join(lines)  # 13-15 lines


def python_block(rng):
    t = rng.choice(TABLE_NAMES)
    c = rng.choice(COLUMN_NAMES[1:])
    lines = [
        "import psycopg",
        "from psycopg.rows import dict_row",
        "",
        "DSN = \"postgresql://app@localhost:5432/%s\"" % rng.choice(["shop", "metrics", "app", "billing"]),
        "",
        "",
        "def fetch_%s(limit: int = %d) -> list[dict]:" % (t, rng.choice([10, 50, 100])),
        "    with psycopg.connect(DSN, row_factory=dict_row) as conn:",
        "        with conn.cursor() as cur:",
        "            cur.execute(",
        "                \"SELECT * FROM %s ORDER BY %s DESC LIMIT %%s\"," % (t, c),
        "                (limit,),",
        "            )",
        "            return cur.fetchall()",
    ]
    if rng.random() < 0.6:
        lines += [
            "",
            "",
            "if __name__ == \"__main__\":",
            "    for row in fetch_%s():" % t,
            "        print(row[\"%s\"])" % c,
        ]
    return "\n".join(lines)  # 14-19 lines


def table_block(rng):
    head = rng.choice(TABLE_HEADERS)
    rows = []
    for _ in range(rng.randint(3, 5)):
        rows.append(tuple(rng.choice(TABLE_CELLS) for _ in head))
    return head, rows


def build_book(n_pages, seed):
    rng = random.Random(seed)
    n_chapters = max(1, (n_pages + PAGES_PER_CHAPTER - 1) // PAGES_PER_CHAPTER)
    chapters = []
    used_ch = {}
    for ci in range(n_chapters):
        base = CHAPTER_TOPICS[ci % len(CHAPTER_TOPICS)]
        rnd = ci // len(CHAPTER_TOPICS)
        title = base if rnd == 0 else "%s, Part %d" % (base, rnd + 1)
        ch = Chapter()
        ch.index = ci
        ch.title = title
        slug = slugify(title)
        if slug in used_ch:
            used_ch[slug] += 1
            slug = "%s-%d" % (slug, used_ch[slug])
        else:
            used_ch[slug] = 1
        ch.slug = slug
        ch.description = "What Python developers need to know about %s." % base.lower()
        ch.intro = [paragraph(rng, rng.randint(4, 6), base.lower()) for _ in range(2)]
        ch.pages = []
        chapters.append(ch)

    pages = []
    for pi in range(n_pages):
        ch = chapters[pi // PAGES_PER_CHAPTER]
        p = Page()
        p.chapter = ch
        p.index = len(ch.pages)
        ch.pages.append(p)
        pages.append(p)

    for ch in chapters:
        used = set()
        for p in ch.pages:
            while True:
                subj = rng.choice(PAGE_SUBJECTS)
                title = rng.choice(PAGE_ANGLES).format(s=subj)
                title = title[0].upper() + title[1:]
                slug = slugify(title)
                if slug not in used:
                    break
            used.add(slug)
            p.title = title
            p.slug = slug
            p.description = "%s, with examples in SQL and Python." % title
            p.updated = "2024-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28))
            subject = subj

            # Sections: 4-6, features spread over them, then paragraphs added
            # round the sections until the prose reaches a 600-800 word target
            # (the last paragraph may overshoot it by up to ~90 words).
            n_sec = rng.randint(4, 6)
            headings = rng.sample(SECTION_HEADINGS, n_sec)
            feat_slots = list(range(n_sec))
            rng.shuffle(feat_slots)
            features = {}
            for k, f in enumerate(["list", "table", "sql", "python", "links"]):
                features.setdefault(feat_slots[k % n_sec], []).append(f)
            intro = paragraph(rng, rng.randint(4, 6), subject)
            sections = []
            words = len(intro.split()) + 40  # ~40 words: the internal-links paragraph
            for si, h in enumerate(headings):
                feats = []
                for f in features.get(si, []):
                    if f == "list":
                        items = [paragraph(rng, 1, subject).rstrip(".")
                                 for _ in range(rng.randint(3, 5))]
                        words += sum(len(i.split()) for i in items)
                        feats.append(("ul", items))
                    elif f == "table":
                        tb = table_block(rng)
                        words += len(tb[0]) * (1 + len(tb[1]))
                        feats.append(("table", tb))
                    elif f == "sql":
                        feats.append(("code", ("sql", sql_block(rng))))
                    elif f == "python":
                        feats.append(("code", ("python", python_block(rng))))
                    elif f == "links":
                        feats.append(("links", None))
                para = paragraph(rng, rng.randint(4, 6), subject)
                words += len(h.split()) + len(para.split())
                sections.append((h, [para], feats))
            target = rng.randint(600, 800)
            while words < target:
                para = paragraph(rng, rng.randint(4, 6), subject)
                words += len(para.split())
                sections[rng.randrange(n_sec)][1].append(para)
            blocks = [("p", intro)]
            for h, paras, feats in sections:
                blocks.append(("h2", h))
                blocks.extend(("p", para) for para in paras)
                blocks.extend(feats)
            p.blocks = blocks
            p.resources = []
            n_res = rng.randint(3, 4)
            seen_urls = set()
            while len(p.resources) < n_res:
                site, pattern, kind = rng.choice(RESOURCE_SITES)
                rs = slugify(subj) + "-" + rng.choice(["guide", "deep-dive", "notes", "faq", "tips"])
                if pattern.format(slug=rs) in seen_urls:
                    continue
                seen_urls.add(pattern.format(slug=rs))
                p.resources.append({
                    "title": "%s: %s" % (site, subj),
                    "url": pattern.format(slug=rs),
                    "kind": kind,
                    "level": rng.choice(LEVELS),
                    "description": "%s %s %s." % (rng.choice(NOUNS).capitalize(),
                                                  rng.choice(VERBS), rng.choice(OBJECTS)),
                })

    # Internal links: one neighbour in the chapter, one in another chapter, one anywhere.
    for p in pages:
        ch = p.chapter
        targets = []
        if len(ch.pages) > 1:
            j = p.index + 1 if p.index + 1 < len(ch.pages) else p.index - 1
            targets.append(ch.pages[j])
        while len(targets) < 3:
            q = pages[rng.randrange(len(pages))]
            if len(pages) > 3 and (q is p or q in targets):
                continue
            targets.append(q)
        p.links = targets
    return chapters, pages


# --------------------------------------------------------------------------
# Rendering the body (Markdown), parametrised by link syntax

def body_markdown(p, link_fn, resources_inline, h1=False):
    out = []
    if h1:
        out.append("# %s\n" % p.title)
    for kind, val in p.blocks:
        if kind == "p":
            out.append(val + "\n")
        elif kind == "h2":
            out.append("## %s\n" % val)
        elif kind == "ul":
            out.append("\n".join("- %s" % item for item in val) + "\n")
        elif kind == "table":
            head, rows = val
            lines = ["| %s |" % " | ".join(head), "|" + "---|" * len(head)]
            for r in rows:
                lines.append("| %s |" % " | ".join(r))
            out.append("\n".join(lines) + "\n")
        elif kind == "code":
            lang, code = val
            out.append("```%s\n%s\n```\n" % (lang, code))
        elif kind == "links":
            a, b, c = p.links
            out.append("For background, read [%s](%s); it pairs well with [%s](%s). "
                       "The chapter on %s also covers this in [%s](%s).\n"
                       % (a.title, link_fn(p, a), b.title, link_fn(p, b),
                          c.chapter.title.lower(), c.title, link_fn(p, c)))
    if resources_inline:
        out.append("## Further reading\n")
        out.append("\n".join("- [%s](%s): %s" % (r["title"], r["url"], r["description"])
                             for r in p.resources) + "\n")
    return "\n".join(out)


def chapter_body(ch, h1=False):
    out = []
    if h1:
        out.append("# %s\n" % ch.title)
    for para in ch.intro:
        out.append(para + "\n")
    return "\n".join(out)


HOME_TEXT = ("This synthetic open book about PostgreSQL for Python developers is "
             "generated for benchmarking static-site generators. Every chapter "
             "holds about %d pages with prose, tables, code and links.\n" % PAGES_PER_CHAPTER)


def write(path, text):
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# --------------------------------------------------------------------------
# openbook

def gen_openbook(chapters, pages, out):
    cw = max(2, len(str(len(chapters))))
    pw = max(2, len(str(PAGES_PER_CHAPTER)))

    def ch_dir(ch):
        return "%0*d-%s" % (cw, ch.index + 1, ch.slug)

    def pg_file(p):
        return "%0*d-%s.md" % (pw, p.index + 1, p.slug)

    def link(src, dst):
        if src.chapter is dst.chapter:
            return pg_file(dst)
        return "../%s/%s" % (ch_dir(dst.chapter), pg_file(dst))

    write(os.path.join(out, "site.yaml"),
          "title: \"PostgreSQL for Python Developers (benchmark corpus)\"\n"
          "description: \"A synthetic open book used to benchmark static-site generators.\"\n"
          "base_url: \"https://example.org/\"\n"
          "language: en\n"
          "author: \"openbook benchmark\"\n"
          "theme: default\n")
    write(os.path.join(out, "content", "index.md"),
          "---\ntitle: \"PostgreSQL for Python Developers\"\n---\n\n" + HOME_TEXT)
    for ch in chapters:
        d = os.path.join(out, "content", ch_dir(ch))
        write(os.path.join(d, "_index.md"),
              "---\ntitle: %s\ndescription: %s\n---\n\n%s"
              % (yq(ch.title), yq(ch.description), chapter_body(ch)))
        for p in ch.pages:
            fm = ["---", "title: %s" % yq(p.title), "description: %s" % yq(p.description),
                  "updated: %s" % p.updated, "resources:"]
            for r in p.resources:
                fm += ["  - title: %s" % yq(r["title"]),
                       "    url: %s" % yq(r["url"]),
                       "    kind: %s" % r["kind"],
                       "    level: %s" % r["level"],
                       "    description: %s" % yq(r["description"])]
            fm.append("---")
            write(os.path.join(d, pg_file(p)),
                  "\n".join(fm) + "\n\n" + body_markdown(p, link, resources_inline=False))


# --------------------------------------------------------------------------
# Hugo

HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "en"
title = "PostgreSQL for Python Developers (benchmark corpus)"
# Equivalent work with the other peers: no taxonomies, no RSS feeds.
disableKinds = ["taxonomy", "term", "RSS"]
enableRobotsTXT = false

[markup]
  [markup.goldmark.renderer]
    unsafe = false
  [markup.highlight]
    codeFences = true
    noClasses = false
    guessSyntax = false
"""

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} - {{ .Site.Title }}</title>
<meta name="description" content="{{ .Description }}">
</head>
<body>
<nav class="breadcrumbs"><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>{{ if .IsPage }} / <a href="{{ .CurrentSection.RelPermalink }}">{{ .CurrentSection.Title }}</a>{{ end }}</nav>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""

HUGO_SINGLE = """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>
<nav class="prev-next">
{{/* Hugo's .NextInSection points to the page sorted BEFORE this one (lower weight) */}}
{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
<aside class="chapter-pages">
<h2>{{ .CurrentSection.Title }}</h2>
<ul>
{{ $cur := . }}{{ range .CurrentSection.Pages }}<li{{ if eq . $cur }} class="current"{{ end }}><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
</aside>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
"""


def gen_hugo(chapters, pages, out):
    def link(src, dst):
        return '{{< relref "/%s/%s.md" >}}' % (dst.chapter.slug, dst.slug)

    write(os.path.join(out, "hugo.toml"), HUGO_CONFIG)
    write(os.path.join(out, "layouts", "_default", "baseof.html"), HUGO_BASEOF)
    write(os.path.join(out, "layouts", "_default", "single.html"), HUGO_SINGLE)
    write(os.path.join(out, "layouts", "_default", "list.html"), HUGO_LIST)
    write(os.path.join(out, "content", "_index.md"),
          "---\ntitle: \"PostgreSQL for Python Developers\"\n---\n\n" + HOME_TEXT)
    for ch in chapters:
        d = os.path.join(out, "content", ch.slug)
        write(os.path.join(d, "_index.md"),
              "---\ntitle: %s\ndescription: %s\nweight: %d\n---\n\n%s"
              % (yq(ch.title), yq(ch.description), ch.index + 1, chapter_body(ch)))
        for p in ch.pages:
            write(os.path.join(d, p.slug + ".md"),
                  "---\ntitle: %s\ndescription: %s\nweight: %d\nlastmod: %s\n---\n\n%s"
                  % (yq(p.title), yq(p.description), p.index + 1, p.updated,
                     body_markdown(p, link, resources_inline=True)))


# --------------------------------------------------------------------------
# Zola (>= 0.22: [markdown.highlighting])

ZOLA_CONFIG = """base_url = "https://example.org"
title = "PostgreSQL for Python Developers (benchmark corpus)"
default_language = "en"
compile_sass = false
build_search_index = false
generate_feeds = false

[markdown.highlighting]
theme = "github-light"
style = "class"
"""

ZOLA_BASE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{% block title %}{{ config.title }}{% endblock %}</title>
</head>
<body>
<nav class="breadcrumbs"><a href="{{ get_url(path='@/_index.md') }}">{{ config.title }}</a>{% block crumbs %}{% endblock %}</nav>
<main>
{% block main %}{% endblock %}
</main>
</body>
</html>
"""

ZOLA_PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }} - {{ config.title }}{% endblock %}
{% block main %}
{#- one get_section call per page: a {% set %} outside a block is not seen inside blocks -#}
{% set chapter = get_section(path=page.ancestors | last) %}
<nav class="chapter-crumb"><a href="{{ chapter.permalink | safe }}">{{ chapter.title }}</a></nav>
<article>
<h1>{{ page.title }}</h1>
{{ page.content | safe }}
</article>
<nav class="prev-next">
{% if page.lower %}<a rel="prev" href="{{ page.lower.permalink | safe }}">{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a rel="next" href="{{ page.higher.permalink | safe }}">{{ page.higher.title }}</a>{% endif %}
</nav>
<aside class="chapter-pages">
<h2>{{ chapter.title }}</h2>
<ul>
{% for p in chapter.pages %}<li{% if p.relative_path == page.relative_path %} class="current"{% endif %}><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>
{% endfor %}</ul>
</aside>
{% endblock %}
"""

ZOLA_SECTION = """{% extends "base.html" %}
{% block title %}{{ section.title }} - {{ config.title }}{% endblock %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>
{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>
{% endfor %}{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>
{% endfor %}</ul>
{% endblock %}
"""


def gen_zola(chapters, pages, out):
    def link(src, dst):
        return "@/%s/%s.md" % (dst.chapter.slug, dst.slug)

    write(os.path.join(out, "config.toml"), ZOLA_CONFIG)
    write(os.path.join(out, "templates", "base.html"), ZOLA_BASE)
    write(os.path.join(out, "templates", "page.html"), ZOLA_PAGE)
    write(os.path.join(out, "templates", "section.html"), ZOLA_SECTION)
    write(os.path.join(out, "templates", "index.html"), ZOLA_SECTION)
    write(os.path.join(out, "content", "_index.md"),
          "+++\ntitle = \"PostgreSQL for Python Developers\"\nsort_by = \"weight\"\n+++\n\n"
          + HOME_TEXT)
    for ch in chapters:
        d = os.path.join(out, "content", ch.slug)
        write(os.path.join(d, "_index.md"),
              "+++\ntitle = %s\ndescription = %s\nweight = %d\nsort_by = \"weight\"\n+++\n\n%s"
              % (yq(ch.title), yq(ch.description), ch.index + 1, chapter_body(ch)))
        for p in ch.pages:
            write(os.path.join(d, p.slug + ".md"),
                  "+++\ntitle = %s\ndescription = %s\nweight = %d\nupdated = %s\n+++\n\n%s"
                  % (yq(p.title), yq(p.description), p.index + 1, p.updated,
                     body_markdown(p, link, resources_inline=True)))


# --------------------------------------------------------------------------
# mdBook (default theme)

def gen_mdbook(chapters, pages, out):
    def link(src, dst):
        if src.chapter is dst.chapter:
            return dst.slug + ".md"
        return "../%s/%s.md" % (dst.chapter.slug, dst.slug)

    write(os.path.join(out, "book.toml"),
          "[book]\n"
          "title = \"PostgreSQL for Python Developers (benchmark corpus)\"\n"
          "authors = [\"openbook benchmark\"]\n"
          "language = \"en\"\n"
          "src = \"src\"\n")
    summary = ["# Summary", "", "[Introduction](index.md)", ""]
    write(os.path.join(out, "src", "index.md"),
          "# PostgreSQL for Python Developers\n\n" + HOME_TEXT)
    for ch in chapters:
        summary.append("- [%s](%s/index.md)" % (ch.title, ch.slug))
        d = os.path.join(out, "src", ch.slug)
        write(os.path.join(d, "index.md"), chapter_body(ch, h1=True))
        for p in ch.pages:
            summary.append("  - [%s](%s/%s.md)" % (p.title, ch.slug, p.slug))
            write(os.path.join(d, p.slug + ".md"),
                  body_markdown(p, link, resources_inline=True, h1=True))
    write(os.path.join(out, "src", "SUMMARY.md"), "\n".join(summary) + "\n")


GENERATORS = {"openbook": gen_openbook, "hugo": gen_hugo, "zola": gen_zola, "mdbook": gen_mdbook}


def locate(chapters, pages, fmt, k):
    """(source file relative to the site folder, served URL path) of page k."""
    p = pages[k]
    ch = p.chapter
    if fmt == "openbook":
        cw = max(2, len(str(len(chapters))))
        pw = max(2, len(str(PAGES_PER_CHAPTER)))
        src = "content/%0*d-%s/%0*d-%s.md" % (cw, ch.index + 1, ch.slug, pw, p.index + 1, p.slug)
        return src, "/%s/%s/" % (ch.slug, p.slug)
    if fmt == "mdbook":
        return "src/%s/%s.md" % (ch.slug, p.slug), "/%s/%s.html" % (ch.slug, p.slug)
    return "content/%s/%s.md" % (ch.slug, p.slug), "/%s/%s/" % (ch.slug, p.slug)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="number of content pages")
    ap.add_argument("--out", help="output folder (must be empty or absent)")
    ap.add_argument("--format", required=True, choices=sorted(GENERATORS))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--force", action="store_true",
                    help="replace --out if it exists and is not empty")
    ap.add_argument("--locate", type=int, metavar="K",
                    help="write nothing; print the source file (relative to the site folder) "
                         "and the URL path of page K (0-based), tab-separated")
    args = ap.parse_args(argv)
    if args.pages < 1:
        ap.error("--pages must be >= 1")
    if args.locate is not None:
        if not 0 <= args.locate < args.pages:
            ap.error("--locate must be in 0..%d" % (args.pages - 1))
        chapters, pages = build_book(args.pages, args.seed)
        print("%s\t%s" % locate(chapters, pages, args.format, args.locate))
        return 0
    if not args.out:
        ap.error("--out is required")
    out = args.out
    if os.path.exists(out):
        if not os.path.isdir(out):
            ap.error("--out exists and is not a folder: %s" % out)
        if os.listdir(out):
            if not args.force:
                ap.error("--out is not empty (pass --force to replace it): %s" % out)
            shutil.rmtree(out)
    chapters, pages = build_book(args.pages, args.seed)
    GENERATORS[args.format](chapters, pages, out)
    print("%s: %d pages in %d chapters -> %s" % (args.format, len(pages), len(chapters), out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
