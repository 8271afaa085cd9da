//! Text direction: which languages are written right to left, and which characters are. A
//! language's direction comes from `dir:` in its locale file, or else from its code, so an
//! assessment in Arabic, Hebrew, Persian, Urdu, Pashto, Dhivehi or Yiddish is laid out right
//! to left without any setting.

use serde::Serialize;

/// The direction a document's text runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    Ltr,
    Rtl,
}

/// Language codes written right to left by default.
pub(crate) const RTL_LANGUAGES: &[&str] = &["ar", "he", "fa", "ur", "ps", "dv", "yi"];

impl Dir {
    /// The default direction of a language code (`ar`, `ar-EG`, `he`).
    pub fn for_lang(lang: &str) -> Dir {
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        if RTL_LANGUAGES.contains(&base.to_ascii_lowercase().as_str()) {
            Dir::Rtl
        } else {
            Dir::Ltr
        }
    }

    /// A locale file's `dir:` value.
    pub fn parse(s: &str) -> Option<Dir> {
        match s {
            "ltr" => Some(Dir::Ltr),
            "rtl" => Some(Dir::Rtl),
            _ => None,
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Dir::Rtl
    }
}

/// Whether a character is strongly right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and the
/// other RTL blocks, with their presentation forms).
pub(crate) fn is_rtl_char(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF
        | 0x1E800..=0x1EFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_hebrew_and_their_regions_are_right_to_left() {
        for l in ["ar", "ar-EG", "he", "fa", "ur", "ps", "dv", "yi"] {
            assert_eq!(Dir::for_lang(l), Dir::Rtl, "{l}");
        }
        for l in ["en", "es", "fr", "am", "hi", "zh", "arn"] {
            assert_eq!(Dir::for_lang(l), Dir::Ltr, "{l}");
        }
    }

    #[test]
    fn rtl_characters_are_hebrew_and_arabic_not_latin_or_digits() {
        assert!(is_rtl_char('ש') && is_rtl_char('م') && is_rtl_char('ﻻ'));
        assert!(!is_rtl_char('a') && !is_rtl_char('1') && !is_rtl_char('ሰ'));
    }
}
