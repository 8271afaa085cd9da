//! `deca check`: validate every assessment named and report every problem, then a summary line
//! per assessment (or one JSON document with `--format json`). Whatever would stop `build` on
//! the data (a language without labels, an unreadable locale override) stops `check` too.

use serde::Serialize;

use crate::cli::CheckArgs;
use crate::diag::{self, Diagnostic, Format};
use crate::i18n::Locale;
use crate::model::{self, Assessment, translations};
use crate::source::FileKind;
use crate::templates::TemplateSet;
use crate::{exit, ui};

#[derive(Serialize)]
struct Counts {
    findings: usize,
    recommendations: usize,
    priorities: usize,
    indicators: usize,
    sources: usize,
}

#[derive(Serialize)]
struct Report {
    path: String,
    valid: bool,
    errors: usize,
    warnings: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    counts: Option<Counts>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    translations: Vec<Coverage>,
}

#[derive(Serialize)]
struct Coverage {
    lang: String,
    fields: usize,
    translated: usize,
    percent: f64,
}

/// `project` is what checking deca.toml found, when there is one.
pub(super) fn run(args: &CheckArgs, project: Option<crate::project::Checked>) -> u8 {
    let (dirs, mut all) = match crate::source::discover(&args.dir) {
        Ok(d) => (d.dirs, d.warnings),
        Err(d) => {
            print(&[d], args.format);
            return exit::USAGE;
        }
    };
    let mut reports = Vec::new();
    let mut summary = String::new();
    for dir in &dirs {
        let shown = ui::shown(dir);
        let loaded = model::load(dir, &shown);
        let mut diags = loaded.diagnostics;
        let mut coverage = Vec::new();
        if let Some(a) = &loaded.assessment {
            match TemplateSet::load(&crate::templates::layers_for(
                dir,
                args.templates.as_deref(),
            )) {
                Ok(templates) => {
                    diags.extend(glyph_coverage(a, &templates));
                    diags.extend(locale_diagnostics(a, &templates));
                }
                Err(d) => diags.push(d),
            }
            if args.strict {
                for lang in a.languages() {
                    diags.extend(translations::fallback_diagnostics(a, lang, true));
                }
            }
            if args.translations {
                coverage = translations::completeness(a)
                    .into_iter()
                    .map(|(lang, fields, translated)| Coverage {
                        percent: if fields == 0 {
                            100.0
                        } else {
                            translated as f64 * 100.0 / fields as f64
                        },
                        lang,
                        fields,
                        translated,
                    })
                    .collect();
            }
        }
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let warnings = diags.len() - errors;
        let valid = errors == 0 && loaded.assessment.is_some();
        let counts = loaded.assessment.as_ref().map(|a| Counts {
            findings: a.findings.len(),
            recommendations: a.recommendations.len(),
            priorities: a.priorities.len(),
            indicators: a.indicators.len(),
            sources: a.sources.len(),
        });
        summary.push_str(&summary_line(
            &shown.display().to_string(),
            valid,
            errors,
            warnings,
            counts.as_ref(),
        ));
        if !coverage.is_empty() {
            summary.push_str(&coverage_table(&coverage));
        }
        reports.push(Report {
            path: shown.display().to_string(),
            valid,
            errors,
            warnings,
            counts,
            translations: coverage,
        });
        all.extend(diags);
    }
    let mut failed = reports.iter().any(|r| !r.valid);
    if let Some(p) = project {
        failed |= p.diagnostics.iter().any(Diagnostic::is_error);
        summary = p.summary.unwrap_or_default() + &summary;
        all.splice(0..0, p.diagnostics);
    }
    match args.format {
        Format::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                valid: bool,
                assessments: &'a [Report],
                diagnostics: Vec<diag::JsonDiagnostic>,
            }
            let out = Out {
                valid: !failed,
                assessments: &reports,
                diagnostics: all.iter().map(Diagnostic::to_json).collect(),
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&out).expect("report serializes")
            );
        }
        format => {
            print(&all, format);
            print!("{summary}");
        }
    }
    if failed { exit::FAILED } else { exit::OK }
}

/// Text no font can display, with the fonts `build` would have: the bundled ones, those on
/// the font path, and any in the template folders.
fn glyph_coverage(a: &model::Assessment, templates: &TemplateSet) -> Vec<Diagnostic> {
    let fonts = crate::render::typst::world::Fonts::new(templates);
    model::coverage::check(a, &fonts.book, diag::Severity::Error)
}

/// What `build` would say about each language's locale, said now: a language without a
/// locale file fails the build, so it fails the check. An error is placed on the language in
/// assessment.yaml.
fn locale_diagnostics(a: &Assessment, set: &TemplateSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for lang in &a.meta.languages {
        match Locale::load(set, &lang.value) {
            Ok((_, warnings)) => out.extend(warnings),
            Err(d) => {
                let at = a.location(FileKind::Assessment, lang);
                out.push(if d.file.is_none() && at.is_some() {
                    d.at_opt(at).label("no locale for this language")
                } else {
                    d
                });
            }
        }
    }
    out
}

fn print(diags: &[Diagnostic], format: Format) {
    match format {
        Format::Human => diag::eprint_human(diags, ui::color_stderr()),
        Format::Short => eprint!("{}", diag::render_short(diags)),
        Format::Json => println!("{}", diag::render_json(diags)),
        Format::Github => print!("{}", diag::render_github(diags)),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary_line(
    path: &str,
    valid: bool,
    errors: usize,
    warnings: usize,
    counts: Option<&Counts>,
) -> String {
    let mut s = String::new();
    if valid {
        let c = counts.expect("valid assessments have counts");
        s.push_str(&format!(
            "{path}: ok: {}, {}, {}, {}, {}",
            plural(c.findings, "finding", "findings"),
            plural(c.recommendations, "recommendation", "recommendations"),
            plural(c.priorities, "priority", "priorities"),
            plural(c.indicators, "indicator", "indicators"),
            plural(c.sources, "source", "sources"),
        ));
    } else {
        s.push_str(&format!(
            "{path}: invalid: {}",
            plural(errors, "error", "errors")
        ));
    }
    if warnings > 0 {
        s.push_str(&format!(" ({})", plural(warnings, "warning", "warnings")));
    }
    s.push('\n');
    s
}

fn coverage_table(rows: &[Coverage]) -> String {
    let mut s = String::from("  language  fields  translated  missing  complete\n");
    for r in rows {
        s.push_str(&format!(
            "  {:<8}  {:>6}  {:>10}  {:>7}  {:>7.1}%\n",
            r.lang,
            r.fields,
            r.translated,
            r.fields - r.translated,
            r.percent
        ));
    }
    s
}
