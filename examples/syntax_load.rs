//! How long decoding the syntax set takes (`cargo run --release --example syntax_load`).
fn main() {
    let t = std::time::Instant::now();
    let set = two_face::syntax::extra_newlines();
    println!(
        "two-face extra syntaxes: {} in {:?}",
        set.syntaxes().len(),
        t.elapsed()
    );
    let t = std::time::Instant::now();
    let (html, _) = openbook::highlight::highlight("SELECT 1;\n", "sql");
    println!("first highlight: {:?} ({} bytes)", t.elapsed(), html.len());
    let t = std::time::Instant::now();
    let css = openbook::highlight::stylesheet();
    println!("stylesheet: {:?} ({} bytes)", t.elapsed(), css.len());
}
