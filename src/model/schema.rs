//! The JSON Schemas of the assessment files (draft 2020-12),
//! generated from the Rust types in `model::raw`, so the format has one definition.

use schemars::{JsonSchema, generate::SchemaSettings};

use crate::model::raw;
pub use crate::source::FileKind;

/// The JSON Schema for a kind of file.
pub fn of(kind: FileKind) -> serde_json::Value {
    match kind {
        FileKind::Assessment => schema_of::<raw::AssessmentFile>(),
        FileKind::Priorities => schema_of::<raw::PrioritiesFile>(),
        FileKind::Findings => schema_of::<raw::FindingsFile>(),
        FileKind::Recommendations => schema_of::<raw::RecommendationsFile>(),
        FileKind::Indicators => schema_of::<raw::IndicatorsFile>(),
        FileKind::Sources => schema_of::<raw::SourcesFile>(),
        FileKind::Theme => schema_of::<raw::ThemeFile>(),
    }
}

fn schema_of<T: JsonSchema>() -> serde_json::Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    generator.into_root_schema_for::<T>().to_value()
}

/// All schemas, pretty-printed with a trailing newline, by file name.
pub fn all() -> Vec<(String, String)> {
    FileKind::ALL
        .into_iter()
        .map(|k| {
            let text = serde_json::to_string_pretty(&of(k)).expect("schema serializes") + "\n";
            (k.schema_file_name(), text)
        })
        .collect()
}

/// The field reference in Markdown, generated from the schemas so it cannot drift from the
/// format: one table per file and per nested object.
pub fn markdown() -> String {
    use serde_json::Value;
    fn type_of(v: &Value) -> String {
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().unwrap_or(r);
            return match name {
                "Text" => "text".into(),
                "RichText" => "rich text".into(),
                other => format!("[{}](#{})", kebab(other), kebab(other)),
            };
        }
        if let Some(any) = v.get("anyOf").and_then(Value::as_array) {
            let parts: Vec<String> = any
                .iter()
                .filter(|x| x.get("type").and_then(Value::as_str) != Some("null"))
                .map(type_of)
                .collect();
            return parts.join(" or ");
        }
        if let Some(e) = v.get("enum").and_then(Value::as_array) {
            return e
                .iter()
                .filter_map(Value::as_str)
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
        }
        if let Some(one) = v.get("oneOf").and_then(Value::as_array) {
            return one
                .iter()
                .filter_map(|x| {
                    x.get("const")
                        .or_else(|| x.get("enum").and_then(|e| e.get(0)))
                })
                .filter_map(Value::as_str)
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ");
        }
        match v.get("type") {
            Some(Value::String(t)) if t == "array" => {
                format!(
                    "list of {}",
                    v.get("items").map(type_of).unwrap_or_default()
                )
            }
            Some(Value::String(t)) if t == "integer" => "whole number".into(),
            Some(Value::String(t)) if t == "number" => "number".into(),
            Some(Value::String(t)) if t == "string" => {
                if v.get("pattern")
                    .and_then(Value::as_str)
                    .is_some_and(|p| p.contains(r"\d{4}"))
                {
                    "date `YYYY-MM-DD`".into()
                } else if v
                    .get("pattern")
                    .and_then(Value::as_str)
                    .is_some_and(|p| p.contains("a-z0-9"))
                {
                    "id".into()
                } else {
                    "string".into()
                }
            }
            Some(Value::Array(ts)) => {
                let ts: Vec<&str> = ts
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|t| *t != "null")
                    .collect();
                match ts.as_slice() {
                    ["array"] => format!(
                        "list of {}",
                        v.get("items").map(type_of).unwrap_or_default()
                    ),
                    ["integer"] => "whole number".into(),
                    ["number"] => "number".into(),
                    ["string"] => "string".into(),
                    other => other.join(" or "),
                }
            }
            _ => "value".into(),
        }
    }
    fn kebab(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        }
        out
    }
    fn table(out: &mut String, obj: &Value) {
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        out.push_str("| field | type | required | meaning |\n|---|---|---|---|\n");
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (name, p) in props {
                let desc = p
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .replace('\n', " ")
                    .replace('|', "\\|");
                out.push_str(&format!(
                    "| `{name}` | {} | {} | {desc} |\n",
                    type_of(p),
                    if required.contains(&name.as_str()) {
                        "yes"
                    } else {
                        "no"
                    }
                ));
            }
        }
        out.push('\n');
    }
    let mut out = String::new();
    let mut defs: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    for kind in FileKind::ALL {
        let s = of(kind);
        out.push_str(&format!("#### `{}`\n\n", kind.file_name()));
        if let Some(d) = s.get("description").and_then(Value::as_str) {
            out.push_str(&format!("{}\n\n", d.replace('\n', " ")));
        }
        table(&mut out, &s);
        if let Some(d) = s.get("$defs").and_then(Value::as_object) {
            for (k, v) in d {
                defs.insert(k.clone(), v.clone());
            }
        }
    }
    for (name, def) in &defs {
        if matches!(name.as_str(), "Text" | "RichText") || def.get("properties").is_none() {
            continue;
        }
        out.push_str(&format!("#### {}\n\n", kebab(name)));
        if let Some(d) = def.get("description").and_then(Value::as_str) {
            out.push_str(&format!("{}\n\n", d.replace('\n', " ")));
        }
        table(&mut out, def);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_draft_2020_12_schema_that_forbids_unknown_fields() {
        for kind in FileKind::ALL {
            let s = of(kind);
            assert_eq!(
                s["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{kind:?}"
            );
            assert_eq!(s["additionalProperties"], false, "{kind:?}");
        }
    }

    #[test]
    fn file_names_map_to_kinds() {
        assert_eq!(
            FileKind::from_file_name("findings.yaml"),
            Some(FileKind::Findings)
        );
        assert_eq!(FileKind::from_file_name("theme.yml"), Some(FileKind::Theme));
        assert_eq!(FileKind::from_file_name("notes.yaml"), None);
    }
}
