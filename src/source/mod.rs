//! Reading assessment YAML: size caps, parsing with budgets, the structural check against the
//! JSON Schemas (every problem, located), and the typed load into `model::raw`.

mod discover;
mod kind;
pub mod node;

pub use discover::{Discovered, assessment_dirs, discover, is_assessment_dir};

pub use kind::FileKind;

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Location, SourceFile};

pub use node::{Node, Span};

/// Largest YAML file deca reads. Real assessment files are tens of kilobytes.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Nesting deeper than this is rejected; the format needs fewer than ten levels.
pub const MAX_DEPTH: usize = 32;

/// Reads a YAML file whole: a regular file inside its assessment folder (after resolving
/// symlinks), refused over the size cap without reading further (see `crate::input`).
pub fn read(path: &Path, shown_as: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let root = path.parent().unwrap_or(Path::new("."));
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let bytes = crate::input::read(path, Some(root), MAX_FILE_BYTES)
        .map_err(|e| e.diagnostic(shown_as, "file", "the assessment folder"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(format!(
            "file is not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
        .in_file(shown_as)
        .hint("save the file as UTF-8")
    })?;
    Ok(SourceFile::new(shown_as, text))
}

/// The parser options every assessment file is read with.
fn options(duplicates_pass_through: bool) -> serde_saphyr::Options {
    let budget = serde_saphyr::budget! {
        max_depth: MAX_DEPTH,
        max_aliases: 1_000,
        max_anchors: 1_000,
        max_nodes: 200_000,
        max_events: 500_000,
        max_total_scalar_bytes: MAX_FILE_BYTES as usize * 2,
    };
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = 100_000;
    alias_limits.max_alias_expansions_per_anchor = 100;
    serde_saphyr::options! {
        budget: budget,
        alias_limits: alias_limits,
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        with_snippet: false,
        duplicate_keys: if duplicates_pass_through {
            serde_saphyr::DuplicateKeyPolicy::PassThrough
        } else {
            serde_saphyr::DuplicateKeyPolicy::Error
        },
    }
}

/// Turns a parser error into a located diagnostic.
fn yaml_error(file: &Arc<SourceFile>, err: &serde_saphyr::Error) -> Diagnostic {
    let rendered = err
        .render_with_options(serde_saphyr::render_options! {
            formatter: &serde_saphyr::UserMessageFormatter,
            snippets: serde_saphyr::SnippetMode::Off,
        })
        .trim()
        .to_string();
    let message = strip_position_prefix(&rendered);
    let location = err.location().and_then(|loc| {
        if loc.line() == 0 {
            return None;
        }
        let start = match loc.span().byte_offset() {
            Some(b) => b as usize,
            None => file.offset_of(loc.line() as usize, loc.column() as usize),
        };
        Some(Location::new(file, start, start))
    });
    let (message, hint) = explain_yaml_error(&message);
    let mut d = Diagnostic::error(message).at_opt(location);
    if d.location.is_none() {
        d = d.in_file(&file.path);
    }
    if let Some(h) = hint {
        d = d.hint(h);
    }
    d
}

/// serde-saphyr prefixes messages with "line X column Y: " and may append "at line X, column
/// Y ..."; the diagnostic carries the position, so both go.
fn strip_position_prefix(s: &str) -> String {
    let first = s.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let stripped = first
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .filter(|(pos, _)| pos.contains("column"))
        .map_or(first, |(_, msg)| msg);
    let stripped = stripped.split(" at line ").next().unwrap_or(stripped);
    let mut out = stripped.trim().trim_end_matches('.').to_string();
    // Lowercase the first word unless it is an acronym ("YAML").
    let mut chars = out.chars();
    if let (Some(a), Some(b)) = (chars.next(), chars.next())
        && a.is_uppercase()
        && !b.is_uppercase()
    {
        out = a.to_lowercase().collect::<String>() + &out[a.len_utf8()..];
    }
    out
}

/// Adds the limit and a hint to parser messages that people meet.
fn explain_yaml_error(message: &str) -> (String, Option<String>) {
    let lower = message.to_lowercase();
    let limit = lower.contains("budget")
        || lower.contains("too large or too complex")
        || lower.contains("replay")
        || lower.contains("alias") && lower.contains("limit")
        || lower.contains("nesting") && lower.contains("limit")
        || lower.contains("recursion limit")
        || lower.contains("depth");
    if limit {
        let detail = message
            .split_once(": ")
            .map_or(message, |(_, d)| d)
            .trim()
            .to_string();
        let (what, hint) = if lower.contains("depth")
            || lower.contains("nesting")
            || lower.contains("recursion")
        {
            (
                "nesting depth",
                format!(
                    "nesting is limited to {MAX_DEPTH} levels; the data format needs fewer than ten"
                ),
            )
        } else if lower.contains("alias") || lower.contains("replay") || lower.contains("anchor") {
            (
                "alias expansion",
                "anchors and aliases are limited to keep reading fast and small; write the values out".to_string(),
            )
        } else {
            (
                "document size",
                "split the content, or check that this is the right file".to_string(),
            )
        };
        return (
            format!("YAML exceeds a safety limit on {what} ({detail})"),
            Some(hint),
        );
    }
    (
        format!("invalid YAML ({message})"),
        Some("check the indentation and quoting around this place".to_string()),
    )
}

/// Parses a file into a node tree. A syntax error stops this file only.
pub fn parse_tree(file: &Arc<SourceFile>) -> Result<Option<Node>, Diagnostic> {
    if file.text.trim().is_empty()
        || file
            .text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(None);
    }
    serde_saphyr::from_str_with_options::<Node>(&file.text, options(true))
        .map(Some)
        .map_err(|e| yaml_error(file, &e))
}

/// Loads a structurally valid file into its typed form. A failure here means the schema and
/// the types disagree, which the structural check should have caught; it is still reported.
pub fn load_typed<T: DeserializeOwned>(file: &Arc<SourceFile>) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(&file.text, options(false))
        .map_err(|e| yaml_error(file, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_prefix_is_stripped_and_message_lowercased() {
        assert_eq!(
            strip_position_prefix("error: line 3 column 5: Did not find expected key."),
            "did not find expected key"
        );
        assert_eq!(strip_position_prefix("plain message"), "plain message");
    }
}
