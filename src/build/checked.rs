//! The trees of assessments that loaded without a single problem, on disk, so the next build
//! of the same bytes reads them instead of parsing and checking the YAML again (what a tailored
//! brief mostly costs before Typst starts).
//!
//! Where: the `checked/` folder of deca's cache (see `pagecache::root`); one file per clean
//! load, named by its key and holding the parsed trees (`source::stored`). `DECA_CACHE_DIR=off`
//! turns it off with the other caches.
//!
//! Invalidation: the key is a SHA-256 digest of which deca this is (`pagecache::identity`),
//! every data file's name and bytes, and what else the skipped checks read: the templates
//! (fonts among them), the `--font-path` fonts, and whether missing glyphs are errors. Any
//! change gives a new key, so an entry is never stale; the oldest beyond [`MAX_ENTRIES`] go.
//!
//! What is skipped on a hit: only checks whose sole outcome is a diagnostic and that found none
//! for these bytes (structure, text fields, font families, glyph coverage). A load with any
//! diagnostic, a warning included, is never kept, so a hit reports exactly what a full load
//! would: nothing. The model is still built by the passes that check references, numbering
//! and images.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::pagecache;
use crate::hash::hash_file;
use crate::model::Files;
use crate::source::stored::{self, Trees};

/// Entries kept: a clean load per assessment of a large portfolio, a few versions each.
pub(crate) const MAX_ENTRIES: usize = 256;

fn dir() -> Option<PathBuf> {
    Some(pagecache::root()?.join("checked"))
}

/// The digest of the data files' names and bytes (also part of the build's inputs digest, so
/// they are hashed once).
pub(crate) fn files_digest(files: &Files) -> [u8; 32] {
    let mut h = Sha256::new();
    for (kind, file) in files {
        hash_file(
            &mut h,
            std::path::Path::new(&kind.file_name()),
            file.text.as_bytes(),
        );
    }
    h.finalize().into()
}

/// The key of a load of the files with this digest, given the digest of what else its checks
/// read.
pub(crate) fn key(files: &[u8; 32], context: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(b"checked");
    h.update(pagecache::identity());
    h.update(context);
    h.update(files);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The trees a clean load with this key kept, if any (a damaged entry counts as none).
pub(crate) fn recall(key: &str) -> Option<Trees> {
    let bytes = std::fs::read(dir()?.join(format!("{key}.trees"))).ok()?;
    stored::from_bytes(&bytes)
}

/// Keeps the trees of a clean load; failing to is not an error (the cache is only a shortcut).
pub(crate) fn keep(key: &str, trees: &Trees) {
    let Some(dir) = dir() else { return };
    if crate::atomic::write(&dir.join(format!("{key}.trees")), &stored::to_bytes(trees)).is_ok() {
        pagecache::prune(&dir, "trees", MAX_ENTRIES);
    }
}
