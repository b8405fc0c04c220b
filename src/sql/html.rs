//! A block's recorded psql output as accessible HTML.
//!
//! Tables become real `<table>`s (column headers with `scope`, numbers
//! right aligned as psql aligns them, NULL marked as such, the `\d` title
//! as the caption, the row count beneath); messages and plain text stay
//! preformatted, as psql printed them. The markup goes inside the code
//! block's `<figure>`, below the SQL, and uses the theme's `.sql-*`
//! classes.

use super::output::{self, Cell, Item, Records, Severity, Table};
use crate::highlight::escape;

/// The HTML shown under one block: `text` as psql printed it, verified
/// against PostgreSQL `server` (major version). Empty when psql printed
/// nothing.
pub fn render(text: &str, server: u32) -> String {
    let items = output::parse(text);
    if items.is_empty() {
        return String::new();
    }
    let mut h = String::with_capacity(text.len() * 2 + 200);
    h.push_str("<div class=\"sql-output\">");
    h.push_str(&format!(
        "<p class=\"sql-output-label\"><span>Output</span> <span class=\"sql-output-server\">\
         verified on PostgreSQL {server}</span></p>"
    ));
    for item in &items {
        match item {
            Item::Table(t) => table(&mut h, t),
            Item::Records(r) => records(&mut h, r),
            Item::Message(m) => {
                let class = match m.severity {
                    Severity::Error => "sql-error",
                    Severity::Warning | Severity::Notice => "sql-notice",
                };
                h.push_str(&format!(
                    "<pre class=\"sql-text {class}\">{}</pre>",
                    escape(&m.text)
                ));
            }
            Item::Text(t) => {
                h.push_str(&format!("<pre class=\"sql-text\">{}</pre>", escape(t)));
            }
        }
    }
    h.push_str("</div>");
    h
}

fn cell(h: &mut String, c: &Cell, numeric: bool) {
    match c {
        Cell::Null => h.push_str("<td class=\"null\">NULL</td>"),
        Cell::Value(v) if numeric => {
            h.push_str(&format!("<td class=\"num\">{}</td>", escape(v)));
        }
        Cell::Value(v) => h.push_str(&format!("<td>{}</td>", escape(v))),
    }
}

fn table(h: &mut String, t: &Table) {
    h.push_str("<div class=\"sql-result\"><table>");
    if let Some(title) = &t.title {
        h.push_str(&format!("<caption>{}</caption>", escape(title)));
    }
    h.push_str("<thead><tr>");
    for (c, name) in t.columns.iter().enumerate() {
        let class = if t.numeric[c] { " class=\"num\"" } else { "" };
        h.push_str(&format!("<th scope=\"col\"{class}>{}</th>", escape(name)));
    }
    h.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        h.push_str("<tr>");
        for (c, v) in row.iter().enumerate() {
            cell(h, v, t.numeric[c]);
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    if let Some(count) = &t.count {
        h.push_str(&format!("<p class=\"sql-rows\">{}</p>", escape(count)));
    }
    if !t.footer.is_empty() {
        h.push_str(&format!(
            "<pre class=\"sql-footer\">{}</pre>",
            escape(&t.footer.join("\n"))
        ));
    }
    h.push_str("</div>");
}

fn records(h: &mut String, r: &Records) {
    h.push_str("<div class=\"sql-result\"><table class=\"sql-records\">");
    for (heading, fields) in &r.records {
        h.push_str(&format!(
            "<tbody><tr><th colspan=\"2\" scope=\"colgroup\" class=\"sql-record\">{}</th></tr>",
            escape(heading)
        ));
        for (name, value) in fields {
            h.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(name)));
            cell(h, value, false);
            h.push_str("</tr>");
        }
        h.push_str("</tbody>");
    }
    h.push_str("</table>");
    if !r.footer.is_empty() {
        h.push_str(&format!(
            "<p class=\"sql-rows\">{}</p>",
            escape(&r.footer.join("\n"))
        ));
    }
    h.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_output_renders_nothing() {
        assert_eq!(render("\n\n", 15), "");
    }

    #[test]
    fn markup_is_escaped_and_classed() {
        let h = render(
            " a<b | n\n-----+---\n x&y | ␀\n(1 row)\n\nERROR:  bad <thing>\n",
            15,
        );
        assert!(h.contains("<th scope=\"col\">a&lt;b</th>"), "{h}");
        assert!(
            h.contains("<td>x&amp;y</td><td class=\"null\">NULL</td>"),
            "{h}"
        );
        assert!(h.contains("<p class=\"sql-rows\">(1 row)</p>"), "{h}");
        assert!(
            h.contains("<pre class=\"sql-text sql-error\">ERROR:  bad &lt;thing&gt;</pre>"),
            "{h}"
        );
        assert!(h.contains("PostgreSQL 15"));
    }
}
