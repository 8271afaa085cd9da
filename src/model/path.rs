//! How messages name a place in the data: "`timeframe` of recommendation 2
//! (`payment-rails`)", "action 3 of recommendation 1 (`village-access`)",
//! "`method.fieldwork.start`". Positions in lists count from 1, and an item with an id is named
//! by it too, so a person finds the place without counting from zero.

use std::fmt;

/// One step into the data.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    /// A position in a list (from 0) and the item's id, if it has one.
    Index(usize, Option<String>),
}

/// A place in one file's data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(Vec<Seg>);

/// Lists whose entries are ids of other items: their entries are not the items themselves.
const REFERENCE_LISTS: [&str; 5] = [
    "findings",
    "priorities",
    "indicators",
    "sources",
    "recommendations",
];

/// The word for one item of a list.
fn singular(list: &str) -> String {
    match list {
        "priorities" => "priority".into(),
        "categories" => "category".into(),
        "series" => "series".into(),
        "team" => "team member".into(),
        "" => "item".into(),
        l => l.strip_suffix('s').unwrap_or(l).replace('-', " "),
    }
}

impl FieldPath {
    /// The whole file.
    pub fn root() -> FieldPath {
        FieldPath::default()
    }

    /// A field of this place.
    pub fn key(mut self, key: &str) -> FieldPath {
        self.0.push(Seg::Key(key.to_string()));
        self
    }

    /// An item of the list at this place, by position from 0, with its id if it has one.
    pub fn index(mut self, i: usize, id: Option<&str>) -> FieldPath {
        self.0.push(Seg::Index(i, id.map(str::to_string)));
        self
    }

    /// The place a JSON pointer (`/recommendations/1/title`) names, with each item's `id`
    /// read from the data.
    pub fn from_pointer(pointer: &str, data: &serde_json::Value) -> FieldPath {
        let mut path = FieldPath::root();
        let mut at = String::new();
        for seg in pointer.split('/').skip(1) {
            at.push('/');
            at.push_str(seg);
            let seg = seg.replace("~1", "/").replace("~0", "~");
            let in_list = data
                .pointer(&at[..at.len() - seg_len(&at)])
                .is_some_and(serde_json::Value::is_array);
            match seg.parse::<usize>() {
                Ok(i) if in_list => {
                    let id = data
                        .pointer(&at)
                        .and_then(|item| item.get("id"))
                        .and_then(serde_json::Value::as_str);
                    path = path.index(i, id);
                }
                _ => path = path.key(&seg),
            }
        }
        path
    }

    /// Whether this is the whole file.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

/// Length of the last pointer segment with its slash.
fn seg_len(pointer: &str) -> usize {
    pointer.len() - pointer.rfind('/').unwrap_or(0)
}

/// A run of fields, or one list item.
enum Unit<'a> {
    Fields(Vec<&'a str>),
    Item {
        list: &'a str,
        index: usize,
        id: Option<&'a str>,
    },
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut units: Vec<Unit> = Vec::new();
        for (k, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(key) => {
                    if matches!(self.0.get(k + 1), Some(Seg::Index(..))) {
                        continue;
                    }
                    match units.last_mut() {
                        Some(Unit::Fields(fields)) => fields.push(key),
                        _ => units.push(Unit::Fields(vec![key])),
                    }
                }
                Seg::Index(index, id) => {
                    let list = match k.checked_sub(1).map(|p| &self.0[p]) {
                        Some(Seg::Key(key)) => key.as_str(),
                        _ => "",
                    };
                    units.push(Unit::Item {
                        list,
                        index: *index,
                        id: id.as_deref(),
                    });
                }
            }
        }
        if units.is_empty() {
            return f.write_str("the file");
        }
        let words: Vec<String> = units
            .iter()
            .enumerate()
            .rev()
            .map(|(u, unit)| match unit {
                Unit::Fields(fields) => format!("`{}`", fields.join(".")),
                Unit::Item { list, index, id } => {
                    let n = index + 1;
                    let mut s = if u > 0 && REFERENCE_LISTS.contains(list) {
                        format!("entry {n} of `{list}`")
                    } else {
                        format!("{} {n}", singular(list))
                    };
                    if let Some(id) = id {
                        s.push_str(&format!(" (`{id}`)"));
                    }
                    s
                }
            })
            .collect();
        f.write_str(&words.join(" of "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_as_words_with_positions_from_one() {
        let data = serde_json::json!({
            "recommendations": [
                {"id": "village-access", "findings": ["a", "b"], "actions": ["x", "y", "z"]},
                {"id": "payment-rails", "number": "two"}
            ],
            "indicators": [{"id": "use", "series": [{"values": [1]}, {"values": [1, 2, 3, 4]}]}],
            "method": {"fieldwork": {"start": "x"}},
            "team": [{"name": "A"}],
            "labels": {"3": "x"}
        });
        let cases = [
            ("", "the file"),
            ("/recommendations/1", "recommendation 2 (`payment-rails`)"),
            (
                "/recommendations/1/number",
                "`number` of recommendation 2 (`payment-rails`)",
            ),
            (
                "/recommendations/0/actions/2",
                "action 3 of recommendation 1 (`village-access`)",
            ),
            (
                "/recommendations/0/findings/1",
                "entry 2 of `findings` of recommendation 1 (`village-access`)",
            ),
            (
                "/indicators/0/series/1/values/3",
                "value 4 of series 2 of indicator 1 (`use`)",
            ),
            ("/method/fieldwork/start", "`method.fieldwork.start`"),
            ("/team/0/name", "`name` of team member 1"),
            ("/labels/3", "`labels.3`"),
        ];
        for (pointer, expected) in cases {
            assert_eq!(
                FieldPath::from_pointer(pointer, &data).to_string(),
                expected,
                "{pointer}"
            );
        }
    }

    #[test]
    fn built_paths_match_pointer_paths() {
        let built = FieldPath::root()
            .key("findings")
            .index(0, Some("rural-gap"))
            .key("title");
        assert_eq!(built.to_string(), "`title` of finding 1 (`rural-gap`)");
    }
}
