//! Typed values read from a parsed node tree, so a file is parsed as YAML once: the structural
//! check needs the tree, and the typed load reads the same tree instead of the text again.
//!
//! The tree keeps every node's source locations, so `Spanned` values come out exactly as the
//! YAML deserializer makes them (a test compares both on every fixture). Anything this reader
//! does not take (a type mismatch, an unknown field) is an error, and the caller then reads the
//! text with the YAML deserializer, whose message and location are the ones users see. So the
//! reader only has to be right on data that loads; it never decides what an error says.

use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};

use super::node::{Kind, Node, RawLocation};

/// How serde-saphyr names `Spanned<T>` to its deserializer, and the key that marks its
/// synthesized `{value, referenced, defined}` map. Both are private to serde-saphyr: if a
/// release changes them, `Spanned` values fail to load from the tree, the text is read instead,
/// and the test comparing both paths fails.
const SPANNED: &str = "__yaml_spanned";
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

/// Why the tree could not be read as the type; the caller reads the text instead.
#[derive(Debug)]
pub(super) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Reads a value of type `T` from the tree.
pub(super) fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, Error> {
    T::deserialize(NodeDe(node))
}

struct NodeDe<'a>(&'a Node);

impl<'de> Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match &self.0.kind {
            Kind::Null => v.visit_unit(),
            Kind::Bool(b) => v.visit_bool(*b),
            Kind::Int(i) => v.visit_i64(*i),
            Kind::Float(f) => v.visit_f64(*f),
            Kind::Str(s) => v.visit_str(s),
            Kind::Seq(items) => v.visit_seq(Seq(items.iter())),
            Kind::Map(entries) => v.visit_map(Map {
                entries: entries.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0.kind {
            Kind::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0.kind {
            Kind::Null => v.visit_unit(),
            _ => Err(Error("expected null".to_string())),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        if name == SPANNED {
            v.visit_newtype_struct(SpannedDe(self.0))
        } else {
            v.visit_newtype_struct(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        match &self.0.kind {
            Kind::Str(s) => v.visit_enum(IntoDeserializer::<Error>::into_deserializer(s.as_str())),
            _ => Err(Error("expected a variant name".to_string())),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct Seq<'a>(std::slice::Iter<'a, Node>);

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0
            .next()
            .map(|n| seed.deserialize(NodeDe(n)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'a> {
    entries: std::slice::Iter<'a, (Node, Node)>,
    value: Option<&'a Node>,
}

impl<'de> de::MapAccess<'de> for Map<'_> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(NodeDe(k)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let v = self
            .value
            .take()
            .ok_or_else(|| Error("a value without its key".to_string()))?;
        seed.deserialize(NodeDe(v))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A node as the `{marker, value, referenced, defined}` map `Spanned<T>` reads.
struct SpannedDe<'a>(&'a Node);

impl<'de> Deserializer<'de> for SpannedDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_map(SpannedMap {
            node: self.0,
            state: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct SpannedMap<'a> {
    node: &'a Node,
    state: u8,
}

impl<'de> de::MapAccess<'de> for SpannedMap<'_> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let key = match self.state {
            0 => SPANNED_MARKER,
            1 => "value",
            2 => "referenced",
            3 => "defined",
            _ => return Ok(None),
        };
        self.state += 1;
        let key: StrDeserializer<Error> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.state {
            1 => seed.deserialize(IntoDeserializer::<Error>::into_deserializer(true)),
            2 => seed.deserialize(NodeDe(self.node)),
            3 => seed.deserialize(LocationDe(self.node.at)),
            4 => seed.deserialize(LocationDe(self.node.defined)),
            _ => Err(Error("a value without its key".to_string())),
        }
    }
}

/// A location as the `{line, column, span, source_id}` map `Location` reads (its constructor
/// is private to serde-saphyr).
struct LocationDe(RawLocation);

impl<'de> Deserializer<'de> for LocationDe {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = self.0;
        v.visit_map(LocationMap {
            fields: [
                Field::Int(r.line),
                Field::Int(r.column),
                Field::Span(r.offset, r.len, r.byte_info),
                Field::Int(u64::from(r.source_id)),
            ],
            state: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

#[derive(Clone, Copy)]
enum Field {
    Int(u64),
    Span(u64, u64, (u64, u64)),
}

struct LocationMap {
    fields: [Field; 4],
    state: usize,
}

const LOCATION_KEYS: [&str; 4] = ["line", "column", "span", "source_id"];

impl<'de> de::MapAccess<'de> for LocationMap {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(key) = LOCATION_KEYS.get(self.state) else {
            return Ok(None);
        };
        self.state += 1;
        let key: StrDeserializer<Error> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.fields[self.state - 1] {
            Field::Int(n) => seed.deserialize(IntoDeserializer::<Error>::into_deserializer(n)),
            Field::Span(offset, len, (bo, bl)) => {
                let map = [
                    ("offset", SpanValue::Int(offset)),
                    ("len", SpanValue::Int(len)),
                    ("byte_info", SpanValue::Pair(bo, bl)),
                ];
                seed.deserialize(de::value::MapDeserializer::new(map.into_iter()))
            }
        }
    }
}

/// A value inside a span: a number, or the `(byte offset, byte length)` pair.
enum SpanValue {
    Int(u64),
    Pair(u64, u64),
}

impl<'de> IntoDeserializer<'de, Error> for SpanValue {
    type Deserializer = SpanValueDe;

    fn into_deserializer(self) -> SpanValueDe {
        SpanValueDe(self)
    }
}

struct SpanValueDe(SpanValue);

impl<'de> Deserializer<'de> for SpanValueDe {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            SpanValue::Int(n) => v.visit_u64(n),
            SpanValue::Pair(a, b) => v.visit_seq(de::value::SeqDeserializer::<_, Error>::new(
                [a, b].into_iter(),
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use serde::de::DeserializeOwned;

    use super::from_node;
    use crate::diag::SourceFile;
    use crate::model::raw;
    use crate::source::{self, FileKind, Node};

    /// The value read from the tree, and the one read from the text, as their debug forms
    /// (which print every `Spanned` location).
    fn both<T: DeserializeOwned + std::fmt::Debug>(
        file: &Arc<SourceFile>,
        tree: &Node,
    ) -> (Result<String, String>, Result<String, String>) {
        let from_tree = from_node::<T>(tree)
            .map(|v| format!("{v:?}"))
            .map_err(|e| e.to_string());
        let from_text = source::load_typed::<T>(file)
            .map(|v| format!("{v:?}"))
            .map_err(|d| d.message);
        (from_tree, from_text)
    }

    fn compare(
        kind: FileKind,
        file: &Arc<SourceFile>,
        tree: &Node,
    ) -> (Result<String, String>, Result<String, String>) {
        match kind {
            FileKind::Assessment => both::<raw::AssessmentFile>(file, tree),
            FileKind::Priorities => both::<raw::PrioritiesFile>(file, tree),
            FileKind::Findings => both::<raw::FindingsFile>(file, tree),
            FileKind::Recommendations => both::<raw::RecommendationsFile>(file, tree),
            FileKind::Indicators => both::<raw::IndicatorsFile>(file, tree),
            FileKind::Sources => both::<raw::SourcesFile>(file, tree),
            FileKind::Theme => both::<raw::ThemeFile>(file, tree),
        }
    }

    /// Every data file of every valid assessment in the repository.
    fn data_files() -> Vec<std::path::PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("data/peru")];
        for d in ["base", "arabic", "marenland"] {
            dirs.push(root.join("tests/fixtures").join(d));
        }
        let invalid = root.join("tests/fixtures/invalid");
        for e in std::fs::read_dir(&invalid).unwrap() {
            dirs.push(e.unwrap().path());
        }
        let mut files = Vec::new();
        for d in dirs {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "yaml") {
                    files.push(p);
                }
            }
        }
        files.sort();
        files
    }

    #[test]
    fn the_tree_loads_what_the_text_loads_with_the_same_locations() {
        let mut compared = 0;
        for path in data_files() {
            let Some(kind) = FileKind::from_file_name(&path.file_name().unwrap().to_string_lossy())
            else {
                continue;
            };
            let Ok(file) = source::read(&path, &path) else {
                continue;
            };
            let Ok(Some(tree)) = source::parse_tree(&file) else {
                continue;
            };
            let sound = crate::model::check_structure(&file, kind, Some(&tree))
                .iter()
                .all(|d| !d.is_error());
            if !sound {
                continue;
            }
            let (from_tree, from_text) = compare(kind, &file, &tree);
            let from_text = from_text.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                from_tree.as_deref(),
                Ok(from_text.as_str()),
                "{}",
                path.display()
            );
            compared += 1;
        }
        assert!(compared >= 30, "only {compared} files compared");
    }

    #[test]
    fn aliases_nulls_numbers_and_translations_load_alike() {
        let priorities = "\
priorities:
  - id: &id p1
    title: &t {en: Roads, es: Caminos}
    description: *t
  - &second
    id: p2
    title: *t
    description: |
      Two *lines*
      of text.
  - <<: *second
    id: p3
";
        let indicators = "\
indicators:
  - id: subscriptions
    label: Subscriptions
    unit: {en: per 100 people, es: por 100 personas}
    format: percent
    chart: line
    categories: ['2019', \"2020\", '2021']
    axis: null
    series:
      - label: Mobile
        values: [1, 2.5, null, -3e2]
    source: itu-2023
    key-figure: {category: 2, label: Latest}
";
        for (kind, text) in [
            (FileKind::Priorities, priorities),
            (FileKind::Indicators, indicators),
        ] {
            let file = SourceFile::new(kind.file_name(), text.to_string());
            let tree = source::parse_tree(&file).unwrap().unwrap();
            let (from_tree, from_text) = compare(kind, &file, &tree);
            assert!(from_text.is_ok(), "{from_text:?}");
            assert_eq!(from_tree, from_text);
        }
    }

    #[test]
    fn what_the_tree_cannot_load_is_read_from_the_text_with_its_message() {
        let file = SourceFile::new(
            "priorities.yaml",
            "priorities:\n  - id: p1\n    titel: Roads\n".to_string(),
        );
        let tree = source::parse_tree(&file).unwrap().unwrap();
        assert!(from_node::<raw::PrioritiesFile>(&tree).is_err());
        let via_tree =
            source::load_typed_from::<raw::PrioritiesFile>(&file, Some(&tree)).unwrap_err();
        let via_text = source::load_typed::<raw::PrioritiesFile>(&file).unwrap_err();
        assert_eq!(via_tree.message, via_text.message);
        assert_eq!(via_tree.position(), via_text.position());
        assert!(via_tree.message.contains("titel"), "{}", via_tree.message);
    }
}
