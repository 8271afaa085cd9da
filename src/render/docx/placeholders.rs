//! `{{placeholder}}` filling in a reference document's headers, footers and body, even where
//! Word has split a placeholder across several runs (`{{ti` in one run, `tle}}` in the next,
//! as happens after spell-checking or a format change).
//!
//! Each paragraph's text is joined, placeholders are found in the joined text, and the value
//! is written into the first text node the placeholder touches while the others give up their
//! share; the runs' formatting stays. `{{page}}` and `{{pages}}` become PAGE and NUMPAGES
//! fields, so "Page {{page}} of {{pages}}" keeps counting in Word.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};

/// Private-use markers that survive XML escaping and mark where a field goes.
const FIELD_OPEN: char = '\u{E000}';
const FIELD_CLOSE: char = '\u{E001}';

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
            let value = match name.as_str() {
                "page" => format!("{FIELD_OPEN}PAGE{FIELD_CLOSE}"),
                "pages" => format!("{FIELD_OPEN}NUMPAGES{FIELD_CLOSE}"),
                n => values
                    .get(n)
                    .ok_or_else(|| Unknown(n.to_string()))?
                    // A value may itself hold the page fields ("Page {{page}} of {{pages}}").
                    .replace("{{page}}", &format!("{FIELD_OPEN}PAGE{FIELD_CLOSE}"))
                    .replace("{{pages}}", &format!("{FIELD_OPEN}NUMPAGES{FIELD_CLOSE}")),
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
        Event::Text(t) => t.unescape().map(|c| c.into_owned()).unwrap_or_default(),
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
        // "1" is only the cached result; Word and LibreOffice compute the real number.
        let replacement = format!(
            "</w:t></w:r><w:fldSimple w:instr=\" {instr} \"><w:r>{rpr}<w:t>1</w:t></w:r></w:fldSimple><w:r>{rpr}<w:t xml:space=\"preserve\">"
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
