use rollikaart::document::{self, BuildOptions, Selection};
use rollikaart::render::{RenderContext, Renderer};
use std::time::Instant;
fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let cards = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or(root.join("cards"));
    let p = rollikaart::load_project(&cards, &root.join("templates/lisa.toml")).unwrap();
    let cx = RenderContext {
        fonts: &p.fonts,
        icc_profile: &p.icc_profile,
        timestamp: 1_704_067_200,
        producer: "x",
    };
    let whole = document::build(
        &p.source,
        &p.template,
        &BuildOptions::default(),
        Selection::WholeAnnex,
    );
    let one = document::build(
        &p.source,
        &p.template,
        &BuildOptions::default(),
        Selection::OneCard(&p.source.cards[4]),
    );
    let docx = rollikaart::render::docx::Docx;
    let pdf = rollikaart::render::pdf::Pdf::default();
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    for (name, r, d) in [
        ("docx whole", &docx as &dyn Renderer, &whole),
        ("docx card", &docx, &one),
        ("pdf whole", &pdf, &whole),
        ("pdf card", &pdf, &one),
    ] {
        if std::env::var("ONLY").is_ok_and(|o| o != name) {
            continue;
        }
        let _ = r.render(d, &cx).unwrap();
        let mut v = Vec::new();
        for _ in 0..n {
            let t = Instant::now();
            let b = r.render(d, &cx).unwrap();
            v.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(b);
        }
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{name}: median {:.2} ms min {:.2} ms", v[v.len() / 2], v[0]);
    }
}
