//! Dynamic shell completion: the values `--priority`, `--recommendation`, `--lang` and
//! `--profile` can take, read from the assessment data and deca.toml at the moment the user
//! presses Tab. The shell calls `deca` back (clap_complete's `COMPLETE` protocol); anything
//! unreadable just offers nothing.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap_complete::engine::CompletionCandidate;

/// The assessment folders completion reads: deca.toml's `data`, else the working directory when
/// it is an assessment, else `data/`.
fn assessment_dirs() -> Vec<PathBuf> {
    let data = crate::project::discover()
        .ok()
        .flatten()
        .and_then(|p| p.data())
        .unwrap_or_else(|| {
            if crate::source::is_assessment_dir(std::path::Path::new(".")) {
                PathBuf::from(".")
            } else {
                PathBuf::from("data")
            }
        });
    crate::source::assessment_dirs(&data).unwrap_or_default()
}

/// One file of each assessment, parsed only as far as `pick` needs; broken files are skipped.
fn from_files(name: &str, pick: fn(&serde_json::Value) -> Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for dir in assessment_dirs() {
        let path = dir.join(name);
        let Ok(file) = crate::source::read(&path, &path) else {
            continue;
        };
        let Ok(value) = serde_saphyr::from_str::<serde_json::Value>(&file.text) else {
            continue;
        };
        for v in pick(&value) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

fn ids(value: &serde_json::Value, list: &str) -> Vec<String> {
    value[list]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["id"].as_str().map(str::to_string))
        .collect()
}

fn candidates(current: &OsStr, values: Vec<String>) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    values
        .into_iter()
        .filter(|v| v.starts_with(current.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

pub(crate) fn priorities(current: &OsStr) -> Vec<CompletionCandidate> {
    candidates(
        current,
        from_files("priorities.yaml", |v| ids(v, "priorities")),
    )
}

pub(crate) fn recommendations(current: &OsStr) -> Vec<CompletionCandidate> {
    candidates(
        current,
        from_files("recommendations.yaml", |v| ids(v, "recommendations")),
    )
}

pub(crate) fn languages(current: &OsStr) -> Vec<CompletionCandidate> {
    candidates(
        current,
        from_files("assessment.yaml", |v| {
            v["languages"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|l| l.as_str().map(str::to_string))
                .collect()
        }),
    )
}

pub(crate) fn profiles(current: &OsStr) -> Vec<CompletionCandidate> {
    let names = crate::project::discover()
        .ok()
        .flatten()
        .map(|p| p.profile_names().into_iter().map(str::to_string).collect())
        .unwrap_or_default();
    candidates(current, names)
}

/// `deca completions SHELL`: the registration script, which asks `deca` for candidates.
pub(crate) fn registration(shell: clap_complete::Shell) -> u8 {
    let name = shell.to_string();
    let shells = clap_complete::env::Shells::builtins();
    let Some(completer) = shells.completer(&name) else {
        crate::diag::report(&[crate::diag::Diagnostic::error(format!(
            "failed to complete for {name} (no dynamic completion for this shell)"
        ))]);
        return crate::exit::USAGE;
    };
    let mut out = std::io::stdout().lock();
    match completer.write_registration("COMPLETE", "deca", "deca", "deca", &mut out) {
        Ok(()) => crate::exit::OK,
        Err(e) => {
            crate::diag::report(&[crate::diag::Diagnostic::error(format!(
                "failed to write the completion script ({e})"
            ))]);
            crate::exit::FAILED
        }
    }
}
