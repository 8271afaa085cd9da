//! Localisation: the labels templates and the DOCX writer print, and how dates and numbers are
//! written, from per-language files (`templates/locales/<lang>.yaml`). An override file may
//! set only some keys; the rest come from the built-in file for its language, or from English
//! for a language deca does not ship.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::model::raw::ValueFormat;
use crate::templates::{Origin, TemplateSet};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LocaleFile {
    name: Option<String>,
    region: Option<String>,
    /// `rtl` or `ltr`; by default from the language code (see `direction`).
    dir: Option<String>,
    date_format: Option<String>,
    month_year_format: Option<String>,
    months: Option<Vec<String>>,
    decimal_separator: Option<String>,
    thousands_separator: Option<String>,
    percent_format: Option<String>,
    minimum_grouping_digits: Option<usize>,
    /// Opening and closing double quotes, then opening and closing single quotes.
    quotes: Option<[String; 4]>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

/// One language's words and number and date conventions.
#[derive(Debug, Clone)]
pub struct Locale {
    pub lang: String,
    pub name: String,
    pub region: Option<String>,
    /// The direction the language is written in.
    pub dir: crate::direction::Dir,
    date_format: String,
    month_year_format: String,
    months: Vec<String>,
    decimal: String,
    thousands: String,
    percent_format: String,
    min_grouping: usize,
    /// Typographic quotes: “ ” then ‘ ’ in English.
    pub quotes: [String; 4],
    pub labels: BTreeMap<String, String>,
}

fn parse(path: &str, bytes: &[u8]) -> Result<LocaleFile, Diagnostic> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Diagnostic::error("locale file is not valid UTF-8").in_file(path))?;
    serde_saphyr::from_str::<LocaleFile>(text).map_err(|e| {
        Diagnostic::error(format!(
            "failed to read locale file ({})",
            e.to_string().lines().next().unwrap_or("")
        ))
        .in_file(path)
        .hint("compare it with the built-in file: `deca templates export DIR`")
    })
}

impl Locale {
    /// The locale for `lang`: built-in base, then any override. Warnings list missing labels.
    pub fn load(
        templates: &TemplateSet,
        lang: &str,
    ) -> Result<(Locale, Vec<Diagnostic>), Diagnostic> {
        let builtin = TemplateSet::builtin();
        let path = format!("locales/{lang}.yaml");
        let english = builtin
            .get("locales/en.yaml")
            .expect("English locale is built in");
        let english = parse("locales/en.yaml", &english.bytes)?;
        let base = match builtin.get(&path) {
            Some(f) => parse(&path, &f.bytes)?,
            None => LocaleFile::default(),
        };
        let top = match templates.get(&path) {
            Some(f) if f.origin != Origin::BuiltIn => {
                let shown = match &f.origin {
                    Origin::Override { path, .. } => path.display().to_string(),
                    Origin::BuiltIn => path.clone(),
                };
                Some((shown.clone(), parse(&shown, &f.bytes)?))
            }
            _ => None,
        };
        let mut warnings = Vec::new();
        let known_builtin = builtin.get(&path).is_some();
        if !known_builtin && top.is_none() {
            return Err(Diagnostic::error(format!("no labels for language `{lang}`"))
                .hint(format!(
                    "add templates/locales/{lang}.yaml (copy locales/en.yaml from `deca templates export DIR` and translate it)"
                )));
        }
        let (top_path, top) = top.unwrap_or_default();
        let pick = |t: Option<String>, b: Option<String>, e: Option<String>| {
            t.or(b).or(e).unwrap_or_default()
        };
        let mut labels = english.labels.clone();
        if known_builtin {
            labels.extend(base.labels.clone());
        } else {
            for key in english.labels.keys() {
                if !top.labels.contains_key(key) {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "label `{key}` is missing for `{lang}`; the English label is used"
                        ))
                        .in_file(&top_path)
                        .hint(format!("add `{key}:` under `labels:`")),
                    );
                }
            }
        }
        for key in top.labels.keys() {
            if !english.labels.contains_key(key) {
                warnings.push(
                    Diagnostic::warning(format!("unknown label `{key}` is ignored"))
                        .in_file(&top_path)
                        .hint("compare the keys with locales/en.yaml"),
                );
            }
        }
        labels.extend(top.labels.clone());
        let months = top
            .months
            .clone()
            .or(base.months.clone())
            .or(english.months.clone())
            .unwrap_or_default();
        if months.len() != 12 {
            return Err(Diagnostic::error(format!(
                "`months` for `{lang}` must list 12 names, found {}",
                months.len()
            ))
            .in_file(&top_path));
        }
        let dir = match top.dir.as_deref().or(base.dir.as_deref()) {
            None => crate::direction::Dir::for_lang(lang),
            Some(s) => crate::direction::Dir::parse(s).ok_or_else(|| {
                Diagnostic::error(format!("unknown text direction `dir: {s}` for `{lang}`"))
                    .in_file(&top_path)
                    .hint("write `dir: rtl` (right to left) or `dir: ltr`")
            })?,
        };
        let locale = Locale {
            dir,
            lang: lang.to_string(),
            name: pick(top.name, base.name, english.name),
            region: top.region.or(base.region),
            date_format: pick(top.date_format, base.date_format, english.date_format),
            month_year_format: pick(
                top.month_year_format,
                base.month_year_format,
                english.month_year_format,
            ),
            months,
            decimal: pick(
                top.decimal_separator,
                base.decimal_separator,
                english.decimal_separator,
            ),
            thousands: pick(
                top.thousands_separator,
                base.thousands_separator,
                english.thousands_separator,
            ),
            percent_format: pick(
                top.percent_format,
                base.percent_format,
                english.percent_format,
            ),
            min_grouping: top
                .minimum_grouping_digits
                .or(base.minimum_grouping_digits)
                .or(english.minimum_grouping_digits)
                .unwrap_or(1),
            quotes: top
                .quotes
                .or(base.quotes)
                .or(english.quotes)
                .unwrap_or_else(|| ["“", "”", "‘", "’"].map(String::from)),
            labels,
        };
        Ok((locale, warnings))
    }

    /// A label; an unknown key prints as itself so a template typo is visible, not blank.
    pub fn label(&self, key: &str) -> String {
        self.labels
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// A label with `{name}` placeholders filled.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(&self.label(key), args)
    }

    /// A date in the language: "28 de noviembre de 2026".
    pub fn date(&self, d: time::Date) -> String {
        let month = &self.months[usize::from(u8::from(d.month())) - 1];
        fill(
            &self.date_format,
            &[
                ("day", &d.day().to_string()),
                ("month", month),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// A month and year: "julio de 2021".
    pub fn month_year(&self, d: time::Date) -> String {
        let month = &self.months[usize::from(u8::from(d.month())) - 1];
        fill(
            &self.month_year_format,
            &[("month", month), ("year", &d.year().to_string())],
        )
    }

    /// A number with the language's separators and a fixed number of decimals.
    pub fn number(&self, v: f64, decimals: usize) -> String {
        let s = format!("{:.*}", decimals, v.abs());
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (s, None),
        };
        // CLDR's minimum grouping digits: Spanish writes 2563 but 25 630.
        let digits: Vec<char> = int.chars().collect();
        let group = digits.len() >= 3 + self.min_grouping;
        let mut grouped = String::new();
        for (i, c) in digits.iter().enumerate() {
            if group && i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push_str(&self.thousands);
            }
            grouped.push(*c);
        }
        let mut out = if v < 0.0 && v.abs() >= 0.5 * 10f64.powi(-(decimals as i32)) {
            format!("-{grouped}")
        } else {
            grouped
        };
        if let Some(f) = frac {
            out.push_str(&self.decimal);
            out.push_str(&f);
        }
        out
    }

    /// A value as an indicator prints it.
    pub fn value(&self, v: f64, format: ValueFormat, decimals: usize) -> String {
        match format {
            ValueFormat::Percent => fill(
                &self.percent_format,
                &[("value", &self.number(v, decimals))],
            ),
            ValueFormat::Number | ValueFormat::Decimal => self.number(v, decimals),
        }
    }
}

/// How many decimals a set of values needs (0 to 2), so a series prints consistently.
pub fn decimals_needed(values: &[f64], format: ValueFormat) -> usize {
    let needed = values
        .iter()
        .map(|v| {
            (0..=2)
                .find(|d| {
                    let scaled = v * 10f64.powi(*d as i32);
                    (scaled - scaled.round()).abs() < 1e-6
                })
                .unwrap_or(2)
        })
        .max()
        .unwrap_or(0);
    match format {
        ValueFormat::Decimal => needed.max(1),
        _ => needed,
    }
}

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(lang: &str) -> Locale {
        Locale::load(&TemplateSet::builtin(), lang).unwrap().0
    }

    #[test]
    fn dates_in_english_and_spanish() {
        let d = time::macros::date!(2026 - 11 - 28);
        assert_eq!(locale("en").date(d), "28 November 2026");
        assert_eq!(locale("es").date(d), "28 de noviembre de 2026");
    }

    #[test]
    fn numbers_use_the_language_separators() {
        assert_eq!(locale("en").number(1234567.891, 1), "1,234,567.9");
        assert_eq!(locale("es").number(1234567.891, 1), "1\u{a0}234\u{a0}567,9");
        assert_eq!(
            locale("es").value(89.2, ValueFormat::Percent, 1),
            "89,2\u{a0}%"
        );
        assert_eq!(locale("en").value(89.2, ValueFormat::Percent, 1), "89.2%");
        // Spanish does not group four-digit numbers.
        assert_eq!(locale("es").number(2563.0, 0), "2563");
        assert_eq!(locale("en").number(2563.0, 0), "2,563");
    }

    #[test]
    fn decimals_follow_the_data() {
        assert_eq!(decimals_needed(&[55.0, 266.0], ValueFormat::Number), 0);
        assert_eq!(decimals_needed(&[89.2, 80.0], ValueFormat::Percent), 1);
        assert_eq!(decimals_needed(&[3.5, 9.3], ValueFormat::Decimal), 1);
    }

    #[test]
    fn spanish_has_every_english_label() {
        let en = locale("en");
        let es = TemplateSet::builtin();
        let es = parse("es", &es.get("locales/es.yaml").unwrap().bytes).unwrap();
        for key in en.labels.keys() {
            assert!(es.labels.contains_key(key), "es lacks {key}");
        }
    }

    #[test]
    fn an_unknown_language_without_a_file_is_an_error() {
        let err = Locale::load(&TemplateSet::builtin(), "fr").unwrap_err();
        assert_eq!(err.message, "no labels for language `fr`");
    }
}
