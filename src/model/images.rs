//! Images the data refers to (a cover image, a logo): one normalised path, a check that the
//! file is inside the assessment folder, a known format and under the size cap, and its bytes.

use std::path::{Component, Path};

use super::checker::Checker;
use super::raw;
use crate::source::FileKind;

/// Largest image deca embeds.
pub(super) const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;

/// An image path as the assessment's assets and the renderers name it: `./images\\logo.png`
/// and `images//logo.png` are `images/logo.png`. Written once, here, so every reader of the
/// model agrees with the file that was checked.
pub(super) fn image_path(written: &str) -> String {
    written
        .trim()
        .split(['/', '\\'])
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Checks an image path (inside the folder, no escape through `..` or symlinks, a known format,
/// under the size cap) and reads it.
pub(super) fn check_image(
    c: &mut Checker,
    kind: FileKind,
    dir: &Path,
    img: &raw::Image,
) -> Option<Vec<u8>> {
    let normalized = image_path(&img.path.value);
    let rel = Path::new(&normalized);
    let bad_component = rel
        .components()
        .any(|comp| !matches!(comp, Component::Normal(_) | Component::CurDir));
    let written = img.path.value.trim();
    let absolute = Path::new(written).is_absolute() || written.starts_with(['/', '\\']);
    if normalized.is_empty() {
        let d = c.error(kind, &img.path, "image path is empty".into());
        d.hint =
            Some("give the image's path in the assessment folder, e.g. images/logo.png".into());
        return None;
    }
    if absolute || bad_component {
        let d = c.error(
            kind,
            &img.path,
            format!(
                "image path `{}` leaves the assessment folder",
                img.path.value
            ),
        );
        d.hint = Some("give a path inside the assessment folder, e.g. images/logo.png".into());
        return None;
    }
    let ext = rel
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !["png", "jpg", "jpeg", "svg"].contains(&ext.as_str()) {
        let d = c.error(
            kind,
            &img.path,
            format!("unsupported image format `{}`", img.path.value),
        );
        d.hint = Some("use a PNG, JPEG or SVG file".into());
        return None;
    }
    let full = dir.join(rel);
    let canonical_dir = dir.canonicalize().ok()?;
    let canonical = match full.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            let d = c.error(
                kind,
                &img.path,
                format!("failed to read image `{}` ({e})", img.path.value),
            );
            d.hint = Some(format!("the path is relative to {}", dir.display()));
            return None;
        }
    };
    if !canonical.starts_with(&canonical_dir) {
        let d = c.error(
            kind,
            &img.path,
            format!(
                "access denied: image `{}` resolves outside the assessment folder",
                img.path.value
            ),
        );
        d.hint = Some("copy the image into the assessment folder instead of linking to it".into());
        return None;
    }
    match crate::input::read(&canonical, Some(&canonical_dir), MAX_IMAGE_BYTES) {
        Ok(bytes) => Some(bytes),
        Err(crate::input::ReadError::TooLarge { len, .. }) => {
            let d = c.error(
                kind,
                &img.path,
                format!(
                    "image `{}` is too large ({}; the limit is {MAX_IMAGE_BYTES})",
                    img.path.value,
                    len.map_or("over the limit".to_string(), |l| format!("{l} bytes"))
                ),
            );
            d.hint = Some("export a smaller image".into());
            None
        }
        Err(crate::input::ReadError::NotRegular { kind: what }) => {
            let d = c.error(
                kind,
                &img.path,
                format!(
                    "failed to read image `{}` (it is {what}, not a regular file)",
                    img.path.value
                ),
            );
            d.hint =
                Some("deca reads only regular files; put the image itself at this path".into());
            None
        }
        Err(e) => {
            let reason = match e {
                crate::input::ReadError::Io(e) => e.to_string(),
                _ => "it resolves outside the assessment folder".to_string(),
            };
            c.error(
                kind,
                &img.path,
                format!("failed to read image `{}` ({reason})", img.path.value),
            );
            None
        }
    }
}
