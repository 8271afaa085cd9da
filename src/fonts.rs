//! The fonts deca sets text in. Bundled, all SIL OFL 1.1 with their licences beside them in
//! templates/fonts/: Carlito (sans, metric-compatible with Calibri) and Caladea (serif,
//! metric-compatible with Cambria) for Latin, Greek and Cyrillic (Caladea has no Greek or
//! Cyrillic: Carlito stands in), and Noto families for the scripts they lack: Arabic, Hebrew,
//! Devanagari, Ethiopic, Thai, Khmer, and monochrome emoji. CJK fonts are too large to bundle
//! (about 20 MB a weight); they come from `--font-path` folders, read once at start-up.
//!
//! deca never scans system fonts on its own, so a build depends only on what it was given.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};

use crate::diag::Diagnostic;

macro_rules! font {
    ($path:literal) => {
        (
            $path,
            include_bytes!(concat!("../templates/fonts/", $path)) as &[u8],
        )
    };
}

/// Every bundled font file, by its path under templates/fonts/.
pub(crate) static BUNDLED: &[(&str, &[u8])] = &[
    font!("carlito/Carlito-Regular.ttf"),
    font!("carlito/Carlito-Bold.ttf"),
    font!("carlito/Carlito-Italic.ttf"),
    font!("carlito/Carlito-BoldItalic.ttf"),
    font!("caladea/Caladea-Regular.ttf"),
    font!("caladea/Caladea-Bold.ttf"),
    font!("caladea/Caladea-Italic.ttf"),
    font!("caladea/Caladea-BoldItalic.ttf"),
    font!("noto/NotoSansArabic-Regular.ttf"),
    font!("noto/NotoSansArabic-Bold.ttf"),
    font!("noto/NotoNaskhArabic-Regular.ttf"),
    font!("noto/NotoNaskhArabic-Bold.ttf"),
    font!("noto/NotoSansHebrew-Regular.ttf"),
    font!("noto/NotoSansHebrew-Bold.ttf"),
    font!("noto/NotoSerifHebrew-Regular.ttf"),
    font!("noto/NotoSerifHebrew-Bold.ttf"),
    font!("noto/NotoSansDevanagari-Regular.ttf"),
    font!("noto/NotoSansDevanagari-Bold.ttf"),
    font!("noto/NotoSerifDevanagari-Regular.ttf"),
    font!("noto/NotoSerifDevanagari-Bold.ttf"),
    font!("noto/NotoSansEthiopic-Regular.ttf"),
    font!("noto/NotoSansEthiopic-Bold.ttf"),
    font!("noto/NotoSerifEthiopic-Regular.ttf"),
    font!("noto/NotoSerifEthiopic-Bold.ttf"),
    font!("noto/NotoSansThai-Regular.ttf"),
    font!("noto/NotoSansThai-Bold.ttf"),
    font!("noto/NotoSerifThai-Regular.ttf"),
    font!("noto/NotoSerifThai-Bold.ttf"),
    font!("noto/NotoSansKhmer-Regular.ttf"),
    font!("noto/NotoSansKhmer-Bold.ttf"),
    font!("noto/NotoSerifKhmer-Regular.ttf"),
    font!("noto/NotoSerifKhmer-Bold.ttf"),
    font!("noto/NotoEmoji-Regular.ttf"),
];

/// The sans family used for headings by default.
pub(crate) const SANS: &str = "Carlito";
/// The serif family used for body text by default.
pub(crate) const SERIF: &str = "Caladea";

/// Folders given with `--font-path`, set once before the first compilation.
static FONT_PATHS: OnceLock<Vec<PathBuf>> = OnceLock::new();

/// Most bytes of font files read from `--font-path` folders: enough for every weight of the
/// Noto CJK collections, and a bound on what a mistyped folder (`/`) can make deca read.
pub(crate) const MAX_FONT_PATH_BYTES: u64 = 1024 * 1024 * 1024;

/// Adds the fonts under `dirs` (searched recursively: .ttf, .otf, .ttc, .otc) to those deca
/// sets text in, for the rest of the process. Call it before anything asks for fonts; later
/// calls and calls after the fonts are loaded are refused.
pub(crate) fn use_font_paths(dirs: &[PathBuf]) -> Result<(), Diagnostic> {
    if dirs.is_empty() {
        return Ok(());
    }
    for dir in dirs {
        if !dir.is_dir() {
            return Err(
                Diagnostic::error(format!("font folder `{}` does not exist", dir.display()))
                    .hint("give `--font-path` a folder holding .ttf, .otf or .ttc files, e.g. /usr/share/fonts/opentype/noto"),
            );
        }
        let mut found = Vec::new();
        font_files(dir, &mut found, 0);
        if found.is_empty() {
            return Err(Diagnostic::error(format!(
                "font folder `{}` holds no font files",
                dir.display()
            ))
            .hint("deca reads .ttf, .otf, .ttc and .otc files in the folder and its subfolders"));
        }
    }
    if LOADED.get().is_some() {
        return Err(Diagnostic::error(
            "failed to add font folders (the fonts were already loaded)",
        ));
    }
    FONT_PATHS
        .set(dirs.to_vec())
        .map_err(|_| Diagnostic::error("failed to add font folders (they were already set)"))
}

/// Font files under a folder, sorted, to a bounded depth (a symlink loop stops there).
fn font_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            font_files(&p, out, depth + 1);
        } else if p.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_lowercase();
            matches!(e.as_str(), "ttf" | "otf" | "ttc" | "otc")
        }) {
            out.push(p);
        }
    }
}

static LOADED: OnceLock<(FontBook, Vec<Font>)> = OnceLock::new();

/// The fonts deca sets text in, parsed once and shared by every compilation: the bundled ones,
/// then those found in the `--font-path` folders (unreadable files are skipped).
pub(crate) fn bundled() -> &'static (FontBook, Vec<Font>) {
    LOADED.get_or_init(|| {
        let mut fonts: Vec<Font> = BUNDLED
            .iter()
            .flat_map(|(_, data)| Font::iter(Bytes::new(*data)))
            .collect();
        let mut budget = MAX_FONT_PATH_BYTES;
        for dir in FONT_PATHS.get().map(Vec::as_slice).unwrap_or_default() {
            let mut files = Vec::new();
            font_files(dir, &mut files, 0);
            for f in files {
                // Bounded, regular files only: a FIFO or a device named `.ttf` is skipped
                // rather than blocking or filling memory. The folder was typed by the user,
                // so its links may lead anywhere.
                if let Ok(data) = crate::input::read(&f, None, budget) {
                    budget -= data.len() as u64;
                    fonts.extend(Font::iter(Bytes::new(data)));
                }
            }
        }
        let book = FontBook::from_fonts(&fonts);
        (book, fonts)
    })
}

/// A digest of the `--font-path` fonts, for keys of what their metrics can change (page maps,
/// fitted scales, watch's rebuild decisions): each file's path, size and modification time,
/// since hashing their bytes (a CJK family is about 100 MB) would cost more than it saves.
/// The bundled fonts are covered by deca's version.
pub(crate) fn paths_digest() -> [u8; 32] {
    use sha2::{Digest, Sha256};
    static DIGEST: OnceLock<[u8; 32]> = OnceLock::new();
    *DIGEST.get_or_init(|| {
        let mut h = Sha256::new();
        for dir in FONT_PATHS.get().map(Vec::as_slice).unwrap_or_default() {
            let mut files = Vec::new();
            font_files(dir, &mut files, 0);
            for f in files {
                h.update(f.as_os_str().as_encoded_bytes());
                h.update([0]);
                if let Ok(m) = std::fs::metadata(&f) {
                    h.update(m.len().to_le_bytes());
                    let modified = m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                    h.update(modified.unwrap_or_default().as_nanos().to_le_bytes());
                }
            }
        }
        h.finalize().into()
    })
}

/// The family names deca can set text in.
pub(crate) fn families() -> Vec<String> {
    let mut names: Vec<String> = bundled()
        .1
        .iter()
        .map(|f| f.info().family.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_file_is_a_font_with_its_licence_beside_it() {
        let (_, fonts) = bundled();
        assert_eq!(fonts.len(), BUNDLED.len());
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/fonts");
        for (path, _) in BUNDLED {
            let dir = Path::new(path).parent().unwrap();
            assert!(
                root.join(dir).join("LICENSE.txt").is_file(),
                "{path} has no LICENSE.txt beside it"
            );
        }
    }

    #[test]
    fn the_latin_families_come_in_four_styles_and_each_script_has_a_sans_and_a_serif() {
        let families = families();
        for f in [
            "Caladea",
            "Carlito",
            "Noto Emoji",
            "Noto Naskh Arabic",
            "Noto Sans Arabic",
            "Noto Sans Devanagari",
            "Noto Sans Ethiopic",
            "Noto Sans Hebrew",
            "Noto Sans Khmer",
            "Noto Sans Thai",
            "Noto Serif Devanagari",
            "Noto Serif Ethiopic",
            "Noto Serif Hebrew",
            "Noto Serif Khmer",
            "Noto Serif Thai",
        ] {
            assert!(families.iter().any(|x| x == f), "{f} is not bundled");
        }
        let styles = |fam: &str| {
            bundled()
                .1
                .iter()
                .filter(|f| f.info().family == fam)
                .count()
        };
        assert_eq!(styles("Carlito"), 4);
        assert_eq!(styles("Caladea"), 4);
    }

    #[test]
    fn a_missing_or_empty_font_folder_is_refused() {
        let e = use_font_paths(&[PathBuf::from("/nonexistent/fonts")]).unwrap_err();
        assert_eq!(e.message, "font folder `/nonexistent/fonts` does not exist");
        let empty = tempfile::tempdir().unwrap();
        let e = use_font_paths(&[empty.path().to_path_buf()]).unwrap_err();
        assert_eq!(
            e.message,
            format!(
                "font folder `{}` holds no font files",
                empty.path().display()
            )
        );
    }
}
