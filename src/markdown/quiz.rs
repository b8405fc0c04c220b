//! ```` ```quiz ```` blocks: a YAML self-check question rendered as a
//! widget that the theme's script makes interactive, and that reads as the
//! question, its choices and a collapsed answer without JavaScript.

use std::path::Path;

use serde::Deserialize;

use super::inline_html;
use crate::diag::Diagnostic;
use crate::highlight::escape;
use crate::yaml;

/// A YAML scalar read as text (`- 5 years`, `- 42`, `- true` are all
/// choices).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    question: String,
    choices: Vec<Scalar>,
    #[serde(default)]
    answer: Option<Scalar>,
    #[serde(default)]
    answers: Option<Vec<Scalar>>,
    #[serde(default)]
    explanation: Option<String>,
}

/// A parsed, validated quiz.
#[derive(Debug, Clone, PartialEq)]
pub struct Quiz {
    /// The question (inline Markdown).
    pub question: String,
    /// The choices (inline Markdown).
    pub choices: Vec<String>,
    /// Indices of the right choices.
    pub correct: Vec<usize>,
    /// Why.
    pub explanation: String,
    /// Several right answers (checkboxes rather than radio buttons).
    pub multiple: bool,
}

/// Parse a quiz block whose YAML starts on file line `first_line`.
pub fn parse(yaml_text: &str, file: &Path, first_line: usize) -> Result<Quiz, Diagnostic> {
    if yaml_text.trim().is_empty() {
        return Err(Diagnostic::error(
            "empty quiz block; expected `question:`, `choices:`, `answer:` and `explanation:`",
        )
        .in_file(file)
        .at(first_line, 1));
    }
    let spec: Spec = yaml::parse(yaml_text, file, first_line)?;
    let line_of =
        |key: &str| yaml::key_line(yaml_text, key).map_or(first_line, |l| l + first_line - 1);
    let err = |key: &str, msg: String| Diagnostic::error(msg).in_file(file).at(line_of(key), 1);
    let choices: Vec<String> = spec.choices.iter().map(Scalar::text).collect();
    if spec.question.trim().is_empty() {
        return Err(err("question", "the quiz question is empty".into()));
    }
    if choices.len() < 2 {
        return Err(err(
            "choices",
            format!("a quiz needs at least two choices; found {}", choices.len()),
        ));
    }
    for (i, c) in choices.iter().enumerate() {
        if choices[..i].contains(c) {
            return Err(err("choices", format!("the choice `{c}` is listed twice")));
        }
    }
    let (answers, key, multiple) = match (&spec.answer, &spec.answers) {
        (Some(a), None) => (vec![a.text()], "answer", false),
        (None, Some(list)) if !list.is_empty() => {
            (list.iter().map(Scalar::text).collect(), "answers", true)
        }
        (Some(_), Some(_)) => {
            return Err(err(
                "answers",
                "a quiz has both `answer:` and `answers:`; expected one of them".into(),
            ))
        }
        _ => {
            return Err(err(
                "question",
                "the quiz has no `answer:`; expected the exact text of the right choice \
                 (or `answers:` listing several)"
                    .into(),
            ))
        }
    };
    let mut correct = Vec::new();
    for a in &answers {
        match choices.iter().position(|c| c == a) {
            Some(i) => correct.push(i),
            None => {
                let line = yaml::value_line(yaml_text, key, a)
                    .or_else(|| yaml::key_line(yaml_text, key))
                    .map_or(first_line, |l| l + first_line - 1);
                return Err(Diagnostic::error(format!(
                    "the answer `{a}` is not one of the choices; expected the exact text of a \
                     choice ({})",
                    choices
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .in_file(file)
                .at(line, 1));
            }
        }
    }
    correct.sort_unstable();
    correct.dedup();
    Ok(Quiz {
        question: spec.question,
        choices,
        correct,
        explanation: spec.explanation.unwrap_or_default(),
        multiple,
    })
}

/// The widget's markup. `n` numbers the quiz within its page.
pub fn render(q: &Quiz, n: usize) -> String {
    let id = format!("quiz-{n}");
    let kind = if q.multiple { "checkbox" } else { "radio" };
    let answers: Vec<String> = q.correct.iter().map(ToString::to_string).collect();
    let mut h = String::with_capacity(1024);
    h.push_str(&format!(
        "<section class=\"quiz\" id=\"{id}\" aria-labelledby=\"{id}-q\" data-answers=\"{}\" \
         data-multiple=\"{}\">\n",
        answers.join(" "),
        q.multiple
    ));
    h.push_str(&format!(
        "<p class=\"quiz-kicker\">Check yourself{}</p>\n<p class=\"quiz-question\" id=\"{id}-q\">{}</p>\n",
        if q.multiple { " · choose all that apply" } else { "" },
        inline_html(&q.question)
    ));
    h.push_str("<form class=\"quiz-form\">\n<ul class=\"quiz-choices\">\n");
    for (i, c) in q.choices.iter().enumerate() {
        h.push_str(&format!(
            "<li><label class=\"quiz-choice\"><input type=\"{kind}\" name=\"{id}\" value=\"{i}\"> \
             <span>{}</span></label></li>\n",
            inline_html(c)
        ));
    }
    h.push_str("</ul>\n<div class=\"quiz-actions\" hidden><button type=\"submit\" class=\"quiz-check\">Check answer</button> \
                <button type=\"button\" class=\"quiz-retry\" hidden>Try again</button></div>\n");
    h.push_str("<p class=\"quiz-feedback\" role=\"status\" aria-live=\"polite\"></p>\n</form>\n");
    let right: Vec<String> = q
        .correct
        .iter()
        .map(|&i| inline_html(&q.choices[i]))
        .collect();
    h.push_str(&format!(
        "<details class=\"quiz-answer\"><summary>Show the answer</summary>\n<p><strong>Answer:</strong> {}</p>\n",
        right.join("; ")
    ));
    if !q.explanation.is_empty() {
        h.push_str(&format!(
            "<p class=\"quiz-explanation\">{}</p>\n",
            inline_html(&q.explanation)
        ));
    }
    h.push_str("</details>\n</section>\n");
    let _ = escape;
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_must_be_a_choice() {
        let y = "question: \"Q?\"\nchoices:\n  - \"a\"\n  - \"b\"\nanswer: \"c\"\n";
        let e = parse(y, Path::new("p.md"), 10).unwrap_err();
        assert_eq!(e.line, 14, "{e}");
        assert!(e.message.contains("not one of the choices"));
    }

    #[test]
    fn multiple_answers() {
        let y = "question: Q\nchoices: [a, b, c]\nanswers: [a, c]\nexplanation: because\n";
        let q = parse(y, Path::new("p.md"), 1).unwrap();
        assert!(q.multiple);
        assert_eq!(q.correct, vec![0, 2]);
        let html = render(&q, 1);
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("data-answers=\"0 2\""));
    }

    #[test]
    fn numbers_are_choices_too() {
        let y = "question: How many?\nchoices: [2, 5, 10]\nanswer: 5\n";
        let q = parse(y, Path::new("p.md"), 1).unwrap();
        assert_eq!(q.correct, vec![1]);
    }
}
