//! One template case, shared by the `template_file` fuzz target and the bounded property test
//! in `tests/template_checks.rs`: arbitrary bytes as the template, next to copies of the
//! bundled cards, fonts and colour profile. Bad input must come back as diagnostics; a
//! template that loads must lay out and render one card to PDF and DOCX without error, with
//! every text item inside its box and the page. A panic, a render error, text outside its
//! box or a hang is a finding.

#[path = "render_check.rs"]
mod render_check;

use rollikaart::render::RenderContext;
use rollikaart::render::pdf::Pdf;
use std::path::Path;

/// A folder laid out like the repository: `cards/`, `fonts/`, `templates/`.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// Copies the bundled cards, fonts and templates from the repository at `root`.
    pub fn new(root: &Path) -> Workspace {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for sub in ["cards", "fonts", "templates"] {
            let to = dir.path().join(sub);
            std::fs::create_dir_all(&to).expect("create a folder");
            for entry in std::fs::read_dir(root.join(sub))
                .expect("a bundled folder")
                .flatten()
            {
                std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy a file");
            }
        }
        Workspace { dir }
    }

    /// Runs one case: `template` as `templates/lisa.toml`.
    pub fn run(&self, template: &[u8]) {
        let path = self.dir.path().join("templates/lisa.toml");
        std::fs::write(&path, template).expect("write the template");
        let Ok(project) = rollikaart::load_project(&self.dir.path().join("cards"), &path) else {
            return;
        };
        let context = RenderContext {
            fonts: &project.fonts,
            icc_profile: &project.icc_profile,
            timestamp: 1_700_000_000,
            producer: "rollikaart fuzz",
        };
        let Some(card) = project.source.cards.first() else {
            return;
        };
        let rendered = render_check::render_card(
            &project.source,
            &project.template,
            &context,
            &Pdf::default(),
            card,
        );
        if let Err(why) = rendered {
            panic!("with a valid template: {why}");
        }
    }
}
