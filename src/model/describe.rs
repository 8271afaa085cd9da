//! The wording of structural problems: one schema violation turned into a diagnostic at the
//! key or value it concerns, in words a person editing YAML understands, with a fix they can
//! type ("write `en:`", "write it in quotes: primary: \"#006400\"").

use std::sync::Arc;

use jsonschema::JsonType;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use super::path::FieldPath;
use super::structure::{NearMisses, accepted_values, object_option, schema_at};
use super::text::{is_language_code, language_code_fix};
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::source::node::{self, Positions, Span};
use crate::suggest;

/// What a problem is described against: the file, its schema and data, and where each value
/// was written.
pub(super) struct Place<'a> {
    pub file: &'a Arc<SourceFile>,
    pub schema: &'a Value,
    pub instance: &'a Value,
    pub positions: &'a Positions,
    pub near: &'a NearMisses,
}

impl Place<'_> {
    fn path(&self, pointer: &str) -> FieldPath {
        FieldPath::from_pointer(pointer, self.instance)
    }

    /// "in recommendation 2 (`payment-rails`)", "in the file".
    fn inside(&self, pointer: &str) -> String {
        format!("in {}", self.path(pointer))
    }
}

pub(super) fn loc(file: &Arc<SourceFile>, span: Span) -> Location {
    Location::new(file, span.start, span.end)
}

fn type_name(t: &str) -> &'static str {
    match t {
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "`true` or `false`",
        "array" => "a list",
        "object" => "a mapping",
        "null" => "nothing",
        _ => "a value of another type",
    }
}

fn json_type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::String => "string",
        JsonType::Integer => "integer",
        JsonType::Number => "number",
        JsonType::Boolean => "boolean",
        JsonType::Array => "array",
        JsonType::Object => "object",
        JsonType::Null => "null",
    }
}

fn found(value: &Value) -> String {
    match value {
        Value::Null => "nothing (an empty value or `~`)".to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) if s.is_empty() => "empty text".to_string(),
        Value::String(s) => format!("the text `{}`", shorten(s)),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
    }
}

fn shorten(s: &str) -> String {
    let first_line = s.lines().next().unwrap_or("");
    if first_line.chars().count() > 40 || s.contains('\n') {
        let cut: String = first_line.chars().take(40).collect();
        format!("{cut}...")
    } else {
        first_line.to_string()
    }
}

/// The original spelling of a scalar, for the "quote it" hint.
fn raw_text(file: &SourceFile, span: Span) -> Option<&str> {
    file.text
        .get(span.start..span.end)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A value YAML read as a comment: `primary: #006400` is `primary:` with nothing, then the
/// comment `#006400`. Returns the comment's place and text.
fn comment_after_key(file: &SourceFile, key: Span) -> Option<(usize, &str)> {
    let rest = file.text.get(key.end..)?;
    let line = rest.lines().next().unwrap_or("");
    let after_colon = line.trim_start().strip_prefix(':')?;
    let comment = after_colon.trim_start();
    if !comment.starts_with('#') {
        return None;
    }
    let at = key.end + (line.len() - comment.len());
    Some((at, comment.trim_end()))
}

/// Describes one schema violation.
pub(super) fn describe(
    p: &Place,
    pointer: &str,
    schema_path: &str,
    kind: &ValidationErrorKind,
) -> Vec<Diagnostic> {
    let (file, schema) = (p.file, p.schema);
    let value = p.instance.pointer(pointer).unwrap_or(&Value::Null);
    let path = p.path(pointer);
    let at_value = loc(file, p.positions.value(pointer));
    let is_text = schema_path.contains("/Text/")
        || schema_path.contains("/RichText/")
        || schema_at(schema, schema_path)
            .and_then(|s| s.get("anyOf"))
            .and_then(Value::as_array)
            .is_some_and(|opts| {
                opts.iter().any(|o| {
                    matches!(
                        o.get("$ref").and_then(Value::as_str),
                        Some("#/$defs/Text") | Some("#/$defs/RichText")
                    )
                })
            });
    // A value that is a YAML comment, whatever the field expected.
    if value.is_null()
        && !pointer.is_empty()
        && let Some((at, comment)) = comment_after_key(file, p.positions.key(pointer))
    {
        let key = pointer.rsplit('/').next().unwrap_or("");
        return vec![
            Diagnostic::error(format!(
                "no value for {path}: YAML reads `{comment}` as a comment"
            ))
            .at(Location::new(file, at, at + comment.len()))
            .label("`#` starts a comment")
            .hint(format!(
                "write it in quotes: {key}: \"{}\"",
                comment.replace('\\', "\\\\").replace('"', "\\\"")
            )),
        ];
    }
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed: Vec<String> = schema_at(schema, schema_path)
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            let allowed_refs: Vec<&str> = allowed.iter().map(String::as_str).collect();
            unexpected
                .iter()
                .map(|name| {
                    let child = format!("{pointer}/{}", node::escape_segment(name));
                    let mut d = Diagnostic::error(format!(
                        "unknown field `{name}` {}",
                        p.inside(pointer)
                    ))
                    .at(loc(file, p.positions.key(&child)))
                    .label("unknown field");
                    let required = p
                        .near
                        .iter()
                        .find(|((ptr, _), typo)| ptr == pointer && *typo == name)
                        .map(|((_, field), _)| field.as_str());
                    d = match (required, suggest::did_you_mean(name, allowed_refs.iter().copied())) {
                        (Some(field), _) => d.hint(format!(
                            "did you mean `{field}`? it is required here; rename `{name}` to `{field}`"
                        )),
                        (None, Some(s)) => d.hint(format!("did you mean `{s}`?")),
                        (None, None) => {
                            d.hint(format!("expected one of {}", suggest::list(&allowed_refs)))
                        }
                    };
                    d
                })
                .collect()
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or("?");
            let at = loc(file, p.positions.key(pointer));
            vec![
                Diagnostic::error(format!(
                    "missing required field `{name}` {}",
                    p.inside(pointer)
                ))
                .at(at)
                .label(format!("`{name}` is missing here"))
                .hint(format!("add `{name}:` to this mapping")),
            ]
        }
        ValidationErrorKind::Type { kind } => {
            let expected: Vec<&str> = match kind {
                TypeKind::Single(t) => vec![type_name(json_type_name(*t))],
                TypeKind::Multiple(ts) => ts.iter().map(|t| type_name(json_type_name(t))).collect(),
            };
            let expected = expected.join(" or ");
            let mut d = Diagnostic::error(format!(
                "wrong type for {path}: expected {expected}, found {}",
                found(value)
            ))
            .at(at_value)
            .label(format!("expected {expected}"));
            d = type_hint(d, file, p.positions.value(pointer), value, &expected);
            vec![d]
        }
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. }
            if !is_text && !accepted_values(schema, schema_path).is_empty() =>
        {
            let names = accepted_values(schema, schema_path);
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let given = value.as_str().unwrap_or("");
            let mut d = Diagnostic::error(format!("invalid value for {path}: {}", found(value)))
                .at(at_value)
                .label("not one of the accepted values");
            d = match suggest::did_you_mean(given, refs.iter().copied()) {
                Some(s) => d.hint(format!(
                    "did you mean `{s}`? accepted: {}",
                    suggest::list(&refs)
                )),
                None => d.hint(format!("accepted: {}", suggest::list(&refs))),
            };
            vec![d]
        }
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. }
            if !is_text =>
        {
            // An optional object (`anyOf: [Object, null]`) given as a mapping: report what is
            // wrong inside it, as if it were required.
            if let Some(def) = value
                .is_object()
                .then(|| object_option(schema, schema_path))
                .flatten()
            {
                let sub = serde_json::json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$defs": schema.get("$defs").cloned().unwrap_or_default(),
                    "$ref": def,
                });
                if let Ok(v) = jsonschema::draft202012::new(&sub) {
                    let inner: Vec<Diagnostic> = v
                        .iter_errors(value)
                        .flat_map(|e| {
                            let ptr = format!("{pointer}{}", e.instance_path().as_str());
                            let raw = e.schema_path().as_str();
                            let sp = if raw.starts_with("/$defs/") {
                                raw.to_string()
                            } else {
                                format!(
                                    "/$defs/{}{}",
                                    def.trim_start_matches("#/$defs/"),
                                    raw.trim_start_matches("/$ref")
                                )
                            };
                            describe(p, &ptr, &sp, e.kind())
                        })
                        .collect();
                    if !inner.is_empty() {
                        return inner;
                    }
                }
            }
            vec![
                Diagnostic::error(format!(
                    "invalid value for {path}: {} is not one of the accepted forms",
                    found(value)
                ))
                .at(at_value)
                .hint("see the data format in README.md"),
            ]
        }
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            // A translation map with a key that is not a language code (`EN:`): name the key.
            let keys = language_key_errors(p, pointer, value);
            if !keys.is_empty() {
                return keys;
            }
            let mut d = Diagnostic::error(format!(
                "wrong type for {path}: expected text (a string, or a map of language code to string), found {}",
                found(value)
            ))
            .at(at_value)
            .label("expected text");
            d = type_hint(d, file, p.positions.value(pointer), value, "text");
            vec![d]
        }
        ValidationErrorKind::Enum { options } => {
            let names: Vec<&str> = options
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let given = value.as_str().unwrap_or("");
            let mut d = Diagnostic::error(format!("invalid value for {path}: {}", found(value)))
                .at(at_value)
                .label("not one of the accepted values");
            d = match suggest::did_you_mean(given, names.iter().copied()) {
                Some(s) => d.hint(format!(
                    "did you mean `{s}`? accepted: {}",
                    suggest::list(&names)
                )),
                None => d.hint(format!("accepted: {}", suggest::list(&names))),
            };
            vec![d]
        }
        ValidationErrorKind::Pattern { pattern } => {
            let given = value.as_str().unwrap_or("");
            let (what, hint) = if pattern.contains("a-z0-9") {
                (
                    "invalid id",
                    "ids use lowercase letters, digits and hyphens, e.g. `rural-access`",
                )
            } else if pattern.contains(r"\d{4}") {
                ("invalid date", "write dates as YYYY-MM-DD, e.g. 2022-09-30")
            } else if pattern.starts_with("^#") {
                ("invalid colour", "write colours as #rrggbb, e.g. #002F6C")
            } else {
                ("invalid value", "see the data format in README.md")
            };
            vec![
                Diagnostic::error(format!("{what} `{given}` for {path}"))
                    .at(at_value)
                    .label(what)
                    .hint(hint),
            ]
        }
        ValidationErrorKind::PropertyNames { .. } => language_key_errors(p, pointer, value),
        ValidationErrorKind::MinItems { limit } => vec![
            Diagnostic::error(format!(
                "{path} needs at least {limit} item{}",
                if *limit == 1 { "" } else { "s" }
            ))
            .at(at_value)
            .label("empty list")
            .hint("add an item, or remove the field if it is optional"),
        ],
        ValidationErrorKind::MinProperties { .. } => vec![
            Diagnostic::error(format!("{path} has no translations"))
                .at(at_value)
                .hint("write the text as `en: ...`, or as a plain string"),
        ],
        ValidationErrorKind::Minimum { limit } => vec![
            Diagnostic::error(format!(
                "{path} must be at least {limit}, found {}",
                found(value)
            ))
            .at(at_value),
        ],
        ValidationErrorKind::Maximum { limit } => vec![
            Diagnostic::error(format!(
                "{path} must be at most {limit}, found {}",
                found(value)
            ))
            .at(at_value),
        ],
        _ => vec![
            Diagnostic::error(format!("invalid value for {path}: {}", found(value)))
                .at(at_value)
                .hint("see the data format in README.md"),
        ],
    }
}

/// One error per key of a translation map that is not a language code, with the code it was
/// probably meant to be (`EN` → `en`).
fn language_key_errors(p: &Place, pointer: &str, value: &Value) -> Vec<Diagnostic> {
    let Some(map) = value.as_object() else {
        return Vec::new();
    };
    let path = p.path(pointer);
    map.keys()
        .filter(|k| !is_language_code(k))
        .map(|k| {
            let child = format!("{pointer}/{}", node::escape_segment(k));
            let d = Diagnostic::error(format!("`{k}` is not a language code in {path}"))
                .at(loc(p.file, p.positions.key(&child)))
                .label("expected a language code");
            match language_code_fix(k) {
                Some(fix) => d.hint(format!(
                    "language codes are written in lowercase (a region in capitals): write `{fix}:`"
                )),
                None => d.hint(
                    "a text is one string, or a map of language codes such as `en:` and `es:`; if this is one text with a colon in it, put the whole text in quotes",
                ),
            }
        })
        .collect()
}

/// For a scalar YAML read as a number, boolean or null where text was expected, suggest quoting
/// its original spelling (`1.10` stays `1.10` only in quotes).
fn type_hint(
    d: Diagnostic,
    file: &SourceFile,
    span: Span,
    value: &Value,
    expected: &str,
) -> Diagnostic {
    let scalar = matches!(value, Value::Number(_) | Value::Bool(_) | Value::Null);
    if expected.contains("text") && scalar {
        if let Some(raw) = raw_text(file, span)
            && !raw.starts_with('"')
            && !raw.starts_with('\'')
            && !raw.contains(':')
        {
            return d.hint(format!(
                "YAML reads `{raw}` as {}; write \"{raw}\" in quotes to keep it as text",
                found(value)
            ));
        }
        return d.hint("write the text in quotes");
    }
    match value {
        Value::String(_) if expected.contains("number") => {
            d.hint("write the number without quotes")
        }
        _ => d.hint("see the data format in README.md"),
    }
}
