//! The kinds of file an assessment folder holds, and their JSON Schemas (draft 2020-12),
//! generated from the Rust types in `model::raw`, so the format has one definition.

use schemars::{JsonSchema, generate::SchemaSettings};

use crate::model::raw;

/// One kind of assessment file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Assessment,
    Priorities,
    Findings,
    Recommendations,
    Indicators,
    Sources,
    Theme,
}

impl FileKind {
    pub const ALL: [FileKind; 7] = [
        FileKind::Assessment,
        FileKind::Priorities,
        FileKind::Findings,
        FileKind::Recommendations,
        FileKind::Indicators,
        FileKind::Sources,
        FileKind::Theme,
    ];

    /// The kind's short name, used for schema file names: `findings`.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Assessment => "assessment",
            FileKind::Priorities => "priorities",
            FileKind::Findings => "findings",
            FileKind::Recommendations => "recommendations",
            FileKind::Indicators => "indicators",
            FileKind::Sources => "sources",
            FileKind::Theme => "theme",
        }
    }

    /// The file's name inside an assessment folder.
    pub fn file_name(self) -> String {
        format!("{}.yaml", self.name())
    }

    /// Whether an assessment folder must have this file.
    pub fn required(self) -> bool {
        !matches!(
            self,
            FileKind::Indicators | FileKind::Sources | FileKind::Theme
        )
    }

    /// The kind for a file name, if it is one of ours (`.yaml` or `.yml`).
    pub fn from_file_name(name: &str) -> Option<FileKind> {
        let stem = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))?;
        FileKind::ALL.into_iter().find(|k| k.name() == stem)
    }

    /// The JSON Schema for this kind of file.
    pub fn schema(self) -> serde_json::Value {
        match self {
            FileKind::Assessment => schema_of::<raw::AssessmentFile>(),
            FileKind::Priorities => schema_of::<raw::PrioritiesFile>(),
            FileKind::Findings => schema_of::<raw::FindingsFile>(),
            FileKind::Recommendations => schema_of::<raw::RecommendationsFile>(),
            FileKind::Indicators => schema_of::<raw::IndicatorsFile>(),
            FileKind::Sources => schema_of::<raw::SourcesFile>(),
            FileKind::Theme => schema_of::<raw::ThemeFile>(),
        }
    }

    /// The schema's file name as `deca schema` writes it: `findings.schema.json`.
    pub fn schema_file_name(self) -> String {
        format!("{}.schema.json", self.name())
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
            let text = serde_json::to_string_pretty(&k.schema()).expect("schema serializes") + "\n";
            (k.schema_file_name(), text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_draft_2020_12_schema_that_forbids_unknown_fields() {
        for kind in FileKind::ALL {
            let s = kind.schema();
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
