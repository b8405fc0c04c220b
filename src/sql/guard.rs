//! What a verified example may not do.
//!
//! Every page runs in a scratch database of its own, but a few psql
//! meta-commands and SQL statements reach beyond it: the build machine's
//! files and shell, other databases, the server's configuration, roles that
//! existed before the page. Those are refused before anything runs, with a
//! message that says why, so a typo in a book cannot damage the server it
//! is verified on. This is a safety net for honest mistakes, not a sandbox:
//! a superuser can still do harm from SQL, so verify books on a throwaway
//! server (CI does).
//!
//! Roles are shared by the whole server, yet a page about privileges must
//! create some. A page may create roles and alter or drop the roles it
//! created; [`Guard::created_roles`] lists them so that the runner can drop
//! any the page leaves behind.

use super::lex::{Kind, Statement, TokenKind};

/// Meta-commands refused, with the reason.
const REFUSED_META: &[(&[&str], &str)] = &[
    (&["!"], "runs a shell command on the build machine"),
    (&["c", "connect"], "leaves the page's scratch database"),
    (&["cd"], "changes the build's working directory"),
    (
        &["o", "out", "w", "write", "s"],
        "writes a file on the build machine",
    ),
    (
        &["i", "include", "ir", "include_relative"],
        "reads a file from the build machine",
    ),
    (
        &["lo_import", "lo_export"],
        "reads or writes a file on the build machine",
    ),
    (&["setenv"], "changes the build's environment"),
    (&["e", "edit", "ef", "ev"], "opens an editor"),
    (&["password", "prompt"], "waits for input"),
    (&["watch"], "never finishes"),
    (
        &["q", "quit"],
        "ends the session before the page's other blocks",
    ),
    (&["timing"], "prints times that differ on every run"),
];

/// The checks for one page, in page order (a page may drop roles it
/// created in an earlier block).
#[derive(Debug, Default)]
pub struct Guard {
    created: Vec<String>,
}

impl Guard {
    /// Roles created by the statements checked so far.
    pub fn created_roles(&self) -> &[String] {
        &self.created
    }

    /// Check one statement; `Err` says what it would do.
    pub fn check(&mut self, s: &Statement) -> Result<(), String> {
        match &s.kind {
            Kind::Meta { name, args } => check_meta(name, args),
            Kind::Sql => self.check_sql(s),
        }
    }

    fn check_sql(&mut self, s: &Statement) -> Result<(), String> {
        let words: Vec<&str> = s
            .tokens
            .iter()
            .take(3)
            .map(|t| {
                if t.kind == TokenKind::Word {
                    t.text.as_str()
                } else {
                    ""
                }
            })
            .collect();
        let first = words.first().copied().unwrap_or("");
        let second = words.get(1).copied().unwrap_or("");
        if first == "alter" && second == "system" {
            return Err("`ALTER SYSTEM` changes the server's configuration".into());
        }
        if matches!(first, "create" | "alter" | "drop")
            && matches!(second, "database" | "tablespace")
        {
            return Err(format!(
                "`{} {}` reaches beyond the page's scratch database",
                first.to_uppercase(),
                second.to_uppercase()
            ));
        }
        if matches!(second, "role" | "user" | "group") {
            let names = role_names(s);
            match first {
                "create" => {
                    self.created.extend(names.into_iter().take(1));
                    return Ok(());
                }
                "alter" | "drop" => {
                    for n in names {
                        if !self.created.contains(&n) {
                            return Err(format!(
                                "`{} ROLE {n}` changes a role this page did not create; roles are \
                                 shared by the whole server",
                                first.to_uppercase()
                            ));
                        }
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
        if first == "copy" {
            let top: Vec<_> = s.tokens.iter().filter(|t| t.depth == 0).collect();
            for (i, t) in top.iter().enumerate() {
                if t.kind == TokenKind::Word && t.text == "program" {
                    return Err("`COPY ... PROGRAM` runs a program on the server".into());
                }
                if t.kind == TokenKind::Word
                    && t.text == "to"
                    && top.get(i + 1).is_some_and(|n| n.kind == TokenKind::Str)
                {
                    return Err(
                        "`COPY ... TO 'file'` writes a file on the server (use `TO STDOUT`)".into(),
                    );
                }
            }
        }
        Ok(())
    }
}

fn check_meta(name: &str, args: &str) -> Result<(), String> {
    let base = name.trim_end_matches('+');
    for (names, why) in REFUSED_META {
        if names.contains(&base) {
            if base == "timing" && args.split_whitespace().next() == Some("off") {
                return Ok(());
            }
            return Err(format!("`\\{name}` {why}"));
        }
    }
    if matches!(base, "g" | "gx") && !args.is_empty() && !args.starts_with('(') {
        return Err(format!(
            "`\\{name} {args}` writes the result to a file or a program"
        ));
    }
    if base == "copy" {
        let lower = args.to_lowercase();
        let streams = ["stdin", "stdout", "pstdin", "pstdout"];
        // The word after the first FROM or TO outside `(query)`.
        let mut depth = 0usize;
        let mut outside = String::new();
        for c in lower.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                c if depth == 0 => outside.push(c),
                _ => {}
            }
        }
        let target = outside
            .split_whitespace()
            .skip_while(|w| *w != "from" && *w != "to")
            .nth(1)
            .unwrap_or("");
        if !streams.contains(&target) {
            return Err(format!(
                "`\\copy` with `{}` reads or writes a file on the build machine (use STDIN or \
                 STDOUT)",
                if target.is_empty() { "a file" } else { target }
            ));
        }
    }
    Ok(())
}

/// The role names after `CREATE|ALTER|DROP ROLE [IF EXISTS]`.
fn role_names(s: &Statement) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = s.tokens.iter().skip(2).peekable();
    if it.peek().is_some_and(|t| t.text == "if") {
        it.next();
        it.next();
    }
    for t in it {
        match t.kind {
            TokenKind::Word | TokenKind::Quoted => out.push(t.text.clone()),
            TokenKind::Other if t.text == "," => continue,
            _ => break,
        }
        // `ALTER ROLE x ...` and `CREATE ROLE x ...` name one role; only
        // `DROP ROLE a, b` lists several.
        if s.tokens.first().map(|t| t.text.as_str()) != Some("drop") {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lex::split;
    use super::*;

    fn check_all(code: &str) -> Result<Vec<String>, String> {
        let mut g = Guard::default();
        for s in split(code).statements {
            g.check(&s)?;
        }
        Ok(g.created_roles().to_vec())
    }

    #[test]
    fn roles_created_on_the_page_may_be_altered_and_dropped() {
        let roles = check_all(
            "CREATE ROLE app_rw LOGIN;\nALTER ROLE app_rw SET statement_timeout = '5s';\n\
             CREATE ROLE \"Ro\";\nDROP ROLE IF EXISTS app_rw, \"Ro\";\n",
        )
        .unwrap();
        assert_eq!(roles, vec!["app_rw".to_string(), "Ro".to_string()]);
        let e = check_all("DROP ROLE postgres;").unwrap_err();
        assert!(e.contains("did not create"), "{e}");
        assert!(check_all("ALTER ROLE CURRENT_USER SET work_mem = '1GB';").is_err());
    }

    #[test]
    fn server_wide_statements_are_refused() {
        assert!(check_all("ALTER SYSTEM SET work_mem = '1GB';")
            .unwrap_err()
            .contains("ALTER SYSTEM"));
        assert!(check_all("drop database postgres;").is_err());
        assert!(check_all("COPY books TO '/tmp/x.csv';").is_err());
        assert!(check_all("COPY books FROM PROGRAM 'ls';").is_err());
        // Reading to STDOUT, or from a server file (which fails), is fine.
        assert!(check_all("COPY (SELECT 'to') TO STDOUT;").is_ok());
        assert!(check_all("COPY customers FROM 'customers.csv';").is_ok());
    }

    #[test]
    fn meta_commands_that_leave_the_database_are_refused() {
        for bad in [
            "\\! ls",
            "\\c postgres",
            "\\o out.txt",
            "\\i x.sql",
            "\\watch 1",
            "\\timing on",
            "\\copy t from 'x.csv'",
            "SELECT 1 \\g out.txt",
        ] {
            assert!(check_all(bad).is_err(), "{bad}");
        }
        for ok in [
            "\\d books",
            "\\x",
            "\\pset null '(null)'",
            "\\copy (SELECT 1 FROM t) TO STDOUT WITH (FORMAT csv)",
            "\\echo hi",
            "SELECT 1 \\gx",
            "\\timing off",
        ] {
            assert!(check_all(ok).is_ok(), "{ok}");
        }
    }
}
