//! A YAML document as a tree of nodes that remember where they were written.
//!
//! The structural check needs every value with its position, and it needs to see duplicate keys
//! instead of stopping at the first. serde-saphyr parses into this tree (duplicates passed
//! through to us), and the tree converts to JSON for the schema validator while recording which
//! JSON pointer came from which bytes.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

/// A byte range in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset of the node's first byte.
    pub start: usize,
    /// Byte offset just past the node's last byte.
    pub end: usize,
}

/// One YAML node and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the node holds.
    pub kind: Kind,
    /// Where it was written.
    pub span: Span,
    /// The parser's location of the node where it is used (an alias's own place), for the
    /// typed load (`source::typed`).
    pub at: RawLocation,
    /// The parser's location where the node is defined (an alias's anchor).
    pub defined: RawLocation,
}

/// A parser location's parts as plain numbers: cheap to store (`source::stored`) and turned
/// back into a `Location` only where a typed value asks for one (`source::typed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RawLocation {
    pub(super) line: u64,
    pub(super) column: u64,
    pub(super) offset: u64,
    pub(super) len: u64,
    /// Byte offset and length; serde-saphyr marks "unknown" with its largest 32-bit index.
    pub(super) byte_info: (u64, u64),
    pub(super) source_id: u32,
}

impl RawLocation {
    /// The parts of a parser location.
    pub fn of(at: Location) -> RawLocation {
        let span = at.span();
        let unknown = u64::from(u32::MAX);
        RawLocation {
            line: at.line(),
            column: at.column(),
            offset: span.offset(),
            len: span.len(),
            byte_info: (
                span.byte_offset().unwrap_or(unknown),
                span.byte_len().unwrap_or(unknown),
            ),
            source_id: at.source_id(),
        }
    }

    /// The bytes the location covers (empty at 0 when the parser gave no byte offsets).
    pub fn byte_span(&self) -> Span {
        let unknown = u64::from(u32::MAX);
        let (offset, len) = self.byte_info;
        if offset == unknown || len == unknown {
            return Span::default();
        }
        Span {
            start: offset as usize,
            end: (offset + len) as usize,
        }
    }
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// A number with a fraction or exponent, or an integer too large for `i64`.
    Float(f64),
    /// A string, quoted or plain, after YAML's escapes.
    Str(String),
    /// A list, in source order.
    Seq(Vec<Node>),
    /// Entries in source order, duplicates included.
    Map(Vec<(Node, Node)>),
}

impl Kind {
    /// How the kind is named in messages: "a string", "a list", ...
    pub fn describe(&self) -> String {
        match self {
            Kind::Null => "null".to_string(),
            Kind::Bool(b) => format!("the boolean `{b}`"),
            Kind::Int(i) => format!("the number `{i}`"),
            Kind::Float(f) => format!("the number `{f}`"),
            Kind::Str(_) => "a string".to_string(),
            Kind::Seq(_) => "a list".to_string(),
            Kind::Map(_) => "a mapping".to_string(),
        }
    }
}

impl Node {
    /// The key as a string, as JSON would have it.
    pub fn key_string(&self) -> String {
        match &self.kind {
            Kind::Str(s) => s.clone(),
            Kind::Null => "null".to_string(),
            Kind::Bool(b) => b.to_string(),
            Kind::Int(i) => i.to_string(),
            Kind::Float(f) => f.to_string(),
            Kind::Seq(_) | Kind::Map(_) => "<complex key>".to_string(),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Kind>::deserialize(d)?;
        let at = RawLocation::of(spanned.referenced);
        Ok(Node {
            kind: spanned.value,
            span: at.byte_span(),
            at,
            defined: RawLocation::of(spanned.defined),
        })
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Kind, E> {
        Ok(Kind::Int(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Kind, E> {
        Ok(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Kind, E> {
        Ok(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Kind, E> {
        Ok(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Kind, E> {
        Ok(Kind::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Kind, E> {
        Ok(Kind::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Kind::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Kind::Map(entries))
    }
}

/// Where each JSON pointer's key and value were written.
#[derive(Debug, Default)]
pub struct Positions {
    /// Pointer → (span of the key that names it, if any; span of the value).
    pub spans: HashMap<String, (Option<Span>, Span)>,
}

impl Positions {
    /// The value's span for a pointer, or of its nearest ancestor that has one.
    pub fn value(&self, pointer: &str) -> Span {
        let mut p = pointer.to_string();
        loop {
            if let Some((_, v)) = self.spans.get(&p) {
                return *v;
            }
            match p.rfind('/') {
                Some(i) => p.truncate(i),
                None => return Span::default(),
            }
        }
    }

    /// The key's span for a pointer (falling back to the value's).
    pub fn key(&self, pointer: &str) -> Span {
        match self.spans.get(pointer) {
            Some((Some(k), _)) => *k,
            _ => self.value(pointer),
        }
    }
}

/// A duplicate key found while converting: the second occurrence and the first.
#[derive(Debug, Clone)]
pub struct DuplicateKey {
    /// The repeated key.
    pub key: String,
    /// Where the key first appears.
    pub first: Span,
    /// Where it appears again.
    pub second: Span,
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Converts the tree to JSON for the schema validator, recording positions and duplicate keys.
/// For a duplicate key the first value is kept, so every later error still has one place.
pub fn to_json(node: &Node) -> (serde_json::Value, Positions, Vec<DuplicateKey>) {
    let mut positions = Positions::default();
    let mut dups = Vec::new();
    positions.spans.insert(String::new(), (None, node.span));
    let value = convert(node, "", &mut positions, &mut dups);
    (value, positions, dups)
}

fn convert(
    node: &Node,
    pointer: &str,
    positions: &mut Positions,
    dups: &mut Vec<DuplicateKey>,
) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Int(i) => Value::from(*i),
        Kind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Kind::Str(s) => Value::String(s.clone()),
        Kind::Seq(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let p = format!("{pointer}/{i}");
                    positions.spans.insert(p.clone(), (None, item.span));
                    convert(item, &p, positions, dups)
                })
                .collect(),
        ),
        Kind::Map(entries) => {
            let mut map = serde_json::Map::new();
            let mut first_at: HashMap<String, Span> = HashMap::new();
            for (k, v) in entries {
                let key = k.key_string();
                if let Some(first) = first_at.get(&key) {
                    dups.push(DuplicateKey {
                        key,
                        first: *first,
                        second: k.span,
                    });
                    continue;
                }
                first_at.insert(key.clone(), k.span);
                let p = format!("{pointer}/{}", escape_segment(&key));
                positions.spans.insert(p.clone(), (Some(k.span), v.span));
                let value = convert(v, &p, positions, dups);
                map.insert(key, value);
            }
            Value::Object(map)
        }
    }
}
