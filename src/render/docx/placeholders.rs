//! `{{placeholder}}` filling in a reference document's headers, footers and body, even where
//! Word has split a placeholder across several runs (`{{ti` in one run, `tle}}` in the next,
//! as happens after spell-checking or a format change).
//!
//! Each paragraph's text is joined, placeholders are found in the joined text, and the value
//! is written into the first text node the placeholder touches while the others give up their
//! share; the runs' formatting stays. `{{page}}` and `{{pages}}` become PAGE and NUMPAGES
//! fields, so "Page {{page}} of {{pages}}" keeps counting in Word, and `{{chapter}}` a
//! STYLEREF field to the chapter (Heading 1) the page is in.

use std::collections::BTreeMap;

use crate::ir::Document;

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// Private-use markers that survive XML escaping and mark where a field goes.
const FIELD_OPEN: char = '\u{E000}';
const FIELD_CLOSE: char = '\u{E001}';

/// The fields placeholders stand for, by name.
const FIELDS: &[(&str, &str)] = &[
    ("page", "PAGE"),
    ("pages", "NUMPAGES"),
    ("chapter", "STYLEREF \"heading 1\""),
];

fn field_marker(instr: &str) -> String {
    format!("{FIELD_OPEN}{instr}{FIELD_CLOSE}")
}

/// Values for `{{placeholders}}`, by name. `{{page}}`, `{{pages}}` and `{{chapter}}` are
/// fields; a value may hold them.
pub fn values(doc: &Document) -> BTreeMap<String, String> {
    let m = &doc.meta;
    let f = &doc.front;
    let page = &doc.page;
    // A one-page document carries no page count, as in the PDF.
    let page_x_of_y = if doc.kind.is_one_page() || !page.footer.page_numbers {
        String::new()
    } else {
        doc.labels
            .get("page-x-of-y")
            .cloned()
            .unwrap_or_else(|| "{page} / {total}".into())
            .replace("{page}", "{{page}}")
            .replace("{total}", "{{pages}}")
    };
    let left = if page.header.left.is_empty() {
        m.title.clone()
    } else {
        page.header.left.clone()
    };
    let right = match (&page.header.right, page.header.chapter) {
        (Some(r), _) => r.clone(),
        (None, true) => "{{chapter}}".to_string(),
        (None, false) => String::new(),
    };
    BTreeMap::from([
        ("title".into(), m.assessment.clone()),
        ("assessment".into(), m.assessment.clone()),
        ("document".into(), m.title.clone()),
        ("document-title".into(), f.title.clone()),
        ("country".into(), m.country.clone()),
        ("date".into(), m.date.clone()),
        (
            "organization".into(),
            m.organization.clone().unwrap_or_default(),
        ),
        ("author".into(), m.author.clone()),
        ("lang".into(), doc.lang.clone()),
        ("kind".into(), f.kicker.clone()),
        ("page-x-of-y".into(), page_x_of_y),
        ("header-left".into(), left),
        ("header-right".into(), right),
        ("footer".into(), page.footer.left.clone()),
    ])
}

/// Every known placeholder, for the error about an unknown one.
pub fn known(doc: &Document) -> Vec<String> {
    let mut names: Vec<String> = values(doc).into_keys().collect();
    names.extend(FIELDS.iter().map(|(n, _)| n.to_string()));
    names.push("content".to_string());
    names.sort();
    names
}

/// A placeholder that is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown(pub String);

/// Fills placeholders in one part. `values` maps names to text; `page` and `pages` are fields.
pub fn fill(xml: &str, values: &BTreeMap<String, String>) -> Result<String, Unknown> {
    let events = parse(xml);
    let mut events = events;
    // Text nodes by paragraph: (index of the Text event).
    let mut stack: Vec<Vec<usize>> = Vec::new();
    let mut in_t = 0usize;
    let mut paragraphs: Vec<Vec<usize>> = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        match ev {
            Event::Start(e) if e.name().as_ref() == b"w:p" => stack.push(Vec::new()),
            Event::End(e) if e.name().as_ref() == b"w:p" => {
                if let Some(p) = stack.pop() {
                    paragraphs.push(p);
                }
            }
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_t += 1,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_t = in_t.saturating_sub(1),
            Event::Text(_) if in_t > 0 => {
                if let Some(p) = stack.last_mut() {
                    p.push(i);
                }
            }
            _ => {}
        }
    }
    for nodes in paragraphs {
        let mut texts: Vec<String> = nodes.iter().map(|&i| text_of(&events[i])).collect();
        let joined: String = texts.concat();
        if !joined.contains("{{") {
            continue;
        }
        let found = find_placeholders(&joined);
        if found.is_empty() {
            continue;
        }
        // Right to left, so earlier offsets stay valid.
        for (start, end, name) in found.into_iter().rev() {
            let value = match FIELDS.iter().find(|(n, _)| *n == name) {
                Some((_, instr)) => field_marker(instr),
                None => {
                    // A value may itself hold fields ("Page {{page}} of {{pages}}").
                    let mut v = values
                        .get(&name)
                        .ok_or_else(|| Unknown(name.clone()))?
                        .clone();
                    for (n, instr) in FIELDS {
                        v = v.replace(&format!("{{{{{n}}}}}"), &field_marker(instr));
                    }
                    v
                }
            };
            let (sn, so) = locate_start(&texts, start);
            let (en, eo) = locate_end(&texts, end);
            if sn == en {
                texts[sn].replace_range(so..eo, &value);
            } else {
                let tail = texts[en][eo..].to_string();
                texts[en] = tail;
                for t in texts.iter_mut().take(en).skip(sn + 1) {
                    t.clear();
                }
                texts[sn].replace_range(so.., &value);
            }
        }
        for (k, &i) in nodes.iter().enumerate() {
            events[i] = Event::Text(BytesText::new(&texts[k]).into_owned());
        }
    }
    let out = write(&events);
    Ok(expand_fields(&out))
}

/// Every `{{name}}` in a text: (start byte, end byte, name).
pub fn find_placeholders(s: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = s[from..].find("{{") {
        let open = from + open;
        let Some(close) = s[open + 2..].find("}}") else {
            break;
        };
        let close = open + 2 + close;
        let name = s[open + 2..close].trim();
        if !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            out.push((open, close + 2, name.to_string()));
            from = close + 2;
        } else {
            from = open + 2;
        }
    }
    out
}

/// The node holding the byte at `offset` of the joined text (a placeholder's first byte).
fn locate_start(texts: &[String], offset: usize) -> (usize, usize) {
    let mut acc = 0;
    for (i, t) in texts.iter().enumerate() {
        if offset < acc + t.len() {
            return (i, offset - acc);
        }
        acc += t.len();
    }
    (texts.len() - 1, texts[texts.len() - 1].len())
}

/// The node holding the byte before `offset` (a placeholder's exclusive end).
fn locate_end(texts: &[String], offset: usize) -> (usize, usize) {
    let mut acc = 0;
    for (i, t) in texts.iter().enumerate() {
        if offset <= acc + t.len() && offset > acc {
            return (i, offset - acc);
        }
        acc += t.len();
    }
    (texts.len() - 1, texts[texts.len() - 1].len())
}

fn text_of(ev: &Event) -> String {
    match ev {
        Event::Text(t) => t
            .unescape()
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn parse(xml: &str) -> Vec<Event<'static>> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => out.push(e.into_owned()),
        }
    }
    out
}

fn write(events: &[Event]) -> String {
    let mut w = Writer::new(Vec::new());
    for e in events {
        let e = match e {
            // Text that now has leading or trailing spaces must keep them.
            Event::Start(s) if s.name().as_ref() == b"w:t" => {
                let mut n = BytesStart::new("w:t");
                n.push_attribute(("xml:space", "preserve"));
                Event::Start(n)
            }
            other => other.clone(),
        };
        let _ = w.write_event(e);
    }
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

/// Turns field markers inside a run's text into fields, keeping the run's formatting.
fn expand_fields(xml: &str) -> String {
    let mut out = xml.to_string();
    while let Some(m) = out.find(FIELD_OPEN) {
        let Some(close_rel) = out[m..].find(FIELD_CLOSE) else {
            break;
        };
        let close = m + close_rel;
        let instr = out[m + FIELD_OPEN.len_utf8()..close].to_string();
        // The run around the marker and its properties.
        let run_start = [out[..m].rfind("<w:r>"), out[..m].rfind("<w:r ")]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(0);
        let rpr = match (
            out[run_start..m].find("<w:rPr>"),
            out[run_start..m].find("</w:rPr>"),
        ) {
            (Some(a), Some(b)) => out[run_start + a..run_start + b + "</w:rPr>".len()].to_string(),
            _ => String::new(),
        };
        // "1" is only the cached result; Word and LibreOffice compute the real number. A
        // chapter's name has no placeholder worth showing.
        let cached = if instr.starts_with("STYLEREF") {
            ""
        } else {
            "1"
        };
        let replacement = format!(
            "</w:t></w:r><w:fldSimple w:instr=\" {} \"><w:r>{rpr}<w:t>{cached}</w:t></w:r></w:fldSimple><w:r>{rpr}<w:t xml:space=\"preserve\">",
            super::xml::esc(&instr.replace("&quot;", "\""))
        );
        out.replace_range(m..close + FIELD_CLOSE.len_utf8(), &replacement);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("title".to_string(), "Peru DECA".to_string()),
            ("country".to_string(), "Peru & Co <x>".to_string()),
        ])
    }

    #[test]
    fn a_placeholder_in_one_run() {
        let xml = r#"<w:p><w:r><w:t>Report: {{title}}</w:t></w:r></w:p>"#;
        let out = fill(xml, &values()).unwrap();
        assert!(out.contains("Report: Peru DECA"), "{out}");
    }

    #[test]
    fn a_placeholder_split_across_runs() {
        let xml = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{{ti</w:t></w:r><w:r><w:t>tl</w:t></w:r><w:r><w:t>e}} ok</w:t></w:r></w:p>"#;
        let out = fill(xml, &values()).unwrap();
        assert!(
            out.contains("<w:b/></w:rPr><w:t xml:space=\"preserve\">Peru DECA</w:t>"),
            "{out}"
        );
        assert!(out.contains("> ok</w:t>"), "{out}");
        assert!(!out.contains("{{"), "{out}");
    }

    #[test]
    fn values_are_escaped() {
        let xml = r#"<w:p><w:r><w:t>{{country}}</w:t></w:r></w:p>"#;
        let out = fill(xml, &values()).unwrap();
        assert!(out.contains("Peru &amp; Co &lt;x&gt;"), "{out}");
    }

    #[test]
    fn page_fields_keep_the_run_formatting() {
        let xml =
            r#"<w:p><w:r><w:rPr><w:i/></w:rPr><w:t>Page {{page}} of {{pages}}</w:t></w:r></w:p>"#;
        let out = fill(xml, &values()).unwrap();
        assert!(out.contains(r#"<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:i/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>"#), "{out}");
        assert!(out.contains(r#"w:instr=" NUMPAGES ""#), "{out}");
    }

    #[test]
    fn an_unknown_placeholder_is_named() {
        let xml = r#"<w:p><w:r><w:t>{{nope}}</w:t></w:r></w:p>"#;
        assert_eq!(fill(xml, &values()).unwrap_err(), Unknown("nope".into()));
    }

    #[test]
    fn text_without_placeholders_is_unchanged_in_meaning() {
        let xml = r#"<w:p><w:r><w:t>plain {not} text</w:t></w:r></w:p>"#;
        assert!(fill(xml, &values()).unwrap().contains("plain {not} text"));
    }
}
