//! Locales: dates, numbers, punctuation and direction per language, and how files combine.

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
fn french_portuguese_and_arabic_dates_and_numbers() {
    let d = time::macros::date!(2026 - 08 - 01);
    assert_eq!(locale("fr").date(d), "1 août 2026");
    assert_eq!(locale("pt").date(d), "1 de agosto de 2026");
    assert_eq!(locale("ar").date(d), "1 أغسطس 2026");
    assert_eq!(locale("fr").month_year(d), "août 2026");
    assert_eq!(
        locale("fr").number(1234567.891, 1),
        "1\u{202f}234\u{202f}567,9"
    );
    assert_eq!(locale("pt").number(1234567.891, 1), "1.234.567,9");
    assert_eq!(locale("ar").number(1234567.891, 1), "1,234,567.9");
    assert_eq!(
        locale("fr").value(89.2, ValueFormat::Percent, 1),
        "89,2\u{202f}%"
    );
    assert_eq!(locale("pt").value(89.2, ValueFormat::Percent, 1), "89,2%");
}

#[test]
fn punctuation_comes_from_the_locale() {
    assert_eq!(
        locale("en").numbered_title("Finding 3", "Roads"),
        "Finding 3: Roads"
    );
    assert_eq!(
        locale("fr").numbered_title("Constatation 3", "Routes"),
        "Constatation 3\u{202f}: Routes"
    );
    let items = ["a".to_string(), "b".to_string()];
    assert_eq!(locale("fr").semicolon_list(&items), "a\u{202f}; b");
    assert_eq!(locale("ar").comma_list(&items), "a، b");
    assert_eq!(locale("en").label_value("Men", "51%"), "Men: 51%");
}

#[test]
fn arabic_is_right_to_left() {
    assert_eq!(locale("ar").dir, crate::direction::Dir::Rtl);
    assert_eq!(locale("fr").dir, crate::direction::Dir::Ltr);
}

/// French puts a narrow no-break space before `:` and `;` in every label, never a plain
/// or a no-break space, and never none.
#[test]
fn french_labels_space_their_colons_and_semicolons() {
    for (key, value) in &locale("fr").labels {
        for (i, c) in value.char_indices() {
            if matches!(c, ':' | ';' | '!' | '?') {
                let before = value[..i].chars().next_back();
                assert_eq!(before, Some('\u{202f}'), "fr label `{key}`: {value:?}");
            }
        }
    }
}

#[test]
fn every_built_in_locale_has_every_english_label_and_twelve_months() {
    let en = locale("en");
    let set = TemplateSet::builtin();
    let mut langs = Vec::new();
    for path in set.files.keys() {
        let Some(lang) = path
            .strip_prefix("locales/")
            .and_then(|p| p.strip_suffix(".yaml"))
        else {
            continue;
        };
        langs.push(lang.to_string());
        let file = parse(path, &set.files[path].bytes).unwrap();
        for key in en.labels.keys() {
            assert!(file.labels.contains_key(key), "{lang} lacks {key}");
        }
        let (l, warnings) = Locale::load(&set, lang).unwrap();
        assert!(warnings.is_empty(), "{lang}: {warnings:?}");
        assert_eq!(l.months.len(), 12);
    }
    assert!(langs.len() >= 5, "{langs:?}");
}

#[test]
fn a_language_with_a_region_uses_its_language_file() {
    let l = locale("fr-CA");
    assert_eq!(l.lang, "fr-CA");
    assert_eq!(l.primary_language(), "fr");
    assert_eq!(l.region.as_deref(), Some("CA"));
    assert_eq!(l.label("finding"), "Constatation");
}

#[test]
fn an_unknown_language_without_a_file_is_an_error() {
    let err = Locale::load(&TemplateSet::builtin(), "sw").unwrap_err();
    assert_eq!(err.message, "no labels for language `sw`");
    assert_eq!(
        err.hint.as_deref(),
        Some(
            "add templates/locales/sw.yaml in the assessment folder (copy locales/en.yaml from `deca templates export DIR` and translate it)"
        )
    );
}
