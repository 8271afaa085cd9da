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

impl Text {
    /// The text for `lang`, falling back to `default_lang` (and then to any language at all).
    pub fn get<'a>(&'a self, lang: &str, default_lang: &str) -> (Cow<'a, str>, Resolved) {
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
