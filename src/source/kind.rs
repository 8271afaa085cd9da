//! The kinds of file an assessment folder holds, and their names.

/// One kind of assessment file.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum FileKind {
    /// `assessment.yaml`: title, country, team, method, pillars (required).
    Assessment,
    /// `priorities.yaml` (required).
    Priorities,
    /// `findings.yaml` (required).
    Findings,
    /// `recommendations.yaml` (required).
    Recommendations,
    /// `indicators.yaml`: the data charts are drawn from (optional).
    Indicators,
    /// `sources.yaml`: what citations refer to (optional).
    Sources,
    /// `theme.yaml`: colours, fonts and logo (optional).
    Theme,
}

impl FileKind {
    /// Every kind, in the order files are read and reported.
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

    /// The schema's file name as `deca schema` writes it: `findings.schema.json`.
    pub fn schema_file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }
}
