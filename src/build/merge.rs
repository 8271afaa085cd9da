//! `deca manifest merge --out DIR SHARD_DIR...`: joins the outputs of `deca build --shard K/N`
//! runs (one folder per shard, e.g. CI artifacts) into one output folder with one
//! `manifest.json` and `SHA256SUMS`, as a single build would have written them.
//!
//! Shards must agree: the same inputs (`inputs-sha256`), the same deca and Typst versions, and
//! a path listed by two shards must have the same hash. Every file is checked against its
//! shard's manifest before anything is written; the output folder is published like a build's
//! (all files or none).

use std::path::{Component, Path, PathBuf};

use super::manifest::{Artifact, Manifest};
use super::{keep, publish};
use crate::diag::{self, DResult, Diagnostic};
use crate::exit;
use crate::hash::sha256_hex;

/// Runs the command; returns the exit code.
pub(crate) fn run(out: &Path, shards: &[PathBuf]) -> u8 {
    match merge(out, shards) {
        Ok(m) => {
            eprintln!(
                "merged {} shard{} ({} documents) into {}",
                shards.len(),
                if shards.len() == 1 { "" } else { "s" },
                m.artifacts.len(),
                out.display()
            );
            exit::OK
        }
        Err(d) => {
            diag::eprint_human(&d, crate::ui::color_stderr());
            exit::FAILED
        }
    }
}

fn read_manifest(dir: &Path) -> Result<Manifest, Diagnostic> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Diagnostic::error(format!("failed to read the shard's manifest ({e})"))
            .in_file(&path)
            .hint("give the output folders of `deca build --shard K/N` runs")
    })?;
    serde_json::from_str(&text).map_err(|e| {
        Diagnostic::error(format!("failed to read the shard's manifest ({e})")).in_file(&path)
    })
}

fn safe(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Checks the shards and writes the merged folder.
pub(crate) fn merge(out: &Path, shards: &[PathBuf]) -> DResult<Manifest> {
    let mut errors = Vec::new();
    let mut manifests = Vec::new();
    for dir in shards {
        match read_manifest(dir) {
            Ok(m) => manifests.push((dir.clone(), m)),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some((first_dir, first)) = manifests.first() else {
        return Err(vec![Diagnostic::error("no shard folders given")]);
    };
    for (dir, m) in &manifests[1..] {
        for (what, a, b) in [
            ("inputs-sha256", &first.inputs_sha256, &m.inputs_sha256),
            ("deca-version", &first.deca_version, &m.deca_version),
            ("typst-version", &first.typst_version, &m.typst_version),
        ] {
            if a != b {
                errors.push(
                    Diagnostic::error(format!(
                        "shards disagree on their {what}: `{}` has {a}, `{}` has {b}",
                        first_dir.display(),
                        dir.display()
                    ))
                    .hint("build every shard from the same data, templates, flags and deca"),
                );
            }
        }
    }
    // Every path once; the same path from two shards must be the same file.
    let mut merged: Vec<(Artifact, PathBuf)> = Vec::new();
    for (dir, m) in &manifests {
        for a in &m.artifacts {
            if !safe(&a.path) {
                errors.push(
                    Diagnostic::error(format!(
                        "the manifest lists a path outside its folder: `{}`",
                        a.path
                    ))
                    .in_file(dir.join("manifest.json")),
                );
                continue;
            }
            match merged.iter().find(|(x, _)| x.path == a.path) {
                Some((x, other)) if x.sha256 != a.sha256 => errors.push(
                    Diagnostic::error(format!(
                        "shards disagree on `{}`: `{}` has sha256 {}, `{}` has {}",
                        a.path,
                        other.display(),
                        x.sha256,
                        dir.display(),
                        a.sha256
                    ))
                    .hint("a document must be built by one shard, from the same inputs"),
                ),
                Some(_) => {}
                None => merged.push((a.clone(), dir.clone())),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let hold = publish::Hold::WholeRun { wait: false };
    let staging = publish::Staging::new(out, hold)?;
    for (a, dir) in &merged {
        let from = dir.join(&a.path);
        let bytes = match std::fs::read(&from) {
            Ok(b) => b,
            Err(e) => {
                errors.push(Diagnostic::error(format!(
                    "failed to read `{}` ({e})",
                    from.display()
                )));
                continue;
            }
        };
        if bytes.len() as u64 != a.bytes || sha256_hex(&bytes) != a.sha256 {
            errors.push(
                Diagnostic::error(format!(
                    "`{}` does not match its shard's manifest",
                    from.display()
                ))
                .hint("the shard folder changed after its build; build the shard again"),
            );
            continue;
        }
        if let Err(d) = staging.write(Path::new(&a.path), &bytes) {
            errors.push(d);
        }
    }
    if !errors.is_empty() {
        staging.abandon();
        return Err(errors);
    }
    // The merged folder holds the shards' documents and nothing an earlier run listed.
    let scope = keep::Scope {
        selection: super::Selection::everything(),
        assessments: Vec::new(),
        unchanged: Default::default(),
    };
    let committed = staging.commit(
        merged.into_iter().map(|(a, _)| a).collect(),
        first.inputs_sha256.clone(),
        &scope,
        true,
    )?;
    Ok(committed.manifest)
}
