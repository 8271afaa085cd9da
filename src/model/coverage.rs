//! Glyph coverage: text that no available font can display, found before any document is
//! made. Typst would otherwise stop the PDF export with one error per character and no hint of
//! which field holds it, or, without PDF standards, print empty boxes in silence.
//!
//! Every text field of every language is read (through the same walk as validation); each
//! field with characters that no font in the book covers gets one diagnostic at the first such
//! character, naming the scripts and what to install or configure.

use std::cell::Cell;
use std::collections::BTreeSet;

use typst::text::FontBook;
use unicode_script::{Script, UnicodeScript};

use super::Assessment;
use super::text::Text;
use super::visit::{self, Parts};
use crate::diag::{Diagnostic, Location, Severity};

/// At most this many missing characters are listed in a message.
const LISTED: usize = 5;

/// Characters below this are looked up in the font book once per check.
const TABLE: u32 = 0x800;

/// One diagnostic per text field holding characters no font in `book` can display, as errors
/// or (when the PDF carries no standard that forbids missing glyphs) as warnings.
pub(crate) fn check(a: &Assessment, book: &FontBook, severity: Severity) -> Vec<Diagnostic> {
    let parts = Parts {
        meta: Some(&a.meta),
        priorities: Some(&a.priorities),
        findings: Some(&a.findings),
        recommendations: Some(&a.recommendations),
        indicators: Some(&a.indicators),
        sources: Some(&a.sources),
        theme: Some(&a.theme),
    };
    let in_book = |c: u32| {
        (0..)
            .map_while(|i| book.info(i))
            .any(|f| f.coverage.contains(c))
    };
    // Nearly every character of an assessment is below U+0800 (Latin, Greek, Cyrillic,
    // Hebrew, Arabic): each of those is looked up on its first occurrence only.
    let known: Vec<Cell<Option<bool>>> = (0..TABLE).map(|_| Cell::new(None)).collect();
    let covered = |c: char| match known.get(c as usize) {
        Some(slot) => slot.get().unwrap_or_else(|| {
            let found = in_book(c as u32);
            slot.set(Some(found));
            found
        }),
        None => in_book(c as u32),
    };
    // Text in printable ASCII alone, most of an English assessment, needs no look-up at all
    // when the fonts cover that range.
    let ascii_covered = (0x21..0x7f).all(|c| covered(char::from(c)));
    let mut out = Vec::new();
    for field in visit::texts(parts) {
        for (lang, s) in field.text.variants(a.default_lang()) {
            if ascii_covered && s.is_ascii() {
                continue;
            }
            let missing = missing_chars(s, &covered);
            if missing.is_empty() {
                continue;
            }
            let at = a
                .files
                .get(&field.kind)
                .map(|f| super::yaml_location(f, &field.at))
                .and_then(|at| {
                    super::fields::find_nth(Some(&at), missing[0].encode_utf8(&mut [0; 4]), 0)
                        .or(Some(at))
                });
            let lang_note = match field.text {
                Text::Translated(_) => format!(" (`{lang}`)"),
                Text::Plain(_) => String::new(),
            };
            out.push(diagnostic(&field.path, &lang_note, &missing, at, severity));
        }
    }
    out
}

/// The distinct characters of `s` that need a glyph and that no font covers, in order.
pub(crate) fn missing_chars(s: &str, covered: &impl Fn(char) -> bool) -> Vec<char> {
    let mut seen = BTreeSet::new();
    s.chars()
        .filter(|c| needs_glyph(*c) && !covered(*c) && seen.insert(*c))
        .collect()
}

/// Whether a character is drawn. White space, controls and the default-ignorable code points
/// (joiners, variation selectors, bidi marks, soft hyphens) are shaped away, so no font needs
/// them.
fn needs_glyph(c: char) -> bool {
    if c.is_whitespace() || c.is_control() {
        return false;
    }
    // Default_Ignorable_Code_Point, Unicode 15 (DerivedCoreProperties.txt).
    !matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// What readers call a character's script, for messages.
fn script_name(c: char) -> &'static str {
    match c.script() {
        Script::Common => "symbol",
        Script::Inherited => "combining",
        Script::Unknown => "unassigned or private-use",
        s => s.full_name(),
    }
}

fn is_cjk(c: char) -> bool {
    matches!(
        c.script(),
        Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo
    )
}

fn diagnostic(
    path: &str,
    lang_note: &str,
    missing: &[char],
    at: Option<Location>,
    severity: Severity,
) -> Diagnostic {
    let mut scripts: Vec<&str> = Vec::new();
    for c in missing {
        let s = script_name(*c);
        if !scripts.contains(&s) {
            scripts.push(s);
        }
    }
    let scripts = match scripts.as_slice() {
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => unreachable!("a diagnostic is made for missing characters"),
    };
    let mut listed: Vec<String> = missing
        .iter()
        .take(LISTED)
        .map(|c| format!("{c} (U+{:04X})", *c as u32))
        .collect();
    if missing.len() > LISTED {
        listed.push(format!("and {} more", missing.len() - LISTED));
    }
    let what = format!(
        "no font can display the {scripts} characters in {path}{lang_note}: {}",
        listed.join(", ")
    );
    let add = "copy the font file into the assessment's templates/fonts/ folder";
    let hint = if missing.iter().any(|c| is_cjk(*c)) {
        format!(
            "CJK fonts are not bundled (about 20 MB a weight): install one (Debian: `apt install fonts-noto-cjk`) and pass its folder with `--font-path /usr/share/fonts/opentype/noto` (or DECA_FONT_PATH), or {add}"
        )
    } else if missing.iter().all(|c| c.script() == Script::Unknown) {
        format!(
            "these characters show only in the font they were made for: pass its folder with `--font-path DIR` or {add}, or remove them"
        )
    } else {
        let first = missing
            .iter()
            .map(|c| script_name(*c))
            .find(|s| !matches!(*s, "symbol" | "combining" | "unassigned or private-use"))
            .unwrap_or("Symbols");
        format!(
            "install a font that covers them (the Noto family has one for most scripts, e.g. Noto Sans {first}) and pass its folder with `--font-path DIR`, or {add}"
        )
    };
    let d = match severity {
        Severity::Error => Diagnostic::error(what),
        Severity::Warning => Diagnostic::warning(format!("{what}; they print as empty boxes")),
    };
    d.at_opt(at).label("no font has this character").hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_joiners_and_variation_selectors_need_no_glyph() {
        let none = |_: char| false;
        assert_eq!(
            missing_chars("a\u{200D}\u{FE0F}\u{00AD} \t\u{200F}b", &none),
            vec!['a', 'b']
        );
    }

    #[test]
    fn each_missing_character_is_listed_once_in_order() {
        let latin = |c: char| c.is_ascii();
        assert_eq!(missing_chars("漢a字漢", &latin), vec!['漢', '字']);
    }

    #[test]
    fn the_message_names_the_scripts_and_the_cjk_hint_names_the_font_path() {
        let d = diagnostic(
            "`title` of finding 1 (`x`)",
            "",
            &['漢', '가'],
            None,
            Severity::Error,
        );
        assert_eq!(
            d.message,
            "no font can display the Han and Hangul characters in `title` of finding 1 (`x`): 漢 (U+6F22), 가 (U+AC00)"
        );
        assert!(
            d.hint
                .unwrap()
                .contains("--font-path /usr/share/fonts/opentype/noto")
        );
        let w = diagnostic("`title`", " (`am`)", &['\u{E000}'], None, Severity::Warning);
        assert_eq!(
            w.message,
            "no font can display the unassigned or private-use characters in `title` (`am`): \u{E000} (U+E000); they print as empty boxes"
        );
    }

    #[test]
    fn long_lists_are_cut_short() {
        let many: Vec<char> = "一二三四五六七".chars().collect();
        let d = diagnostic("t", "", &many, None, Severity::Error);
        assert!(
            d.message.ends_with("五 (U+4E94), and 2 more"),
            "{}",
            d.message
        );
    }
}
