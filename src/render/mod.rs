//! Templates: Tera, compiled once per build from the resolved theme.
//!
//! Contexts are small view models ([`context`]); shared pieces such as the
//! sidebar are rendered once in Rust ([`nav`]) and passed in as HTML, so
//! nothing big is serialised per page. A template error becomes a
//! [`Diagnostic`] naming the template file, its line and what was missing.

pub mod context;
pub mod nav;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics};
use crate::theme::Theme;

/// The compiled templates.
#[derive(Clone)]
pub struct Renderer {
    tera: tera::Tera,
    shown: HashMap<String, PathBuf>,
}

impl Renderer {
    /// Compile every template of the theme.
    pub fn new(theme: &Theme) -> Result<Renderer, Diagnostics> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let mut shown = HashMap::new();
        let mut diags = Diagnostics::new();
        let mut sources = Vec::new();
        for (name, file) in &theme.templates {
            match std::str::from_utf8(&file.bytes) {
                Ok(text) => sources.push((name.clone(), text.to_string())),
                Err(_) => diags.push(
                    Diagnostic::error("this template is not UTF-8 text").in_file(&file.shown),
                ),
            }
            shown.insert(name.clone(), file.shown.clone());
        }
        if let Err(e) = tera.add_raw_templates(sources) {
            diags.push(to_diagnostic(&e, &shown));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(Renderer { tera, shown })
    }

    /// True if the theme has a template of this name.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Render `name` with `context`.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| to_diagnostic(&e, &self.shown))
    }
}

/// Turn Tera's error into a diagnostic that names the template file and
/// line.
fn to_diagnostic(e: &tera::Error, shown: &HashMap<String, PathBuf>) -> Diagnostic {
    use tera::ErrorKind;
    let report = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match report {
        Some(r) => {
            let file = shown
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(format!("template {}", r.filename())));
            let span = r.span();
            Diagnostic::error(format!("template error: {}", r.message()))
                .in_file(file)
                .at(span.start_line, span.start_col + 1)
        }
        None => {
            let mut msg = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Diagnostic::error(format!("template error: {msg}"))
        }
    }
}
