//! Translation coverage: which reader-facing text fields lack a language, and how complete each
//! language is. Builds warn once per missing field (or fail with `--strict`); `deca check
//! --translations` prints the table.

use super::visit::{self, Parts};
use super::{Assessment, text::Text};
use crate::diag::{Diagnostic, Location};
use crate::source::FileKind;

/// A text field without a translation into some language.
#[derive(Debug, Clone)]
pub struct Gap {
    /// The file the field is in.
    pub kind: FileKind,
    /// How messages name the field: "`title` of finding 2 (`rural-access`)".
    pub path: String,
    /// Where the field is written, when its file is known.
    pub location: Option<Location>,
}

impl Assessment {
    /// The loaded parts, for walks over every field.
    pub fn parts(&self) -> Parts<'_> {
        Parts {
            meta: Some(&self.meta),
            priorities: Some(&self.priorities),
            findings: Some(&self.findings),
            recommendations: Some(&self.recommendations),
            indicators: Some(&self.indicators),
            sources: Some(&self.sources),
            theme: Some(&self.theme),
        }
    }
}

fn has(text: &Text, lang: &str, default_lang: &str) -> bool {
    text.exact(lang, default_lang)
        .is_some_and(|s| !s.trim().is_empty())
}

/// Reader-facing fields that have no text in `lang`.
pub fn gaps(a: &Assessment, lang: &str) -> Vec<Gap> {
    let default_lang = a.default_lang();
    visit::texts(a.parts())
        .into_iter()
        .filter(|f| f.translatable && !has(f.text, lang, default_lang))
        .map(|f| {
            let location = a.files.get(&f.kind).map(|file| {
                let start = f.at.span().byte_offset().map_or_else(
                    || file.offset_of(f.at.line() as usize, f.at.column() as usize),
                    |b| b as usize,
                );
                Location::new(
                    file,
                    start,
                    start + f.at.span().byte_len().unwrap_or(0) as usize,
                )
            });
            Gap {
                kind: f.kind,
                path: f.path,
                location,
            }
        })
        .collect()
}

/// One warning (or error, when strict) per field that falls back to the default language.
pub fn fallback_diagnostics(a: &Assessment, lang: &str, strict: bool) -> Vec<Diagnostic> {
    if lang == a.default_lang() {
        return Vec::new();
    }
    gaps(a, lang)
        .into_iter()
        .map(|g| {
            let msg = format!(
                "{} has no `{lang}` translation; the `{}` text is used",
                g.path,
                a.default_lang()
            );
            let d = if strict {
                Diagnostic::error(msg)
            } else {
                Diagnostic::warning(msg)
            };
            d.at_opt(g.location).hint(format!(
                "add `{lang}:` beside `{}:` in this field",
                a.default_lang()
            ))
        })
        .collect()
}

/// Per language: (language, translatable fields, fields with text in it).
pub fn completeness(a: &Assessment) -> Vec<(String, usize, usize)> {
    let default_lang = a.default_lang();
    let fields: Vec<_> = visit::texts(a.parts())
        .into_iter()
        .filter(|f| f.translatable)
        .collect();
    a.languages()
        .into_iter()
        .map(|lang| {
            let done = fields
                .iter()
                .filter(|f| has(f.text, lang, default_lang))
                .count();
            (lang.to_string(), fields.len(), done)
        })
        .collect()
}
