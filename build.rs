//! Build script: deflates the bundled project (cards, templates, fonts) that `rollikaart init`
//! writes, so the binary carries it compressed. The fonts are most of it (825 KB as TrueType,
//! about 470 KB deflated); `src/cli/init.rs` inflates each file when it writes it.

use flate2::Compression;
use flate2::write::DeflateEncoder;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The folders of the bundled project, as `init` writes them.
const BUNDLED: [&str; 3] = ["cards", "templates", "fonts"];

fn main() -> std::io::Result<()> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("bundle");
    for folder in BUNDLED {
        println!("cargo::rerun-if-changed={folder}");
        let target = out.join(folder);
        if target.exists() {
            std::fs::remove_dir_all(&target)?;
        }
        std::fs::create_dir_all(&target)?;
        deflate_folder(&manifest.join(folder), &target)?;
    }
    Ok(())
}

/// Writes every file of `source` deflated into `target` under the same name. The bundle is
/// flat: a subfolder stops the build rather than go missing from `init`.
fn deflate_folder(source: &Path, target: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(source)? {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            return Err(std::io::Error::other(format!(
                "{} is not a file: the bundled folders hold files only",
                entry.path().display()
            )));
        }
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&std::fs::read(entry.path())?)?;
        std::fs::write(target.join(entry.file_name()), encoder.finish()?)?;
    }
    Ok(())
}
