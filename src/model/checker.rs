//! The checker the cross-file checks share: where a value was written, and the checks every
//! list of items gets (unique ids, numbering without gaps, references to known ids, dates).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::spanned_location;
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::source::FileKind;
use crate::suggest;

/// The files being checked and the problems found so far.
pub(super) struct Checker<'a> {
    pub files: &'a BTreeMap<FileKind, Arc<SourceFile>>,
    pub diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    pub(super) fn loc<T>(&self, kind: FileKind, v: &Spanned<T>) -> Option<Location> {
        self.files.get(&kind).map(|f| spanned_location(f, v))
    }

    pub(super) fn loc_at(&self, kind: FileKind, at: &serde_saphyr::Location) -> Option<Location> {
        self.files.get(&kind).map(|f| {
            let start = at.span().byte_offset().map_or_else(
                || f.offset_of(at.line() as usize, at.column() as usize),
                |b| b as usize,
            );
            let len = at.span().byte_len().unwrap_or(0) as usize;
            Location::new(f, start, start + len)
        })
    }

    pub(super) fn error<T>(
        &mut self,
        kind: FileKind,
        at: &Spanned<T>,
        msg: String,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(msg).at_opt(self.loc(kind, at));
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    /// Unique ids within one list; a repeat names the first.
    pub(super) fn unique_ids<'b>(
        &mut self,
        kind: FileKind,
        what: &str,
        ids: impl Iterator<Item = &'b Spanned<String>>,
    ) {
        let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
        for id in ids {
            if let Some(first) = seen.get(id.value.as_str()) {
                let first_loc = self.loc(kind, first);
                let d = self.error(kind, id, format!("duplicate {what} id `{}`", id.value));
                d.label = Some("used again here".into());
                if let Some(l) = first_loc {
                    let (line, _) = l.line_col();
                    d.related.push(crate::diag::Related {
                        location: l,
                        message: "first used here".into(),
                    });
                    d.hint = Some(format!(
                        "ids must be unique; rename this one (the first is on line {line})"
                    ));
                }
            } else {
                seen.insert(&id.value, id);
            }
        }
    }

    /// Numbers run 1..=n: no duplicates, no gaps.
    pub(super) fn numbering(
        &mut self,
        kind: FileKind,
        what: &str,
        items: &[(&Spanned<u32>, &Spanned<String>)],
    ) {
        let mut by_number: BTreeMap<u32, &Spanned<String>> = BTreeMap::new();
        for (num, id) in items {
            if let Some(first) = by_number.get(&num.value) {
                let first_id = first.value.clone();
                let first_loc = self.loc(kind, *first);
                let d = self.error(
                    kind,
                    num,
                    format!(
                        "duplicate {what} number {} (also used by `{first_id}`)",
                        num.value
                    ),
                );
                d.label = Some("number used twice".into());
                if let Some(l) = first_loc {
                    d.related.push(crate::diag::Related {
                        location: l,
                        message: format!("`{first_id}` has this number"),
                    });
                }
                d.hint = Some(format!(
                    "{what}s are numbered 1 to {} without repeats",
                    items.len()
                ));
            } else {
                by_number.insert(num.value, id);
            }
        }
        let n = items.len() as u32;
        for (num, _) in items {
            if num.value == 0 || num.value > n {
                let expected = (1..=n).find(|k| !by_number.contains_key(k));
                let d = self.error(
                    kind,
                    num,
                    format!(
                        "{what} number {} is out of sequence: there are {n} {what}s",
                        num.value
                    ),
                );
                d.label = Some("out of sequence".into());
                d.hint = Some(match expected {
                    Some(k) => format!("number {what}s 1 to {n} without gaps; {k} is missing"),
                    None => format!("number {what}s 1 to {n} without gaps"),
                });
            }
        }
    }

    /// A reference to an id of another kind.
    pub(super) fn reference(
        &mut self,
        kind: FileKind,
        r: &Spanned<String>,
        what: &str,
        target_file: &str,
        known: Option<&[&str]>,
    ) {
        let Some(known) = known else { return };
        if known.contains(&r.value.as_str()) {
            return;
        }
        let hint = match suggest::did_you_mean(&r.value, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if known.is_empty() => format!("{target_file} defines no {what}s"),
            None => format!("known {what}s: {}", suggest::list(known)),
        };
        let d = self.error(kind, r, format!("unknown {what} `{}`", r.value));
        d.label = Some(format!("no {what} has this id"));
        d.hint = Some(hint);
    }

    pub(super) fn date(
        &mut self,
        kind: FileKind,
        v: &Spanned<String>,
        what: &str,
    ) -> Option<time::Date> {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        match time::Date::parse(&v.value, &fmt) {
            Ok(d) => Some(d),
            Err(_) => {
                let d = self.error(kind, v, format!("invalid {what} `{}`", v.value));
                d.label = Some("not a calendar date".into());
                d.hint = Some("write dates as YYYY-MM-DD, e.g. 2022-09-30".into());
                None
            }
        }
    }
}
