//! Reading assessment YAML: size caps, parsing with budgets, the structural check against the
//! JSON Schemas (every problem, located), and the typed load into `model::raw`.

mod discover;
mod kind;
pub mod node;
pub mod stored;
mod typed;

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
    let text = String::from_utf8(bytes)
        .map_err(|e| not_utf8(shown_as, e.as_bytes(), e.utf8_error().valid_up_to()))?;
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
        // deca reads no comments; capturing their text cost a fifth of the typed load.
        emit_comments: false,
        duplicate_keys: if duplicates_pass_through {
            serde_saphyr::DuplicateKeyPolicy::PassThrough
        } else {
            serde_saphyr::DuplicateKeyPolicy::Error
        },
    }
}

/// A file that is not UTF-8, located at its first bad byte. Such a file was nearly always
/// saved as Latin-1 or Windows-1252 by an older editor, or as UTF-16 by Notepad: the message
/// says which, and the character the byte stands for.
pub fn not_utf8(shown_as: &Path, bytes: &[u8], at: usize) -> Diagnostic {
    let save = "save the file as UTF-8 (in most editors: Save As, then Encoding: UTF-8)";
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Diagnostic::error("file is UTF-16, not UTF-8")
            .in_file(shown_as)
            .hint(save);
    }
    // The text before `at` is valid, so offsets agree with the lossy copy up to there.
    let file = SourceFile::new(shown_as, String::from_utf8_lossy(bytes).into_owned());
    let byte = bytes.get(at).copied().unwrap_or(0);
    let one = [byte];
    let (latin, _, _) = encoding_rs::WINDOWS_1252.decode(&one);
    let latin = latin.chars().next().filter(|c| !c.is_control());
    let message = match latin {
        Some(c) => format!(
            "file is not valid UTF-8: the byte 0x{byte:02X} here is `{c}` in Latin-1 (Windows-1252)"
        ),
        None => format!("file is not valid UTF-8: the byte 0x{byte:02X} here is not text"),
    };
    let len = '\u{FFFD}'.len_utf8();
    Diagnostic::error(message)
        .at(Location::new(&file, at, at + len))
        .label("not UTF-8")
        .hint(save)
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
    let (message, hint, moved) = explain_in_file(file, location.as_ref(), &message);
    let location = moved.or(location);
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

/// The line of the file a location is on, with the offset where it starts.
fn line_at(file: &SourceFile, at: usize) -> (usize, &str) {
    let at = at.min(file.text.len());
    let start = file.text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = file.text[start..]
        .find('\n')
        .map_or(file.text.len(), |i| start + i);
    (start, &file.text[start..end])
}

/// Parser messages that need the text to explain: a tab, or `: ` inside an unquoted value.
/// Returns the message, the hint, and a better location when the parser's is off.
fn explain_in_file(
    file: &Arc<SourceFile>,
    location: Option<&Location>,
    message: &str,
) -> (String, Option<String>, Option<Location>) {
    let at = location.map_or(0, |l| l.start);
    let lower = message.to_lowercase();
    if lower.contains("tab") {
        // The parser may stop at the value before the tab: look from its line on.
        let (line_start, _) = line_at(file, at);
        if let Some(tab) = file.text[line_start..].find('\t').map(|i| line_start + i) {
            let (start, line) = line_at(file, tab);
            let (n, _) = file.line_col(tab);
            let indent = line[..tab - start].chars().all(|c| c == ' ' || c == '\t');
            let (message, hint) = if indent {
                (
                    "invalid YAML (a tab is used for indentation)".to_string(),
                    format!(
                        "YAML indents with spaces only: replace the tab at the start of line {n} with spaces, two per level"
                    ),
                )
            } else {
                (
                    "invalid YAML (a tab where YAML expects a space)".to_string(),
                    format!("replace the tab on line {n} with a space"),
                )
            };
            return (message, Some(hint), Some(Location::new(file, tab, tab + 1)));
        }
    }
    if lower.contains("mapping values are not allowed") {
        let (_, line) = line_at(file, at);
        let entry = line.trim_start().trim_start_matches("- ").trim_start();
        if let Some((key, value)) = entry.split_once(": ")
            && !key.is_empty()
            && !key.contains([' ', '"', '\'', '{', '['])
            && !value.trim().is_empty()
        {
            let value = value.trim();
            let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
            return (
                format!("invalid YAML (`: ` in the value of `{key}` starts another key)"),
                Some(format!("put the value in quotes: {key}: \"{quoted}\"")),
                None,
            );
        }
        return (
            "invalid YAML (`: ` inside a value starts another key)".to_string(),
            Some("put the text in quotes".to_string()),
            None,
        );
    }
    if lower.contains("flow mapping") || lower.contains("flow sequence") {
        return (
            format!("invalid YAML ({message})"),
            Some(
                "inside `{ }` or `[ ]`, put a text that contains `: `, `,` or brackets in quotes, e.g. {en: \"Roads: a plan\"}".to_string(),
            ),
            None,
        );
    }
    let (message, hint) = explain_yaml_error(message);
    (message, hint, None)
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

/// Loads a structurally valid file into its typed form from its parsed tree, without parsing
/// the YAML again. Anything the tree reader does not take is read from the text instead
/// (`load_typed`), so errors carry the YAML deserializer's message and location.
pub fn load_typed_from<T: DeserializeOwned>(
    file: &Arc<SourceFile>,
    tree: Option<&Node>,
) -> Result<T, Diagnostic> {
    match tree.map(typed::from_node) {
        Some(Ok(value)) => Ok(value),
        _ => load_typed(file),
    }
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
    fn a_file_not_in_utf8_is_located_and_named() {
        let d = not_utf8(Path::new("a.yaml"), b"title: caf\xe9\n", 10);
        assert_eq!(
            d.message,
            "file is not valid UTF-8: the byte 0xE9 here is `é` in Latin-1 (Windows-1252)"
        );
        assert_eq!(d.position().as_deref(), Some("a.yaml:1:11"));
        let d = not_utf8(Path::new("a.yaml"), b"\xff\xfet\x00", 0);
        assert_eq!(d.message, "file is UTF-16, not UTF-8");
        let d = not_utf8(Path::new("a.yaml"), b"a: \x81", 3);
        assert_eq!(
            d.message,
            "file is not valid UTF-8: the byte 0x81 here is not text"
        );
    }

    #[test]
    fn an_unquoted_colon_gets_the_quoted_line_as_its_fix() {
        let file = SourceFile::new("a.yaml", "x:\n  - title: Roads: a \"plan\"\n");
        let at = Location::new(&file, 21, 21);
        let (message, hint, _) = explain_in_file(
            &file,
            Some(&at),
            "mapping values are not allowed in this context",
        );
        assert_eq!(
            message,
            "invalid YAML (`: ` in the value of `title` starts another key)"
        );
        assert_eq!(
            hint.as_deref(),
            Some(r#"put the value in quotes: title: "Roads: a \"plan\"""#)
        );
    }

    #[test]
    fn position_prefix_is_stripped_and_message_lowercased() {
        assert_eq!(
            strip_position_prefix("error: line 3 column 5: Did not find expected key."),
            "did not find expected key"
        );
        assert_eq!(strip_position_prefix("plain message"), "plain message");
    }
}
