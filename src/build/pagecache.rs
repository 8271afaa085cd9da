//! The report's page map on disk, so a build that cites report pages without building the
//! report (a tailored brief) does not compile the report when nothing it depends on changed.
//!
//! Where: `$DECA_CACHE_DIR` if set, else `$XDG_CACHE_HOME/deca`, else `~/.cache/deca`; files
//! are `pages/<key>.json`. `DECA_CACHE_DIR=off` turns the cache off.
//!
//! Invalidation: a map is stored under two keys, both SHA-256 digests that include deca's
//! version. One covers the report's IR as JSON (every word, number and label of the report)
//! and everything else that can move a page break (templates and fonts in effect, images, the
//! date); the other covers the assessment's inputs (data files, images, templates, reference
//! document, options) and the language, so a build that does not plan the report finds the map
//! without planning it. Any change gives new keys, so an entry is never stale; the oldest
//! entries beyond [`MAX_ENTRIES`] are removed.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::render::PageMap;

/// Entries kept; beyond this, the least recently written go.
pub(crate) const MAX_ENTRIES: usize = 256;

/// deca's cache folder, or `None` when there is none (no home folder, or turned off). Page
/// maps are kept in its `pages/` folder, fitted scales (see `fitcache`) in `fit/`.
pub(crate) fn root() -> Option<PathBuf> {
    let base = match std::env::var_os("DECA_CACHE_DIR") {
        Some(v) if v == "off" => return None,
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => match std::env::var_os("XDG_CACHE_HOME") {
            Some(v) if !v.is_empty() => PathBuf::from(v).join("deca"),
            _ => PathBuf::from(std::env::var_os("HOME")?).join(".cache/deca"),
        },
    };
    Some(base)
}

/// What identifies this deca in cache keys: its version, and the size and modification time
/// of its executable, so a rebuilt deca (whose checks or layout may differ under the same
/// version number) never reads an entry another build of deca wrote.
pub(crate) fn identity() -> &'static [u8] {
    static IDENTITY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        let mut id = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
        id.push(0);
        if let Some(m) = std::env::current_exe()
            .ok()
            .and_then(|exe| std::fs::metadata(exe).ok())
        {
            id.extend(m.len().to_le_bytes());
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .unwrap_or_default();
            id.extend(modified.as_nanos().to_le_bytes());
        }
        id
    })
}

/// The page-map folder, or `None` when there is no cache.
fn dir() -> Option<PathBuf> {
    Some(root()?.join("pages"))
}

/// The key of a report's page map.
pub(crate) fn key(report_digest: &[u8; 32], report_ir: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(identity());
    h.update([0]);
    h.update(report_digest);
    h.update(report_ir);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of a report's page map by the inputs it comes from (the assessment's data,
/// images, templates, reference and options, all in `inputs`), for finding it without
/// planning the report.
pub(crate) fn inputs_key(inputs: &[u8; 32], lang: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"inputs");
    h.update(identity());
    h.update([0]);
    h.update(inputs);
    h.update(lang.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The cached map for `key`, if any (an unreadable entry counts as none).
pub(crate) fn load(key: &str) -> Option<PageMap> {
    let path = dir()?.join(format!("{key}.json"));
    let text = std::fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Stores a map; failing to is not an error (the cache is only a shortcut).
pub(crate) fn store(key: &str, map: &PageMap) {
    let Some(dir) = dir() else { return };
    let sorted: std::collections::BTreeMap<_, _> = map.iter().collect();
    let json = serde_json::to_vec(&sorted).expect("a page map serializes");
    if crate::atomic::write(&dir.join(format!("{key}.json")), &json).is_ok() {
        prune(&dir, "json", MAX_ENTRIES);
    }
}

/// Removes the least recently written `.{ext}` files in `dir` beyond the newest `max`.
pub(crate) fn prune(dir: &std::path::Path, ext: &str, max: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == ext))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() <= max {
        return;
    }
    files.sort();
    for (_, path) in &files[..files.len() - max] {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_keeps_the_newest_entries_of_its_kind() {
        let tmp = tempfile::tempdir().unwrap();
        let base = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        for i in 0..5u64 {
            let path = tmp.path().join(format!("{i}.scale"));
            std::fs::write(&path, "1\n").unwrap();
            let f = std::fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(base + std::time::Duration::from_secs(i))
                .unwrap();
        }
        std::fs::write(tmp.path().join("other.json"), "{}").unwrap();
        prune(tmp.path(), "scale", 2);
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["3.scale", "4.scale", "other.json"]);
    }

    #[test]
    fn the_key_changes_with_the_report_and_its_templates() {
        let a = key(&[1; 32], b"{\"blocks\":[]}");
        assert_eq!(a.len(), 64);
        assert_eq!(a, key(&[1; 32], b"{\"blocks\":[]}"));
        assert_ne!(a, key(&[2; 32], b"{\"blocks\":[]}"));
        assert_ne!(a, key(&[1; 32], b"{\"blocks\":[1]}"));
    }
}
