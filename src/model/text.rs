//! Translatable text: a field is either a plain string in the assessment's default language or
//! a map from language code to string. Plain text and Markdown (rich) text share the shape and
//! differ only in how they are rendered, so the schema tells editors which is which.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A text field as written in the YAML: one string, or one string per language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Text {
    /// Text in the assessment's default language.
    Plain(String),
    /// Text per language code (`en`, `es`, ...).
    Translated(BTreeMap<String, String>),
}

impl Default for Text {
    fn default() -> Self {
        Text::Plain(String::new())
    }
}

/// Where a text came from when it was resolved for a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// The requested language was present.
    Exact,
    /// The requested language was missing; the default language was used instead.
    Fallback,
    /// Neither the requested nor the default language was present.
    Missing,
}

/// Whether a string is a language code: `es`, `en`, `es-PE`.
pub fn is_language_code(s: &str) -> bool {
    let (lang, region) = match s.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (s, None),
    };
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && region.is_none_or(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()))
}

/// The language code someone most likely meant: `en` for `EN`, `es-PE` for `es_pe`. `None`
/// when `s` is already a code or no spelling of it is.
pub fn language_code_fix(s: &str) -> Option<String> {
    let (lang, region) = match s.split_once(['-', '_']) {
        Some((l, r)) => (l, Some(r)),
        None => (s, None),
    };
    let mut fixed = lang.to_ascii_lowercase();
    if let Some(r) = region {
        fixed.push('-');
        fixed.push_str(&r.to_ascii_uppercase());
    }
    (fixed != s && is_language_code(&fixed)).then_some(fixed)
}

/// Whether documents can carry a character (Word files are XML; PDFs have no use for control
/// characters either).
pub fn xml_char(c: char) -> bool {
    // XML 1.0's characters, less the C1 controls and DEL it discourages: control characters
    // carry no text, and renderers drop them unpredictably.
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The characters of `s` that no document can carry.
pub fn illegal_chars(s: &str) -> Vec<char> {
    let mut out: Vec<char> = s.chars().filter(|c| !xml_char(*c)).collect();
    out.dedup();
    out
}

/// `s` without the characters no document can carry.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().all(xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|c| xml_char(*c)).collect())
    }
}

impl Text {
    /// The text for `lang`, falling back to `default_lang` (and then to any language at all),
    /// without characters XML cannot carry (validation warns about those).
    pub fn get<'a>(&'a self, lang: &str, default_lang: &str) -> (Cow<'a, str>, Resolved) {
        let (text, how) = self.get_raw(lang, default_lang);
        let clean = match text {
            Cow::Borrowed(s) => sanitize(s),
            Cow::Owned(s) => Cow::Owned(sanitize(&s).into_owned()),
        };
        (clean, how)
    }

    fn get_raw<'a>(&'a self, lang: &str, default_lang: &str) -> (Cow<'a, str>, Resolved) {
        match self {
            Text::Plain(s) if lang == default_lang => (Cow::Borrowed(s), Resolved::Exact),
            Text::Plain(s) => (Cow::Borrowed(s), Resolved::Fallback),
            Text::Translated(map) => {
                if let Some(s) = map.get(lang) {
                    (Cow::Borrowed(s), Resolved::Exact)
                } else if let Some(s) = map.get(default_lang) {
                    (Cow::Borrowed(s), Resolved::Fallback)
                } else if let Some(s) = map.values().next() {
                    (Cow::Borrowed(s), Resolved::Missing)
                } else {
                    (Cow::Borrowed(""), Resolved::Missing)
                }
            }
        }
    }

    /// The text in `lang` only, without any fallback.
    pub fn exact(&self, lang: &str, default_lang: &str) -> Option<&str> {
        match self {
            Text::Plain(s) => (lang == default_lang).then_some(s.as_str()),
            Text::Translated(map) => map.get(lang).map(String::as_str),
        }
    }

    /// Every (language, string) pair the field carries; a plain string counts as the default language.
    pub fn variants<'a>(&'a self, default_lang: &'a str) -> Vec<(&'a str, &'a str)> {
        match self {
            Text::Plain(s) => vec![(default_lang, s.as_str())],
            Text::Translated(map) => map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect(),
        }
    }
}

fn text_schema(generator: &mut schemars::SchemaGenerator, description: &str) -> schemars::Schema {
    let _ = generator;
    schemars::json_schema!({
        "description": description,
        "anyOf": [
            { "type": "string" },
            {
                "type": "object",
                "description": "The text per language code, e.g. `en:` and `es:`.",
                "propertyNames": { "pattern": "^[a-z]{2,3}(-[A-Z]{2})?$" },
                "additionalProperties": { "type": "string" },
                "minProperties": 1
            }
        ]
    })
}

impl JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        text_schema(
            generator,
            "Plain text: a string in the default language, or a map of language code to string.",
        )
    }
}

/// Rich text: the same shape as [`Text`], but the strings are a small Markdown subset.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(transparent)]
pub struct Rich(pub Text);

impl JsonSchema for Rich {
    fn schema_name() -> Cow<'static, str> {
        "RichText".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        text_schema(
            generator,
            "Rich text (Markdown subset: paragraphs, *emphasis*, **strong**, links, lists, \
             footnotes, [@source-id] citations): a string in the default language, or a map of \
             language code to string.",
        )
    }
}

impl std::ops::Deref for Rich {
    type Target = Text;
    fn deref(&self) -> &Text {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_the_default_language_and_a_fallback_for_others() {
        let t = Text::Plain("Hello".into());
        assert_eq!(t.get("en", "en"), (Cow::Borrowed("Hello"), Resolved::Exact));
        assert_eq!(
            t.get("es", "en"),
            (Cow::Borrowed("Hello"), Resolved::Fallback)
        );
        assert_eq!(t.exact("es", "en"), None);
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("es"));
        assert!(is_language_code("es-PE"));
        assert!(!is_language_code("Spanish"));
        assert!(!is_language_code("ES"));
        assert_eq!(language_code_fix("EN").as_deref(), Some("en"));
        assert_eq!(language_code_fix("es_pe").as_deref(), Some("es-PE"));
        assert_eq!(language_code_fix("en"), None);
        assert_eq!(language_code_fix("Spanish"), None);
    }

    #[test]
    fn control_characters_are_dropped() {
        let t = Text::Plain("a\u{7}b\u{0}c\td".into());
        assert_eq!(t.get("en", "en").0, "abc\td");
        assert_eq!(illegal_chars("a\u{7}\u{7}b"), vec!['\u{7}']);
    }

    #[test]
    fn translated_text_prefers_the_requested_language() {
        let t = Text::Translated(BTreeMap::from([
            ("en".to_string(), "Hello".to_string()),
            ("es".to_string(), "Hola".to_string()),
        ]));
        assert_eq!(t.get("es", "en").0, "Hola");
        assert_eq!(
            t.get("fr", "en"),
            (Cow::Borrowed("Hello"), Resolved::Fallback)
        );
    }
}
