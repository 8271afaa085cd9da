//! The XML side of sanitising: one walk over a part's events that drops elements, unwraps
//! custom XML markup and unsafe simple fields, strips attributes that name dropped
//! relationships or linked VML images, and removes unsafe complex fields while keeping the
//! text they last showed.
//!
//! A complex field spans runs: `fldChar begin`, the instruction (`instrText`), `fldChar
//! separate`, the result, `fldChar end`, possibly nested. Whether it is safe is only known
//! once its instruction has been read, so the walk runs twice: first to read every field's
//! instruction, then to write, dropping an unsafe field's markers and the content of the runs
//! of its instruction.

use std::collections::BTreeSet;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};

use super::{
    CUSTOM_XML, EXTERNAL, FIELDS, Ns, Removed, dropped_element, ns_of, shorten, unsafe_field,
};

/// Returns the part without what must go, or `None` when nothing must (or it cannot be
/// parsed, which the well-formedness check before this rules out).
pub(super) fn rewrite(
    part: &str,
    bytes: &[u8],
    ids: &BTreeSet<String>,
    removed: &mut Removed,
) -> Option<Vec<u8>> {
    let mut scan = Walk::new(part, ids, Vec::new());
    scan.run(bytes, None)?;
    if !scan.changed {
        return None;
    }
    let fields = std::mem::take(&mut scan.instructions)
        .into_iter()
        .map(|i| unsafe_field(&i))
        .collect();
    let mut write = Walk::new(part, ids, fields);
    let mut writer = quick_xml::Writer::new(Vec::new());
    write.run(bytes, Some(&mut writer))?;
    for (group, what) in write.removed {
        removed.entry(group).or_default().insert(what);
    }
    Some(writer.into_inner())
}

/// An open complex field.
struct Field {
    index: usize,
    dropped: bool,
    in_instruction: bool,
}

/// What to do with an element.
enum Action {
    Keep,
    Drop,
    Unwrap,
}

struct Walk<'a> {
    part: &'a str,
    ids: &'a BTreeSet<String>,
    /// Per complex field (in document order of `begin`), its keyword if it is unsafe; empty
    /// during the first walk.
    verdicts: Vec<Option<String>>,
    /// First walk: every complex field's instruction.
    instructions: Vec<String>,
    fields: Vec<Field>,
    begun: usize,
    in_instr_text: bool,
    /// Whether each open element is a run (`w:r`).
    open: Vec<bool>,
    /// Depths of open elements that are unwrapped (their tags not written).
    unwrapped: Vec<usize>,
    skip: usize,
    changed: bool,
    removed: Vec<(&'static str, String)>,
}

impl<'a> Walk<'a> {
    fn new(part: &'a str, ids: &'a BTreeSet<String>, verdicts: Vec<Option<String>>) -> Walk<'a> {
        Walk {
            part,
            ids,
            verdicts,
            instructions: Vec::new(),
            fields: Vec::new(),
            begun: 0,
            in_instr_text: false,
            open: Vec::new(),
            unwrapped: Vec::new(),
            skip: 0,
            changed: false,
            removed: Vec::new(),
        }
    }

    fn note(&mut self, group: &'static str, what: String) {
        self.changed = true;
        self.removed.push((group, what));
    }

    fn run(
        &mut self,
        bytes: &[u8],
        mut out: Option<&mut quick_xml::Writer<Vec<u8>>>,
    ) -> Option<()> {
        let mut reader = NsReader::from_reader(bytes);
        let mut buf = Vec::new();
        loop {
            let (ns, event) = reader.read_resolved_event_into(&mut buf).ok()?;
            let ns = ns_of(&ns);
            let write: Option<Event> = match event {
                Event::Eof => break,
                Event::Start(_) | Event::Empty(_) if self.skip > 0 => {
                    if matches!(event, Event::Start(_)) {
                        self.skip += 1;
                    }
                    None
                }
                Event::End(_) if self.skip > 0 => {
                    self.skip -= 1;
                    None
                }
                _ if self.skip > 0 => None,
                Event::Start(e) => {
                    let (action, e) = self.element(&reader, ns, e, false);
                    match action {
                        Action::Drop => {
                            self.skip = 1;
                            None
                        }
                        Action::Unwrap => {
                            self.open.push(false);
                            self.unwrapped.push(self.open.len());
                            None
                        }
                        Action::Keep => {
                            self.open
                                .push(ns == Ns::W && e.local_name().as_ref() == b"r");
                            Some(Event::Start(e))
                        }
                    }
                }
                Event::Empty(e) => match self.element(&reader, ns, e, true) {
                    (Action::Keep, e) => Some(Event::Empty(e)),
                    _ => None,
                },
                Event::End(e) => {
                    if ns == Ns::W && e.local_name().as_ref() == b"instrText" {
                        self.in_instr_text = false;
                    }
                    let depth = self.open.len();
                    self.open.pop();
                    if self.unwrapped.last() == Some(&depth) {
                        self.unwrapped.pop();
                        None
                    } else {
                        Some(Event::End(e))
                    }
                }
                Event::Text(t) => {
                    if self.in_instr_text
                        && let Some(f) = self.fields.last()
                        && f.in_instruction
                        && self.verdicts.is_empty()
                    {
                        let text = t
                            .unescape()
                            .map(std::borrow::Cow::into_owned)
                            .unwrap_or_default();
                        self.instructions[f.index].push_str(&text);
                    }
                    Some(Event::Text(t))
                }
                other => Some(other),
            };
            if let (Some(w), Some(event)) = (out.as_deref_mut(), write) {
                w.write_event(event).ok()?;
            }
            buf.clear();
        }
        Some(())
    }

    /// Decides about an element (tracking fields), and strips its attributes if needed.
    fn element<'e>(
        &mut self,
        reader: &NsReader<&[u8]>,
        ns: Ns,
        e: BytesStart<'e>,
        empty: bool,
    ) -> (Action, BytesStart<'e>) {
        let local = e.local_name().as_ref().to_vec();
        if let Some(group) = dropped_element(ns, &local) {
            self.note(group, self.part.to_string());
            return (Action::Drop, e);
        }
        if ns == Ns::W && local == b"customXml" {
            self.note(CUSTOM_XML, self.part.to_string());
            return (Action::Unwrap, e);
        }
        if ns == Ns::W && local == b"fldSimple" {
            let instr = super::attr(&e, b"instr").unwrap_or_default();
            if let Some(word) = unsafe_field(&instr) {
                self.note(FIELDS, format!("{word} in {}", self.part));
                return (Action::Unwrap, e);
            }
        }
        if ns == Ns::W && local == b"fldChar" {
            let dropped = self.field_char(&e);
            if dropped {
                return (Action::Drop, e);
            }
        }
        if ns == Ns::W && local == b"instrText" && !empty {
            self.in_instr_text = true;
        }
        // Inside the instruction of an unsafe field, runs lose their content.
        let in_run = self.open.last() == Some(&true);
        let silenced = self.fields.iter().any(|f| f.dropped && f.in_instruction);
        if in_run && silenced && !(ns == Ns::W && local == b"rPr") {
            if ns == Ns::W && local == b"instrText" {
                self.in_instr_text = false;
            }
            return (Action::Drop, e);
        }
        (Action::Keep, self.strip_attributes(reader, ns, e))
    }

    /// Tracks a `w:fldChar`; true when it belongs to an unsafe field and must go.
    fn field_char(&mut self, e: &BytesStart) -> bool {
        match super::attr(e, b"fldCharType").as_deref() {
            Some("begin") => {
                let index = self.begun;
                self.begun += 1;
                if self.verdicts.is_empty() {
                    self.instructions.push(String::new());
                }
                let word = self.verdicts.get(index).cloned().flatten();
                let dropped = word.is_some();
                if let Some(word) = word {
                    self.note(FIELDS, format!("{word} in {}", self.part));
                }
                self.fields.push(Field {
                    index,
                    dropped,
                    in_instruction: true,
                });
                dropped
            }
            Some("separate") => match self.fields.last_mut() {
                Some(f) => {
                    f.in_instruction = false;
                    if self.verdicts.is_empty()
                        && unsafe_field(&self.instructions[f.index]).is_some()
                    {
                        self.changed = true;
                    }
                    f.dropped
                }
                None => false,
            },
            Some("end") => match self.fields.pop() {
                Some(f) => {
                    if self.verdicts.is_empty()
                        && unsafe_field(&self.instructions[f.index]).is_some()
                    {
                        self.changed = true;
                    }
                    f.dropped
                }
                None => false,
            },
            _ => false,
        }
    }

    /// Removes attributes naming a dropped relationship, and the paths of linked VML images.
    fn strip_attributes<'e>(
        &mut self,
        reader: &NsReader<&[u8]>,
        ns: Ns,
        e: BytesStart<'e>,
    ) -> BytesStart<'e> {
        let element = e.local_name().as_ref().to_vec();
        let mut kept = Vec::new();
        let mut changed = false;
        for a in e.attributes().flatten() {
            let (ans, local) = reader.resolve_attribute(a.key);
            let ans = ns_of(&ans);
            let value = a
                .unescape_value()
                .map(std::borrow::Cow::into_owned)
                .unwrap_or_default();
            if ans == Ns::R && self.ids.contains(&value) {
                changed = true;
                // A hyperlink action needs the attribute: an empty id points nowhere.
                if matches!(
                    element.as_slice(),
                    b"hlinkClick" | b"hlinkHover" | b"hlinkMouseOver"
                ) {
                    kept.push((a.key.as_ref().to_vec(), Vec::new()));
                }
                continue;
            }
            let vml_link = ns == Ns::V
                && ((ans == Ns::Other && local.as_ref() == b"src")
                    || (ans == Ns::O && local.as_ref() == b"href"));
            if vml_link && !value.is_empty() {
                changed = true;
                self.note(EXTERNAL, format!("`{}` in {}", shorten(&value), self.part));
                continue;
            }
            kept.push((a.key.as_ref().to_vec(), a.value.to_vec()));
        }
        if !changed {
            return e;
        }
        self.changed = true;
        let mut clean = e.to_owned();
        clean.clear_attributes();
        for (k, v) in &kept {
            clean.push_attribute(quick_xml::events::attributes::Attribute {
                key: quick_xml::name::QName(k),
                value: std::borrow::Cow::Borrowed(v),
            });
        }
        clean
    }
}
