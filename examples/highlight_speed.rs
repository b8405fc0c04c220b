//! Highlighting throughput on the code blocks of a generated corpus:
//! `cargo run --release --example highlight_speed -- /tmp/ob-1k`.
fn main() {
    let dir = std::env::args().nth(1).expect("a corpus folder");
    let mut blocks: Vec<(String, String)> = Vec::new();
    for e in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "md") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let mut lang = None;
            let mut code = String::new();
            for line in text.lines() {
                if let Some(l) = line.strip_prefix("```") {
                    match lang.take() {
                        Some(lg) => blocks.push((lg, std::mem::take(&mut code))),
                        None => lang = Some(l.split_whitespace().next().unwrap_or("").to_string()),
                    }
                } else if lang.is_some() {
                    code.push_str(line);
                    code.push('\n');
                }
            }
        }
    }
    let lines: usize = blocks.iter().map(|(_, c)| c.lines().count()).sum();
    let _ = openbook::highlight::highlight("SELECT 1;\n", "sql");
    let _ = openbook::highlight::highlight("x = 1\n", "python");
    let t = std::time::Instant::now();
    let mut bytes = 0;
    for (lang, code) in &blocks {
        bytes += openbook::highlight::highlight(code, lang).0.len();
    }
    let el = t.elapsed();
    println!(
        "{} blocks, {lines} lines in {el:?}: {:.0} lines/s on one core ({bytes} bytes out)",
        blocks.len(),
        lines as f64 / el.as_secs_f64()
    );
}
