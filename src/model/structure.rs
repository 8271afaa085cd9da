//! The structural check: a parsed file against its JSON Schema, every problem reported at the
//! key or value it concerns (the wording is in `describe`), and the walks through the schema
//! that find what a failing keyword expected.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use super::describe::{Place, describe, loc};
use crate::diag::{Diagnostic, SourceFile};
use crate::source::FileKind;
use crate::source::node::{self, Node};
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
    let c = compiled(kind);
    // Every later problem would only repeat this one.
    if !value.is_object() {
        return vec![not_a_mapping(file, kind, &c.schema, &value, &positions)];
    }
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
    let errors: Vec<_> = c.validator.iter_errors(&value).collect();
    let near = near_misses(&errors);
    let place = Place {
        file,
        schema: &c.schema,
        instance: &value,
        positions: &positions,
        near: &near,
    };
    let mut seen = HashSet::new();
    for err in &errors {
        let pointer = err.instance_path().as_str().to_string();
        // A required field written with a typo is reported once, as the typo.
        if let ValidationErrorKind::Required { property } = err.kind()
            && near.contains_key(&(pointer.clone(), property.as_str().unwrap_or("").into()))
        {
            continue;
        }
        let schema_path = err.schema_path().as_str().to_string();
        for d in describe(&place, &pointer, &schema_path, err.kind()) {
            let key = (d.message.clone(), d.location.as_ref().map(|l| l.start));
            if seen.insert(key) {
                diags.push(d);
            }
        }
    }
    diags
}

/// Missing required fields that an unknown field at the same place is a near miss of:
/// (place, required field) → the unknown field.
pub(super) type NearMisses = HashMap<(String, String), String>;

fn near_misses(errors: &[jsonschema::ValidationError]) -> NearMisses {
    let mut missing: HashMap<String, Vec<String>> = HashMap::new();
    let mut unknown: Vec<(String, String)> = Vec::new();
    for e in errors {
        let pointer = e.instance_path().as_str().to_string();
        match e.kind() {
            ValidationErrorKind::Required { property } => {
                if let Some(p) = property.as_str() {
                    missing.entry(pointer).or_default().push(p.to_string());
                }
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                unknown.extend(unexpected.iter().map(|u| (pointer.clone(), u.clone())));
            }
            _ => {}
        }
    }
    let mut out = NearMisses::new();
    for (pointer, name) in unknown {
        let Some(required) = missing.get(&pointer) else {
            continue;
        };
        if let Some(field) = suggest::did_you_mean(&name, required.iter().map(String::as_str))
            && !out.contains_key(&(pointer.clone(), field.to_string()))
        {
            out.insert((pointer, field.to_string()), name);
        }
    }
    out
}

/// A file whose top level is a list or a single value instead of a mapping.
fn not_a_mapping(
    file: &Arc<SourceFile>,
    kind: FileKind,
    schema: &Value,
    value: &Value,
    positions: &node::Positions,
) -> Diagnostic {
    let name = kind.file_name();
    let what = match value {
        Value::Array(_) => "a list",
        Value::String(_) => "a single text",
        _ => "a single value",
    };
    let properties = schema.get("properties").and_then(Value::as_object);
    // Files of one list (`findings:`) have a single top-level key.
    let list_key = properties
        .filter(|p| p.len() == 1)
        .and_then(|p| p.keys().next().cloned());
    let first_fields: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .take(2)
                .map(|f| format!("`{f}:`"))
                .collect()
        })
        .unwrap_or_default();
    let (message, hint) = match (&list_key, value) {
        (Some(key), Value::Array(_)) => (
            format!("{name} is a list, but it must start with `{key}:`"),
            format!("write `{key}:` on the first line and indent the list under it by two spaces"),
        ),
        (Some(key), _) => (
            format!("{name} is {what}, but it must start with `{key}:`"),
            format!("write `{key}:` on the first line and the {key} under it as a list"),
        ),
        (None, Value::Array(_)) => (
            format!("{name} is a list, but it must be a mapping of fields"),
            format!(
                "remove the `- ` before the first field, so the fields ({}...) start at the beginning of the line",
                first_fields.join(", ")
            ),
        ),
        (None, _) => (
            format!("{name} is {what}, but it must be a mapping of fields"),
            format!(
                "write one field per line, e.g. {}; see the data format in README.md",
                first_fields.join(" and ")
            ),
        ),
    };
    Diagnostic::error(message)
        .at(loc(file, positions.value("")))
        .label(format!("{what}, not a mapping"))
        .hint(hint)
}

/// Follows a keyword location through the schema, jumping through `$ref`s, to the schema
/// object that contains the failing keyword.
pub(super) fn schema_at<'a>(root: &'a Value, schema_path: &str) -> Option<&'a Value> {
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

/// The `$ref` of the object branch of an optional object (`anyOf: [{$ref}, {type: null}]`).
pub(super) fn object_option<'a>(schema: &'a Value, schema_path: &str) -> Option<&'a str> {
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
pub(super) fn accepted_values(schema: &Value, schema_path: &str) -> Vec<String> {
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
