//! Localisation: the labels templates and the DOCX writer print, and how dates and numbers are
//! written, from per-language files (`templates/locales/<lang>.yaml`). An override file may
//! set only some keys; the rest come from the built-in file for its language, or from English
//! for a language deca does not ship.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::model::raw::ValueFormat;
use crate::templates::{Origin, TemplateSet};

#[derive(Debug, Default, Clone, Deserialize)]
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
    /// The language as the assessment names it: `fr`, `es-PE`.
    pub lang: String,
    /// The language's name in itself, from the locale files: "Français".
    pub name: String,
    /// Region for hyphenation and quotes, e.g. `PE`: from the code, else the locale files.
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
    /// Labels renderers print, by key, after every locale layer is merged.
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

/// The primary language subtag: `es` for `es-PE`.
pub fn primary_language(lang: &str) -> &str {
    lang.split_once('-').map_or(lang, |(l, _)| l)
}

/// The files that make up a locale, lowest precedence first, each with the path shown in
/// messages: English, the built-in file for the language (`fr.yaml`, then `fr-CA.yaml`), and
/// the override files in the same order.
struct Layers {
    english: LocaleFile,
    builtin: Vec<LocaleFile>,
    overrides: Vec<(String, LocaleFile)>,
}

impl Layers {
    fn read(templates: &TemplateSet, lang: &str) -> Result<Layers, Diagnostic> {
        let builtin_set = TemplateSet::builtin();
        let english = builtin_set
            .get("locales/en.yaml")
            .expect("English locale is built in");
        let english = parse("locales/en.yaml", &english.bytes)?;
        let primary = primary_language(lang);
        let mut codes = vec![primary];
        if primary != lang {
            codes.push(lang);
        }
        let mut builtin = Vec::new();
        let mut overrides = Vec::new();
        for code in &codes {
            let path = format!("locales/{code}.yaml");
            if let Some(f) = builtin_set.get(&path) {
                builtin.push(parse(&path, &f.bytes)?);
            }
            if let Some(f) = templates.get(&path)
                && let Origin::Override { path: shown, .. } = &f.origin
            {
                let shown = shown.display().to_string();
                let parsed = parse(&shown, &f.bytes)?;
                overrides.push((shown, parsed));
            }
        }
        Ok(Layers {
            english,
            builtin,
            overrides,
        })
    }

    /// Every layer, lowest precedence first.
    fn all(&self) -> impl Iterator<Item = &LocaleFile> {
        std::iter::once(&self.english)
            .chain(&self.builtin)
            .chain(self.overrides.iter().map(|(_, f)| f))
    }

    /// A setting from the highest layer that has it.
    fn pick<T: Clone>(&self, get: impl Fn(&LocaleFile) -> Option<&T>) -> Option<T> {
        self.all().filter_map(get).last().cloned()
    }
}

impl Locale {
    /// The locale for `lang`: English, then the built-in file for the language (for `es-PE`,
    /// `es.yaml` and then `es-PE.yaml`), then any override. Warnings list missing labels.
    pub fn load(
        templates: &TemplateSet,
        lang: &str,
    ) -> Result<(Locale, Vec<Diagnostic>), Diagnostic> {
        let layers = Layers::read(templates, lang)?;
        if layers.builtin.is_empty() && layers.overrides.is_empty() {
            return Err(
                Diagnostic::error(format!("no labels for language `{lang}`")).hint(format!(
                    "add templates/locales/{lang}.yaml in the assessment folder (copy locales/en.yaml from `deca templates export DIR` and translate it)"
                )),
            );
        }
        let mut warnings = Vec::new();
        let top_path = layers
            .overrides
            .last()
            .map(|(p, _)| p.clone())
            .unwrap_or_default();
        if layers.builtin.is_empty() {
            // A language deca does not ship: every label should come from the override.
            for key in layers.english.labels.keys() {
                if !layers
                    .overrides
                    .iter()
                    .any(|(_, f)| f.labels.contains_key(key))
                {
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
        for (path, f) in &layers.overrides {
            for key in f.labels.keys() {
                if !layers.english.labels.contains_key(key) {
                    warnings.push(
                        Diagnostic::warning(format!("unknown label `{key}` is ignored"))
                            .in_file(path)
                            .hint("compare the keys with locales/en.yaml"),
                    );
                }
            }
        }
        let mut labels = BTreeMap::new();
        for f in layers.all() {
            labels.extend(f.labels.clone());
        }
        let months = layers.pick(|f| f.months.as_ref()).unwrap_or_default();
        if months.len() != 12 {
            return Err(Diagnostic::error(format!(
                "`months` for `{lang}` must list 12 names, found {}",
                months.len()
            ))
            .in_file(&top_path));
        }
        // The direction from the language's files, else from its code (English does not say).
        let dir = match layers
            .builtin
            .iter()
            .chain(layers.overrides.iter().map(|(_, f)| f))
            .filter_map(|f| f.dir.as_deref())
            .next_back()
        {
            None => crate::direction::Dir::for_lang(lang),
            Some(s) => crate::direction::Dir::parse(s).ok_or_else(|| {
                Diagnostic::error(format!("unknown text direction `dir: {s}` for `{lang}`"))
                    .in_file(&top_path)
                    .hint("write `dir: rtl` (right to left) or `dir: ltr`")
            })?,
        };
        // A region in the code (`es-PE`) is the region; otherwise the files say.
        let region = match lang.split_once('-') {
            Some((_, r)) => Some(r.to_string()),
            None => layers.pick(|f| f.region.as_ref()),
        };
        let text = |get: fn(&LocaleFile) -> Option<&String>| layers.pick(get).unwrap_or_default();
        let locale = Locale {
            dir,
            lang: lang.to_string(),
            name: text(|f| f.name.as_ref()),
            region,
            date_format: text(|f| f.date_format.as_ref()),
            month_year_format: text(|f| f.month_year_format.as_ref()),
            months,
            decimal: text(|f| f.decimal_separator.as_ref()),
            thousands: text(|f| f.thousands_separator.as_ref()),
            percent_format: text(|f| f.percent_format.as_ref()),
            min_grouping: layers
                .pick(|f| f.minimum_grouping_digits.as_ref())
                .unwrap_or(1),
            quotes: layers
                .pick(|f| f.quotes.as_ref())
                .unwrap_or_else(|| ["“", "”", "‘", "’"].map(String::from)),
            labels,
        };
        Ok((locale, warnings))
    }

    /// The language without its region, as Typst and Word name it: `es` for `es-PE`.
    pub fn primary_language(&self) -> &str {
        primary_language(&self.lang)
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

    /// A numbered item and its title with the language's punctuation: "Finding 3: Title",
    /// "Constatation 3\u{202f}: Titre".
    pub fn numbered_title(&self, numbered: &str, title: &str) -> String {
        self.fmt("numbered-title", &[("label", numbered), ("title", title)])
    }

    /// A label and its value: "Men: 51%" (alt texts, lead-ins).
    pub fn label_value(&self, label: &str, value: &str) -> String {
        self.fmt("label-value", &[("label", label), ("value", value)])
    }

    /// Items joined with the language's comma: "a, b" ("a، b" in Arabic).
    pub fn comma_list(&self, items: &[String]) -> String {
        items.join(&self.label("comma"))
    }

    /// Items joined with the language's semicolon: "a; b" ("a\u{202f}; b" in French).
    pub fn semicolon_list(&self, items: &[String]) -> String {
        items.join(&self.label("semicolon"))
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
mod tests;
