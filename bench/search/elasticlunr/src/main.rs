//! `elasticlunr-bench DOCS.json OUT.json`: build an elasticlunr index of
//! the sections in DOCS.json (`[[ref, title, body], ...]`, exported from
//! openbook's own index so both index the same text), write it as mdBook
//! does, and print the milliseconds the indexing took.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let docs: Vec<(String, String, String)> =
        serde_json::from_str(&std::fs::read_to_string(&args[1]).expect("read docs"))
            .expect("docs JSON");
    let started = Instant::now();
    let mut index = elasticlunr::Index::new(&["title", "body"]);
    for (r, title, body) in &docs {
        index.add_doc(r, [title.as_str(), body.as_str()]);
    }
    let json = index.to_json();
    let ms = started.elapsed().as_secs_f64() * 1e3;
    std::fs::write(&args[2], json).expect("write index");
    println!("{ms:.0}");
}
