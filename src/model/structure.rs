//! The structural check: a parsed file against its JSON Schema, every problem reported at the
//! key or value it concerns, in words a person editing YAML understands.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, Validator};
use serde_json::Value;

use crate::diag::{Diagnostic, Location, SourceFile};
use crate::source::FileKind;
use crate::source::node::{self, Node, Positions, Span};
use crate::suggest;

struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compiled(kind: FileKind) -> &'static Compiled {
    static CACHE: OnceLock<HashMap<FileKind, Compiled>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        FileKind::ALL
            .into_iter()
            .map(|k| {
                let schema = super::schema::of(k);
                let validator = jsonschema::draft202012::new(&schema)
                    .expect("generated schemas are valid JSON Schema");
                (k, Compiled { schema, validator })
            })
            .collect()
    });
    &cache[&kind]
}

/// Checks one file; returns every problem found.
pub fn check(file: &Arc<SourceFile>, kind: FileKind, tree: Option<&Node>) -> Vec<Diagnostic> {
    let Some(tree) = tree else {
        let mut d = Diagnostic::error("file is empty").in_file(&file.path);
        if kind.required() {
            d = d.hint(format!(
                "{} is required; see the data format in README.md",
                kind.file_name()
            ));
        }
        return vec![d];
    };
    let (value, positions, dups) = node::to_json(tree);
    let mut diags = Vec::new();
    for dup in &dups {
        diags.push(
            Diagnostic::error(format!("duplicate key `{}`", dup.key))
                .at(loc(file, dup.second))
                .label("defined again here")
                .related(loc(file, dup.first), "first defined here")
                .hint("remove one of them; YAML keeps keys unique within a mapping"),
        );
    }
    let c = compiled(kind);
    let mut seen = HashSet::new();
    for err in c.validator.iter_errors(&value) {
        let pointer = err.instance_path().as_str().to_string();
        let schema_path = err.schema_path().as_str().to_string();
        for d in describe(
            file,
            &c.schema,
            &value,
            &positions,
            &pointer,
            &schema_path,
            err.kind(),
        ) {
            let key = (d.message.clone(), d.location.as_ref().map(|l| l.start));
            if seen.insert(key) {
                diags.push(d);
            }
        }
    }
    diags
}

fn loc(file: &Arc<SourceFile>, span: Span) -> Location {
    Location::new(file, span.start, span.end)
}

/// `findings[2].title` for `/findings/2/title`.
pub fn field_path(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if seg.parse::<usize>().is_ok() {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    if out.is_empty() {
        "the file".to_string()
    } else {
        out
    }
}

/// Follows a keyword location through the schema, jumping through `$ref`s, to the schema
/// object that contains the failing keyword.
fn schema_at<'a>(root: &'a Value, schema_path: &str) -> Option<&'a Value> {
    let mut segs: Vec<String> = schema_path
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    segs.pop(); // the failing keyword itself
    let mut cur = root;
    for seg in segs {
        if seg == "$ref" {
            let target = cur.get("$ref")?.as_str()?;
            cur = resolve_ref(root, target)?;
            continue;
        }
        cur = match cur {
            Value::Object(m) => m.get(&seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    // A `$ref` sitting beside the keyword: the properties live behind it.
    Some(cur)
}

fn resolve_ref<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    root.pointer(pointer)
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

#[allow(clippy::too_many_arguments)]
fn describe(
    file: &Arc<SourceFile>,
    schema: &Value,
    instance: &Value,
    positions: &Positions,
    pointer: &str,
    schema_path: &str,
    kind: &ValidationErrorKind,
) -> Vec<Diagnostic> {
    let value = instance.pointer(pointer).unwrap_or(&Value::Null);
    let path = field_path(pointer);
    let at_value = loc(file, positions.value(pointer));
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
                        "unknown field `{name}` in {}",
                        if pointer.is_empty() {
                            "the file".to_string()
                        } else {
                            format!("`{path}`")
                        }
                    ))
                    .at(loc(file, positions.key(&child)))
                    .label("unknown field");
                    d = match suggest::did_you_mean(name, allowed_refs.iter().copied()) {
                        Some(s) => d.hint(format!("did you mean `{s}`?")),
                        None => d.hint(format!("expected one of {}", suggest::list(&allowed_refs))),
                    };
                    d
                })
                .collect()
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or("?");
            let at = loc(file, positions.key(pointer));
            vec![
                Diagnostic::error(format!(
                    "missing required field `{name}` in {}",
                    if pointer.is_empty() {
                        "the file".to_string()
                    } else {
                        format!("`{path}`")
                    }
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
                "wrong type for `{path}`: expected {expected}, found {}",
                found(value)
            ))
            .at(at_value)
            .label(format!("expected {expected}"));
            d = type_hint(d, file, positions.value(pointer), value, &expected);
            vec![d]
        }
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. }
            if !is_text && !accepted_values(schema, schema_path).is_empty() =>
        {
            let names = accepted_values(schema, schema_path);
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let given = value.as_str().unwrap_or("");
            let mut d = Diagnostic::error(format!("invalid value for `{path}`: {}", found(value)))
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
                            describe(file, schema, instance, positions, &ptr, &sp, e.kind())
                        })
                        .collect();
                    if !inner.is_empty() {
                        return inner;
                    }
                }
            }
            vec![
                Diagnostic::error(format!(
                    "invalid value for `{path}`: {} is not one of the accepted forms",
                    found(value)
                ))
                .at(at_value)
                .hint("see the data format in README.md"),
            ]
        }
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            let mut d = Diagnostic::error(format!(
                "wrong type for `{path}`: expected text (a string, or a map of language code to string), found {}",
                found(value)
            ))
            .at(at_value)
            .label("expected text");
            d = type_hint(d, file, positions.value(pointer), value, "text");
            vec![d]
        }
        ValidationErrorKind::Enum { options } => {
            let names: Vec<&str> = options
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let given = value.as_str().unwrap_or("");
            let mut d = Diagnostic::error(format!("invalid value for `{path}`: {}", found(value)))
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
                Diagnostic::error(format!("{what} `{given}` for `{path}`"))
                    .at(at_value)
                    .label(what)
                    .hint(hint),
            ]
        }
        ValidationErrorKind::PropertyNames { .. } => {
            let names: Vec<String> = value
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            names
                .iter()
                .filter(|n| !crate::model::text::is_language_code(n))
                .map(|n| {
                    let child = format!("{pointer}/{}", node::escape_segment(n));
                    Diagnostic::error(format!("`{n}` is not a language code in `{path}`"))
                        .at(loc(file, positions.key(&child)))
                        .label("expected a language code")
                        .hint("translations are keyed by language codes such as `en` and `es`")
                })
                .collect()
        }
        ValidationErrorKind::MinItems { limit } => vec![
            Diagnostic::error(format!(
                "`{path}` needs at least {limit} item{}",
                if *limit == 1 { "" } else { "s" }
            ))
            .at(at_value)
            .label("empty list")
            .hint("add an item, or remove the field if it is optional"),
        ],
        ValidationErrorKind::MinProperties { .. } => vec![
            Diagnostic::error(format!("`{path}` has no translations"))
                .at(at_value)
                .hint("write the text as `en: ...`, or as a plain string"),
        ],
        ValidationErrorKind::Minimum { limit } => vec![
            Diagnostic::error(format!(
                "`{path}` must be at least {limit}, found {}",
                found(value)
            ))
            .at(at_value),
        ],
        ValidationErrorKind::Maximum { limit } => vec![
            Diagnostic::error(format!(
                "`{path}` must be at most {limit}, found {}",
                found(value)
            ))
            .at(at_value),
        ],
        _ => vec![
            Diagnostic::error(format!("invalid value for `{path}`: {}", found(value)))
                .at(at_value)
                .hint("see the data format in README.md"),
        ],
    }
}

/// The `$ref` of the object branch of an optional object (`anyOf: [{$ref}, {type: null}]`).
fn object_option<'a>(schema: &'a Value, schema_path: &str) -> Option<&'a str> {
    let node = schema_at(schema, schema_path)?;
    let options = node
        .get("anyOf")
        .or_else(|| node.get("oneOf"))?
        .as_array()?;
    options.iter().find_map(|o| {
        let r = o.get("$ref")?.as_str()?;
        let target = resolve_ref(schema, r)?;
        (target.get("type").and_then(Value::as_str) == Some("object")).then_some(r)
    })
}

/// The constant values a `oneOf`/`anyOf`/`enum` at a location accepts (an enum's variants).
fn accepted_values(schema: &Value, schema_path: &str) -> Vec<String> {
    let Some(node) = schema_at(schema, schema_path) else {
        return Vec::new();
    };
    let node = match node.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve_ref(schema, r).unwrap_or(node),
        None => node,
    };
    let mut out = Vec::new();
    for key in ["oneOf", "anyOf"] {
        for opt in node
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let opt = match opt.get("$ref").and_then(Value::as_str) {
                Some(r) => resolve_ref(schema, r).unwrap_or(opt),
                None => opt,
            };
            if let Some(c) = opt.get("const").and_then(Value::as_str) {
                out.push(c.to_string());
            }
            for e in opt
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(c) = e.as_str() {
                    out.push(c.to_string());
                }
            }
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_read_like_code() {
        assert_eq!(field_path("/findings/2/title"), "findings[2].title");
        assert_eq!(field_path(""), "the file");
    }
}
