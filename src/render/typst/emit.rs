//! `deca build --emit typst DIR`: each document as a folder the stock Typst CLI (or the Typst
//! app, or tinymist) compiles on its own, so template authors can work on a document with
//! their own tools and anyone can compare deca with the prebuilt compiler.
//!
//! `DIR/fonts/` holds the bundled fonts, once. A document's folder,
//! `DIR/<assessment>/<lang>/<document>/`, holds the templates in effect (`typst/`, and
//! `fonts/` when template folders bring fonts), `ir.json` (the document at the text scale it
//! was fitted at), `pages.json` (the report's page map it cites), the assessment's images
//! (`assets/`), and `compile.sh`, a one-line `typst compile` command run from the folder.

use std::path::Path;

use super::{Moment, PageMap, Session, main_template};
use crate::edition::Kind;

/// The `typst compile` command for a document, run from its folder, `depth` folders below
/// the emit folder.
pub(crate) fn command(
    kind: Kind,
    name: &str,
    depth: usize,
    moment: Moment,
    standards: &[String],
) -> String {
    let mut cmd = format!(
        "typst compile --root . --font-path fonts --font-path {}fonts --ignore-system-fonts --creation-timestamp {}",
        "../".repeat(depth),
        unix_seconds(moment)
    );
    if !standards.is_empty() {
        cmd.push_str(&format!(" --pdf-standard {}", standards.join(",")));
    }
    cmd.push_str(&format!(" {} {name}.pdf", main_template(kind)));
    cmd
}

/// Seconds since 1970-01-01 UTC.
fn unix_seconds(m: Moment) -> i64 {
    let date = time::Month::try_from(m.month)
        .ok()
        .and_then(|month| time::Date::from_calendar_date(m.year, month, m.day).ok());
    let t = time::Time::from_hms(m.hour, m.minute, m.second).unwrap_or(time::Time::MIDNIGHT);
    date.map_or(0, |d| d.with_time(t).assume_utc().unix_timestamp())
}

fn put(dir: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // A working copy for people and tools, not a published output: plain writes.
    std::fs::write(&path, bytes)
}

/// Writes one document's folder, `root/rel` (`rel` is `<assessment>/<lang>/<document>`), and
/// the bundled fonts under `root/fonts/` when they are not there yet.
pub(crate) fn write(
    root: &Path,
    rel: &Path,
    session: &Session,
    kind: Kind,
    ir_json: &[u8],
    pages: Option<&PageMap>,
) -> std::io::Result<()> {
    for (path, bytes) in crate::fonts::BUNDLED {
        let to = root.join("fonts").join(path);
        if std::fs::metadata(&to).map(|m| m.len()).ok() != Some(bytes.len() as u64) {
            put(&root.join("fonts"), path, bytes)?;
        }
    }
    let dir = root.join(rel);
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let put = |rel: &str, bytes: &[u8]| put(&dir, rel, bytes);
    for (path, file) in &session.templates.files {
        if path.starts_with("typst/") || path.starts_with("fonts/") {
            put(path, &file.bytes)?;
        }
    }
    for (path, bytes) in &session.assets {
        put(&format!("assets/{path}"), bytes)?;
    }
    put("ir.json", ir_json)?;
    let pages = match pages {
        Some(p) => {
            serde_json::to_vec_pretty(&p.iter().collect::<std::collections::BTreeMap<_, _>>())
                .expect("a page map serializes")
        }
        None => b"{}".to_vec(),
    };
    put("pages.json", &pages)?;
    let depth = rel.components().count();
    let cmd = command(kind, &name, depth, session.moment(), session.standards());
    put(
        "compile.sh",
        format!("#!/bin/sh\ncd \"$(dirname \"$0\")\" && {cmd}\n").as_bytes(),
    )?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("compile.sh"),
            std::fs::Permissions::from_mode(0o755),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_dates_the_pdf_and_claims_the_standards() {
        let m = Moment {
            year: 2022,
            month: 9,
            day: 30,
            hour: 0,
            minute: 0,
            second: 0,
        };
        assert_eq!(
            command(
                Kind::Brief,
                "brief-integrity",
                3,
                m,
                &["ua-1".into(), "a-2a".into()]
            ),
            "typst compile --root . --font-path fonts --font-path ../../../fonts --ignore-system-fonts --creation-timestamp 1664496000 --pdf-standard ua-1,a-2a typst/brief.typ brief-integrity.pdf"
        );
    }
}
