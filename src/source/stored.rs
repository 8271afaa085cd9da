//! Parsed trees in a compact binary form (postcard), so a build can keep the trees of files
//! that loaded without a single problem and read them back instead of parsing the YAML again
//! (see `build::checked`). Every node keeps both of its parser locations, so values loaded from
//! a stored tree point at the same bytes as values loaded from the text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::FileKind;
use super::node::{Kind, Node, RawLocation};

/// Trees by the file they were parsed from.
pub type Trees = BTreeMap<FileKind, Node>;

#[derive(Serialize, Deserialize)]
struct Stored {
    kind: StoredKind,
    at: RawLocation,
    /// Where an alias's anchor is; `None` when it is where the node is used (nearly always).
    defined: Option<RawLocation>,
}

#[derive(Serialize, Deserialize)]
enum StoredKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Stored>),
    Map(Vec<(Stored, Stored)>),
}

fn store(node: &Node) -> Stored {
    let kind = match &node.kind {
        Kind::Null => StoredKind::Null,
        Kind::Bool(b) => StoredKind::Bool(*b),
        Kind::Int(i) => StoredKind::Int(*i),
        Kind::Float(f) => StoredKind::Float(*f),
        Kind::Str(s) => StoredKind::Str(s.clone()),
        Kind::Seq(items) => StoredKind::Seq(items.iter().map(store).collect()),
        Kind::Map(entries) => {
            StoredKind::Map(entries.iter().map(|(k, v)| (store(k), store(v))).collect())
        }
    };
    Stored {
        kind,
        at: node.at,
        defined: (node.defined != node.at).then_some(node.defined),
    }
}

fn restore(stored: Stored) -> Node {
    let kind = match stored.kind {
        StoredKind::Null => Kind::Null,
        StoredKind::Bool(b) => Kind::Bool(b),
        StoredKind::Int(i) => Kind::Int(i),
        StoredKind::Float(f) => Kind::Float(f),
        StoredKind::Str(s) => Kind::Str(s),
        StoredKind::Seq(items) => Kind::Seq(items.into_iter().map(restore).collect()),
        StoredKind::Map(entries) => Kind::Map(
            entries
                .into_iter()
                .map(|(k, v)| (restore(k), restore(v)))
                .collect(),
        ),
    };
    Node {
        kind,
        span: stored.at.byte_span(),
        at: stored.at,
        defined: stored.defined.unwrap_or(stored.at),
    }
}

/// The trees as bytes.
pub fn to_bytes(trees: &Trees) -> Vec<u8> {
    let stored: Vec<(FileKind, Stored)> = trees.iter().map(|(k, n)| (*k, store(n))).collect();
    postcard::to_stdvec(&stored).expect("a tree serializes")
}

/// The trees again, or `None` for bytes that are not stored trees (a damaged cache entry).
pub fn from_bytes(bytes: &[u8]) -> Option<Trees> {
    let stored: Vec<(FileKind, Stored)> = postcard::from_bytes(bytes).ok()?;
    Some(stored.into_iter().map(|(k, s)| (k, restore(s))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use crate::source;

    #[test]
    fn a_tree_comes_back_whole_with_its_locations() {
        let text = "\
priorities:
  - id: &id p1
    title: &t {en: Roads, \"es\": Caminos}
    description: *t
    n: [1, -2.5, null, true, '007']
";
        let file = SourceFile::new("priorities.yaml", text.to_string());
        let tree = source::parse_tree(&file).unwrap().unwrap();
        let trees: Trees = [(FileKind::Priorities, tree)].into_iter().collect();
        let back = from_bytes(&to_bytes(&trees)).expect("reads back");
        assert_eq!(back, trees);
    }

    #[test]
    fn damaged_bytes_read_as_nothing() {
        let file = SourceFile::new("theme.yaml", "colours: {primary: '#123456'}\n".to_string());
        let tree = source::parse_tree(&file).unwrap().unwrap();
        let bytes = to_bytes(&[(FileKind::Theme, tree)].into_iter().collect());
        assert!(from_bytes(&bytes[..bytes.len() / 2]).is_none());
        assert!(from_bytes(b"not a tree").is_none());
    }
}
