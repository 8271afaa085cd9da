//! The text scale each fitted document (one-pager, overview, brief; see `fit::Fit`) was set
//! at, on disk, so a build whose document did not change compiles it once instead of two or
//! three times.
//!
//! Where: the `fit/` folder of deca's cache (see `pagecache::root`); one small file per
//! document, named by its key and holding the scale (`1.08`). `DECA_CACHE_DIR=off` turns it
//! off with the page-map cache.
//!
//! Invalidation: the key (see `planned::fit_key`) is a SHA-256 digest of deca's version, the
//! templates, fonts, images, date and standards a document of that kind depends on, its IR
//! and the report pages it cites. Any change gives a new key, so an entry is never stale; the
//! oldest entries beyond [`MAX_ENTRIES`] are removed.
//!
//! Trust: the fitter compiles the cached scale and keeps it only if it still fits; the step
//! above it was shown to overflow when the entry was written. The result is the same
//! document a build with an empty cache makes (a test compares them).

use std::path::{Path, PathBuf};

use super::pagecache;
use crate::render::typst::fit::SCALES;

/// Entries kept: a one-pager and an overview per recommendation and language of a portfolio.
pub(crate) const MAX_ENTRIES: usize = 4096;

fn dir() -> Option<PathBuf> {
    Some(pagecache::root()?.join("fit"))
}

/// The scale stored for `key`, if any. Anything but one of the fitter's steps counts as none.
pub(crate) fn load(key: &str) -> Option<f64> {
    load_in(&dir()?, key)
}

/// Stores the scale a document was fitted at; failing to is not an error (the cache is only
/// a shortcut).
pub(crate) fn store(key: &str, scale: f64) {
    if let Some(dir) = dir() {
        store_in(&dir, key, scale);
    }
}

fn load_in(dir: &Path, key: &str) -> Option<f64> {
    let text = std::fs::read_to_string(dir.join(format!("{key}.scale"))).ok()?;
    let scale: f64 = text.trim().parse().ok()?;
    SCALES
        .iter()
        .any(|s| (s - scale).abs() < 1e-9)
        .then_some(scale)
}

/// Removes the oldest entries beyond [`MAX_ENTRIES`], once per process: listing a full cache
/// takes about 10 ms, too much to repeat for every one-pager or every rebuild under
/// `deca watch`, and one process adds only the entries of the documents it builds.
pub(crate) fn prune() {
    static DONE: std::sync::Once = std::sync::Once::new();
    DONE.call_once(|| {
        if let Some(dir) = dir() {
            pagecache::prune(&dir, "scale", MAX_ENTRIES);
        }
    });
}

fn store_in(dir: &Path, key: &str, scale: f64) {
    // A failed write only means the next build fits this document again.
    let _ = crate::atomic::write(
        &dir.join(format!("{key}.scale")),
        format!("{scale}\n").as_bytes(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_step_of_the_fitter_is_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("fit");
        store_in(&dir, "a", 1.08);
        assert_eq!(load_in(&dir, "a"), Some(1.08));
        assert_eq!(load_in(&dir, "b"), None);
        std::fs::write(dir.join("c.scale"), "0.5\n").unwrap();
        assert_eq!(load_in(&dir, "c"), None, "not a step");
        std::fs::write(dir.join("d.scale"), "big").unwrap();
        assert_eq!(load_in(&dir, "d"), None, "not a number");
    }
}
