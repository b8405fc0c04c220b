//! Splitting a block of psql input into statements, the way psql does.
//!
//! psql sends a statement to the server when it reads a `;` outside quotes,
//! comments and parentheses, or a `\g`-style meta-command; any other
//! backslash command runs as soon as its line is read. This module mirrors
//! that lexer closely enough to know, for every statement of a block, the
//! line and column where its text starts (psql drops leading whitespace and
//! `--` comments, so PostgreSQL's `LINE n:` counts from there), the line on
//! which psql runs it (the line it names in `psql:file:LINE:` messages),
//! and its leading keywords, which [`super::guard`] inspects.
//!
//! It also finds a block whose end leaves psql waiting for more input (a
//! statement without `;`, an unclosed quote or comment): psql would glue
//! that text to the next block, so it is reported instead.

/// One statement or meta-command of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// 0-based line in the block where the statement's text starts.
    pub line: usize,
    /// 0-based column (in characters) where it starts.
    pub column: usize,
    /// 0-based line on which psql runs it.
    pub end_line: usize,
    /// SQL or a meta-command.
    pub kind: Kind,
    /// The statement's tokens outside parentheses and inside them, in
    /// order, for keyword checks.
    pub tokens: Vec<Token>,
}

/// What a [`Statement`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// SQL sent to the server (ended by `;` or a `\g`-style command).
    Sql,
    /// A backslash command such as `\d books`: its name (without `\`) and
    /// the rest of its line.
    Meta {
        /// `d`, `pset`, `copy`, ...
        name: String,
        /// The rest of the line, trimmed.
        args: String,
    },
}

/// A lexical token of a SQL statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// A lowercased keyword or identifier, an unquoted `"identifier"`, a
    /// string literal's content, or one punctuation character.
    pub text: String,
    /// What sort of token.
    pub kind: TokenKind,
    /// Parenthesis depth (0 at the top level).
    pub depth: usize,
}

/// The sort of a [`Token`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A keyword or unquoted identifier (lowercased, as PostgreSQL folds).
    Word,
    /// A `"quoted identifier"` (as written, without quotes).
    Quoted,
    /// A string literal (`'...'`, `E'...'` or dollar-quoted).
    Str,
    /// Anything else: punctuation, numbers, operators.
    Other,
}

/// Where a block leaves psql waiting for more input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unterminated {
    /// 0-based line where the unfinished thing starts.
    pub line: usize,
    /// 0-based column.
    pub column: usize,
    /// What is unfinished, for messages ("a statement without `;`").
    pub what: &'static str,
}

/// A block split into statements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// Statements and meta-commands, in order.
    pub statements: Vec<Statement>,
    /// Set if the block ends in the middle of something.
    pub unterminated: Option<Unterminated>,
}

/// Meta-commands that send the query buffer, ending a statement.
const SENDING: &[&str] = &["g", "gx", "gset", "gexec", "gdesc", "crosstabview", "watch"];

struct Lexer {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
}

impl Lexer {
    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }
    fn bump(&mut self) {
        if let Some(c) = self.chars.get(self.i) {
            if *c == '\n' {
                self.line += 1;
                self.col = 0;
            } else {
                self.col += 1;
            }
            self.i += 1;
        }
    }
    fn at_end(&self) -> bool {
        self.i >= self.chars.len()
    }
    fn pos(&self) -> (usize, usize) {
        (self.line, self.col)
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || !c.is_ascii()
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// The statement being collected.
struct Current {
    line: usize,
    column: usize,
    tokens: Vec<Token>,
    /// Only comments so far (psql keeps `/* */` but they run nothing).
    has_code: bool,
    paren: usize,
    /// First words, for psql's `CREATE FUNCTION ... BEGIN ATOMIC` rule.
    words: Vec<String>,
    begin_depth: usize,
}

impl Current {
    fn new((line, column): (usize, usize)) -> Current {
        Current {
            line,
            column,
            tokens: Vec::new(),
            has_code: false,
            paren: 0,
            words: Vec::new(),
            begin_depth: 0,
        }
    }

    fn push(&mut self, text: String, kind: TokenKind) {
        self.has_code = true;
        self.tokens.push(Token {
            text,
            kind,
            depth: self.paren,
        });
    }

    /// psql's heuristic: inside `CREATE [OR REPLACE] FUNCTION|PROCEDURE`,
    /// `BEGIN ... END` (with nested `CASE ... END`) holds semicolons.
    fn word(&mut self, w: &str) {
        if self.words.len() < 4 {
            self.words.push(w.to_string());
        }
        let routine =
            |s: Option<&String>| matches!(s.map(String::as_str), Some("function" | "procedure"));
        let is_routine = self.words.first().map(String::as_str) == Some("create")
            && (routine(self.words.get(1))
                || (self.words.get(1).map(String::as_str) == Some("or")
                    && self.words.get(2).map(String::as_str) == Some("replace")
                    && routine(self.words.get(3))));
        if is_routine && self.paren == 0 {
            match w {
                "begin" => self.begin_depth += 1,
                "case" if self.begin_depth > 0 => self.begin_depth += 1,
                "end" if self.begin_depth > 0 => self.begin_depth -= 1,
                _ => {}
            }
        }
    }
}

/// Split `code` (one block) into statements.
pub fn split(code: &str) -> Split {
    let mut lx = Lexer {
        chars: code.chars().collect(),
        i: 0,
        line: 0,
        col: 0,
    };
    let mut out = Split::default();
    let mut cur: Option<Current> = None;
    while !lx.at_end() {
        let c = lx.chars[lx.i];
        let next = lx.peek(1);
        if c.is_whitespace() {
            lx.bump();
            continue;
        }
        if c == '-' && next == Some('-') {
            while !lx.at_end() && lx.chars[lx.i] != '\n' {
                lx.bump();
            }
            continue;
        }
        let start = lx.pos();
        if c == '/' && next == Some('*') {
            cur.get_or_insert_with(|| Current::new(start));
            if !skip_block_comment(&mut lx) {
                out.unterminated = Some(unterminated(start, "a `/*` comment without `*/`"));
                return out;
            }
            continue;
        }
        if c == '\\' {
            let (name, args) = read_meta(&mut lx);
            let end_line = start.0;
            let sends = SENDING.contains(&name.as_str());
            // A `\g`-style command sends the open statement; either way the
            // command itself is listed too (for the guard).
            match cur.take() {
                Some(stmt) if sends && stmt.has_code => {
                    out.statements.push(finish(stmt, end_line));
                }
                other => cur = other,
            }
            out.statements.push(Statement {
                line: start.0,
                column: start.1,
                end_line,
                kind: Kind::Meta { name, args },
                tokens: Vec::new(),
            });
            continue;
        }
        let stmt = cur.get_or_insert_with(|| Current::new(start));
        match c {
            '\'' => {
                let escapes = matches!(stmt.tokens.last(), Some(t) if t.kind == TokenKind::Word && t.text == "e")
                    && lx.i > 0
                    && matches!(lx.chars[lx.i - 1], 'e' | 'E');
                if escapes {
                    stmt.tokens.pop();
                }
                match read_quoted(&mut lx, '\'', escapes) {
                    Some(s) => stmt.push(s, TokenKind::Str),
                    None => {
                        out.unterminated =
                            Some(unterminated(start, "a string without its closing `'`"));
                        return out;
                    }
                }
            }
            '"' => match read_quoted(&mut lx, '"', false) {
                Some(s) => stmt.push(s, TokenKind::Quoted),
                None => {
                    out.unterminated = Some(unterminated(
                        start,
                        "a quoted identifier without its closing `\"`",
                    ));
                    return out;
                }
            },
            '$' if dollar_tag(&lx).is_some()
                && !(lx.i > 0 && is_ident_char(lx.chars[lx.i - 1])) =>
            {
                let tag = dollar_tag(&lx).unwrap_or_default();
                match read_dollar(&mut lx, &tag) {
                    Some(s) => stmt.push(s, TokenKind::Str),
                    None => {
                        out.unterminated = Some(unterminated(
                            start,
                            "a dollar-quoted string without its closing tag",
                        ));
                        return out;
                    }
                }
            }
            '(' => {
                stmt.push("(".into(), TokenKind::Other);
                stmt.paren += 1;
                lx.bump();
            }
            ')' => {
                stmt.paren = stmt.paren.saturating_sub(1);
                stmt.push(")".into(), TokenKind::Other);
                lx.bump();
            }
            ';' => {
                lx.bump();
                if stmt.paren == 0 && stmt.begin_depth == 0 {
                    let stmt = cur.take().expect("a statement is open");
                    if stmt.has_code {
                        out.statements.push(finish(stmt, start.0));
                    }
                } else {
                    stmt.push(";".into(), TokenKind::Other);
                }
            }
            c if is_ident_start(c) => {
                let mut w = String::new();
                while let Some(ch) = lx.peek(0).filter(|&ch| is_ident_char(ch)) {
                    w.push(ch);
                    lx.bump();
                }
                let w = w.to_lowercase();
                stmt.word(&w);
                stmt.push(w, TokenKind::Word);
            }
            c => {
                stmt.push(c.to_string(), TokenKind::Other);
                lx.bump();
            }
        }
    }
    if let Some(stmt) = cur {
        if stmt.has_code {
            out.unterminated = Some(Unterminated {
                line: stmt.line,
                column: stmt.column,
                what: "a statement without `;` at its end",
            });
        }
    }
    out
}

fn unterminated((line, column): (usize, usize), what: &'static str) -> Unterminated {
    Unterminated { line, column, what }
}

fn finish(stmt: Current, end_line: usize) -> Statement {
    Statement {
        line: stmt.line,
        column: stmt.column,
        end_line,
        kind: Kind::Sql,
        tokens: stmt.tokens,
    }
}

/// Skip a (nested) `/* */` comment; false if it never closes.
fn skip_block_comment(lx: &mut Lexer) -> bool {
    let mut depth = 0usize;
    while !lx.at_end() {
        match (lx.peek(0), lx.peek(1)) {
            (Some('/'), Some('*')) => {
                depth += 1;
                lx.bump();
                lx.bump();
            }
            (Some('*'), Some('/')) => {
                depth -= 1;
                lx.bump();
                lx.bump();
                if depth == 0 {
                    return true;
                }
            }
            _ => lx.bump(),
        }
    }
    false
}

/// Read `'...'` or `"..."` (doubled quotes escape; with `escapes`, so does
/// a backslash). Returns the content, or `None` if it never closes.
fn read_quoted(lx: &mut Lexer, q: char, escapes: bool) -> Option<String> {
    lx.bump();
    let mut s = String::new();
    while let Some(c) = lx.peek(0) {
        if escapes && c == '\\' {
            lx.bump();
            if let Some(n) = lx.peek(0) {
                s.push(n);
                lx.bump();
            }
            continue;
        }
        lx.bump();
        if c == q {
            if lx.peek(0) == Some(q) {
                s.push(q);
                lx.bump();
                continue;
            }
            return Some(s);
        }
        s.push(c);
    }
    None
}

/// The tag of a dollar quote starting at the cursor (`$$` or `$tag$`).
fn dollar_tag(lx: &Lexer) -> Option<String> {
    let mut k = 1;
    let mut tag = String::from("$");
    while let Some(c) = lx.peek(k) {
        if c == '$' {
            tag.push('$');
            return Some(tag);
        }
        let ok = if k == 1 {
            is_ident_start(c)
        } else {
            is_ident_char(c) && c != '$'
        };
        if !ok {
            return None;
        }
        tag.push(c);
        k += 1;
    }
    None
}

fn read_dollar(lx: &mut Lexer, tag: &str) -> Option<String> {
    for _ in tag.chars() {
        lx.bump();
    }
    let tag: Vec<char> = tag.chars().collect();
    let mut s = String::new();
    while !lx.at_end() {
        if lx.chars[lx.i..].starts_with(&tag) {
            for _ in 0..tag.len() {
                lx.bump();
            }
            return Some(s);
        }
        s.push(lx.chars[lx.i]);
        lx.bump();
    }
    None
}

/// Read a backslash command to the end of its line.
fn read_meta(lx: &mut Lexer) -> (String, String) {
    lx.bump();
    let mut name = String::new();
    while let Some(c) = lx.peek(0) {
        if c.is_whitespace() || c == '\\' {
            break;
        }
        name.push(c);
        lx.bump();
    }
    let mut args = String::new();
    while let Some(c) = lx.peek(0) {
        if c == '\n' {
            break;
        }
        args.push(c);
        lx.bump();
    }
    (name, args.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(code: &str) -> Vec<(usize, usize, usize)> {
        split(code)
            .statements
            .iter()
            .map(|s| (s.line, s.column, s.end_line))
            .collect()
    }

    #[test]
    fn statements_start_after_whitespace_and_line_comments() {
        let code = "-- intro\n  SELECT 1;\nSELECT\n  2; SELECT 3;\n";
        assert_eq!(lines(code), vec![(1, 2, 1), (2, 0, 3), (3, 5, 3)]);
        assert!(split(code).unterminated.is_none());
    }

    #[test]
    fn semicolons_inside_quotes_parens_and_dollar_quotes_do_not_end() {
        let code =
            "SELECT ';', \"a;b\", E'\\';'\n;\nDO $x$ BEGIN PERFORM 1; END $x$;\nSELECT (1;2);\n";
        let s = split(code);
        assert_eq!(s.statements.len(), 3, "{s:?}");
        assert_eq!(s.statements[0].end_line, 1);
        assert_eq!(s.statements[1].end_line, 2);
        assert!(s.statements[1]
            .tokens
            .iter()
            .any(|t| t.kind == TokenKind::Str && t.text.contains("PERFORM")));
    }

    #[test]
    fn begin_atomic_bodies_hold_semicolons() {
        let code = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END;\nEND;\nSELECT 3;\n";
        assert_eq!(lines(code), vec![(0, 0, 4), (5, 0, 5)]);
        // BEGIN as a transaction is not special.
        assert_eq!(lines("BEGIN;\nSELECT 1;\nEND;\n").len(), 3);
    }

    #[test]
    fn meta_commands_and_g_terminators() {
        let s = split("\\d books\nSELECT 1 \\gx\n\\pset null '(null)'\n");
        assert_eq!(s.statements.len(), 4);
        assert_eq!(
            s.statements[0].kind,
            Kind::Meta {
                name: "d".into(),
                args: "books".into()
            }
        );
        assert_eq!(s.statements[1].kind, Kind::Sql);
        assert_eq!(s.statements[1].end_line, 1);
        assert!(matches!(&s.statements[2].kind, Kind::Meta { name, .. } if name == "gx"));
        assert!(s.unterminated.is_none());
    }

    #[test]
    fn unfinished_blocks_are_found() {
        let u = split("SELECT 1;\nSELECT 2\n").unterminated.unwrap();
        assert_eq!((u.line, u.column), (1, 0));
        assert!(u.what.contains("`;`"));
        assert!(split("SELECT 'abc;\n")
            .unterminated
            .unwrap()
            .what
            .contains("string"));
        assert!(split("SELECT $$abc;\n")
            .unterminated
            .unwrap()
            .what
            .contains("dollar"));
        assert!(split("/* open\n").unterminated.is_some());
        // A trailing comment is not a statement.
        assert!(split("SELECT 1;\n/* done */\n-- bye\n")
            .unterminated
            .is_none());
    }

    #[test]
    fn tokens_fold_case_and_track_depth() {
        let s = split("COPY (SELECT 'to') TO \"File\";");
        let t: Vec<(&str, usize)> = s.statements[0]
            .tokens
            .iter()
            .map(|t| (t.text.as_str(), t.depth))
            .collect();
        assert_eq!(
            t,
            vec![
                ("copy", 0),
                ("(", 0),
                ("select", 1),
                ("to", 1),
                (")", 0),
                ("to", 0),
                ("File", 0)
            ]
        );
    }

    #[test]
    fn positional_parameters_are_not_dollar_quotes() {
        assert!(split("PREPARE p AS SELECT $1;\n").unterminated.is_none());
        assert!(split("SELECT a$b$c FROM t;\n").unterminated.is_none());
    }
}
