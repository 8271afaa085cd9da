//! Checking deca.toml: values a build cannot use (unknown paper, format, kind or standard,
//! nested profiles), and what only the data can tell (each profile's languages and ids exist,
//! its paths are there), every problem at its key or value.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use clap::ValueEnum;
use toml::Spanned;

use super::{FILE_NAME, List, Project, Settings, at};
use crate::diag::{Diagnostic, SourceFile};
use crate::edition::{Kind, OutputFormat, Paper, PdfStandard};
use crate::suggest;

/// Whether `value` is one of a `ValueEnum`'s names; the error lists them.
fn check_enum<E: ValueEnum>(
    file: &Arc<SourceFile>,
    key: &str,
    v: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let names: Vec<String> = E::value_variants()
        .iter()
        .filter_map(|x| x.to_possible_value().map(|p| p.get_name().to_string()))
        .collect();
    if names.iter().any(|n| n == v.get_ref()) {
        return;
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let hint = match suggest::did_you_mean(v.get_ref(), refs.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("`{key}` takes {}", suggest::list(&refs)),
    };
    out.push(
        Diagnostic::error(format!("unknown {key} `{}`", v.get_ref()))
            .at(at(file, v))
            .label(format!("not a {key}"))
            .hint(hint),
    );
}

impl Project {
    /// Problems a build would meet with the values themselves: unknown enum values, nested
    /// profiles, empty names.
    pub(crate) fn check_values(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        self.check_settings(&self.settings, &mut out);
        for (name, p) in self.settings.profile.iter().flatten() {
            if name.trim().is_empty() {
                out.push(
                    Diagnostic::error("a profile needs a name")
                        .at(at(&self.file, p))
                        .hint("write `[profile.lima]`"),
                );
            }
            if let Some(nested) = &p.get_ref().profile {
                let d = Diagnostic::error(format!("profile `{name}` holds profiles"))
                    .hint("profiles are only defined at the top level: `[profile.NAME]`");
                let d = match nested.values().next() {
                    Some(first) => d.at(at(&self.file, first)),
                    None => d.at(at(&self.file, p)),
                };
                out.push(d);
            }
            self.check_settings(p.get_ref(), &mut out);
        }
        crate::diag::sort(&mut out);
        out
    }

    fn check_settings(&self, s: &Settings, out: &mut Vec<Diagnostic>) {
        let f = &self.file;
        if let Some(p) = &s.paper {
            check_enum::<Paper>(f, "paper", p, out);
        }
        for v in s.kind.iter().flat_map(toml::Spanned::get_ref) {
            check_enum::<Kind>(f, "kind", v, out);
        }
        for v in s.format.iter().flat_map(toml::Spanned::get_ref) {
            check_enum::<OutputFormat>(f, "format", v, out);
        }
        for v in s.pdf_standard.iter().flat_map(toml::Spanned::get_ref) {
            check_enum::<PdfStandard>(f, "pdf-standard", v, out);
        }
        if let Some(t) = &s.timeout
            && *t.get_ref() == 0
        {
            out.push(
                Diagnostic::error("timeout must be at least 1 second")
                    .at(at(f, t))
                    .hint("the default is 60"),
            );
        }
    }
}

/// What `deca check` says about the project file: problems, and a summary line when valid.
pub struct Checked {
    /// Problems in the project file, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// One line describing the project, when it has no errors.
    pub summary: Option<String>,
}

/// Checks the project file (when there is one) including what only the data can tell: that
/// each profile's languages and ids exist and its paths are there.
pub fn check(project: &Project) -> Checked {
    let mut diags = project.check_values();
    let mut sections: Vec<(String, &Settings)> = vec![(String::new(), &project.settings)];
    for (name, p) in project.settings.profile.iter().flatten() {
        sections.push((name.clone(), p.get_ref()));
    }
    let f = &project.file;
    let mut loaded: BTreeMap<PathBuf, Vec<crate::model::Assessment>> = BTreeMap::new();
    for (name, s) in &sections {
        let context = if name.is_empty() {
            String::new()
        } else {
            format!(" (profile `{name}`)")
        };
        for (key, v, must_be_dir) in [
            ("data", &s.data, true),
            ("templates", &s.templates, true),
            ("reference-docx", &s.reference_docx, false),
        ] {
            let Some(v) = v else { continue };
            let path = project.path(v);
            let ok = if must_be_dir {
                path.is_dir()
            } else {
                path.is_file()
            };
            if !ok {
                diags.push(
                    Diagnostic::error(format!(
                        "{key} `{}` does not exist{context}",
                        crate::ui::shown(&path).display()
                    ))
                    .at(at(f, v))
                    .hint(format!("paths in {FILE_NAME} are relative to its folder")),
                );
            }
        }
        // Ids and languages, against the assessments the section builds.
        let data = s
            .data
            .as_ref()
            .or(project.settings.data.as_ref())
            .map_or_else(|| project.base.join("data"), |d| project.path(d));
        let wants_ids = s.lang.is_some() || s.priority.is_some() || s.recommendation.is_some();
        if !wants_ids {
            continue;
        }
        let assessments = loaded.entry(data.clone()).or_insert_with(|| {
            crate::source::assessment_dirs(&data)
                .unwrap_or_default()
                .iter()
                .filter_map(|d| crate::model::load(d, &crate::ui::shown(d)).assessment)
                .collect()
        });
        if assessments.is_empty() {
            continue;
        }
        type Known = fn(&crate::model::Assessment) -> Vec<String>;
        let checks: [(&str, &str, &Option<List>, Known); 3] = [
            ("language", "languages", &s.lang, |a| {
                a.languages()
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect()
            }),
            ("priority", "priority ids", &s.priority, |a| {
                a.priorities.iter().map(|p| p.id.value.clone()).collect()
            }),
            (
                "recommendation",
                "recommendation ids",
                &s.recommendation,
                |a| {
                    a.recommendations
                        .iter()
                        .map(|r| r.id.value.clone())
                        .collect()
                },
            ),
        ];
        for (what, plural, list, known_of) in checks {
            for v in list.iter().flat_map(toml::Spanned::get_ref) {
                for a in assessments.iter() {
                    let known = known_of(a);
                    if known.iter().any(|k| k == v.get_ref()) {
                        continue;
                    }
                    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
                    let hint = match suggest::did_you_mean(v.get_ref(), refs.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("{plural} of `{}`: {}", a.name, suggest::list(&refs)),
                    };
                    diags.push(
                        Diagnostic::error(format!(
                            "unknown {what} `{}` for assessment `{}`{context}",
                            v.get_ref(),
                            a.name
                        ))
                        .at(at(f, v))
                        .label(format!("not a {what} of `{}`", a.name))
                        .hint(hint),
                    );
                }
            }
        }
    }
    crate::diag::sort(&mut diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let summary = if errors > 0 {
        format!(
            "{}: invalid: {errors} error{}\n",
            f.path.display(),
            if errors == 1 { "" } else { "s" }
        )
    } else {
        let names = project.profile_names();
        format!(
            "{}: ok: {}{}\n",
            f.path.display(),
            match names.len() {
                1 => "1 profile".to_string(),
                n => format!("{n} profiles"),
            },
            if names.is_empty() {
                String::new()
            } else {
                format!(" ({})", names.join(", "))
            }
        )
    };
    Checked {
        diagnostics: diags,
        summary: Some(summary),
    }
}
