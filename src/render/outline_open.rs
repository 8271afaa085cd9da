//! Making a PDF open with its bookmarks shown (`/PageMode /UseOutlines` in the catalog), which
//! the PDF writer offers no setting for. The change is an incremental update appended to the
//! file, the way PDF editors save: the catalog is written again with the one key added, with a
//! cross-reference section and a trailer pointing back to the original. Nothing of the original
//! bytes changes, so its structure tree, fonts and PDF/A and PDF/UA claims stay as they were.

/// Why a PDF could not be updated (it is not laid out the way the writer lays it out).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unexpected(pub &'static str);

/// How far from the end of the file the trailer is looked for: it follows the cross-reference
/// table, and only `startxref`, an offset and `%%EOF` come after it.
const TAIL: usize = 4096;

/// The PDF with `/PageMode /UseOutlines` in its catalog, when it has bookmarks and no page
/// mode yet; unchanged otherwise.
///
/// Only the end of the file, one cross-reference entry and the catalog are read, so the cost
/// does not grow with the document.
pub(crate) fn show_outline(pdf: &[u8]) -> Result<Vec<u8>, Unexpected> {
    let text = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(TAIL)..]);
    let startxref = last_startxref(&text).ok_or(Unexpected("no startxref"))?;
    let trailer_at = text.rfind("trailer").ok_or(Unexpected("no trailer"))?;
    let trailer = dict_at(&text, trailer_at).ok_or(Unexpected("no trailer dictionary"))?;
    let root = reference(trailer, "/Root").ok_or(Unexpected("no /Root"))?;
    let size = number(trailer, "/Size").ok_or(Unexpected("no /Size"))?;
    let obj_at = object_offset(pdf, startxref, root)
        .filter(|&at| pdf[at..].starts_with(format!("{root} 0 obj").as_bytes()))
        .ok_or(Unexpected("no catalog object"))?;
    let end = find(&pdf[obj_at..], b"endobj").ok_or(Unexpected("no catalog object"))?;
    let object = String::from_utf8_lossy(&pdf[obj_at..obj_at + end]);
    let catalog = dict_at(&object, 0).ok_or(Unexpected("no catalog dictionary"))?;
    if !catalog.contains("/Outlines") || catalog.contains("/PageMode") {
        return Ok(pdf.to_vec());
    }
    let updated = format!("{}/PageMode/UseOutlines>>", &catalog[..catalog.len() - 2]);
    // Keep what the trailer says (the document's /ID and /Info), point back to the original.
    let mut keys = String::new();
    for key in ["/Info", "/ID"] {
        if let Some(v) = value(trailer, key) {
            keys.push_str(&format!("{key} {v}"));
        }
    }
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let obj_offset = out.len();
    out.extend_from_slice(format!("{root} 0 obj\n{updated}\nendobj\n").as_bytes());
    let xref_offset = out.len();
    out.extend_from_slice(
        format!(
            "xref\n{root} 1\n{obj_offset:010} 00000 n \ntrailer\n<</Size {size}/Root {root} 0 R{keys}/Prev {startxref}>>\nstartxref\n{xref_offset}\n%%EOF\n"
        )
        .as_bytes(),
    );
    Ok(out)
}

/// Where object `obj` starts, from the classic cross-reference table at `xref`: subsections of
/// a `first count` line followed by 20-byte entries whose first ten digits are the offset.
fn object_offset(pdf: &[u8], xref: usize, obj: u64) -> Option<usize> {
    let mut at = xref + skip_line(pdf.get(xref..)?.strip_prefix(b"xref")?)? + 4;
    loop {
        let line_len = skip_line(pdf.get(at..)?)?;
        let line = std::str::from_utf8(&pdf[at..at + line_len]).ok()?;
        let mut words = line.split_whitespace();
        let first: u64 = words.next()?.parse().ok()?;
        let count: u64 = words.next()?.parse().ok()?;
        at += line_len;
        if (first..first + count).contains(&obj) {
            let entry = at + usize::try_from(obj - first).ok()? * 20;
            let digits = std::str::from_utf8(pdf.get(entry..entry + 10)?).ok()?;
            return digits.parse().ok();
        }
        at += usize::try_from(count).ok()? * 20;
    }
}

/// The length of the first line of `bytes` with its end of line (`\n`, `\r\n` or `\r`).
fn skip_line(bytes: &[u8]) -> Option<usize> {
    let end = bytes.iter().position(|&b| b == b'\n' || b == b'\r')?;
    let eol = if bytes[end..].starts_with(b"\r\n") {
        2
    } else {
        1
    };
    Some(end + eol)
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The offset the last `startxref` gives.
fn last_startxref(text: &str) -> Option<usize> {
    let at = text.rfind("startxref")?;
    text[at + "startxref".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The first dictionary (`<< ... >>`, nesting and strings respected) from `from` on.
fn dict_at(text: &str, from: usize) -> Option<&str> {
    let start = from + text[from..].find("<<")?;
    let bytes = text.as_bytes();
    let (mut depth, mut i, mut paren) = (0usize, start, 0usize);
    while i + 1 < bytes.len() {
        match bytes[i] {
            b'\\' if paren > 0 => i += 1,
            b'(' => paren += 1,
            b')' if paren > 0 => paren -= 1,
            b'<' if paren == 0 && bytes[i + 1] == b'<' => {
                depth += 1;
                i += 1;
            }
            b'>' if paren == 0 && bytes[i + 1] == b'>' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return Some(&text[start..=i]);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The raw value after a key at the top level of a dictionary, up to the next key.
fn value<'a>(dict: &'a str, key: &str) -> Option<&'a str> {
    let at = dict.find(key)? + key.len();
    let rest = &dict[at..];
    // The value runs to the next top-level name (a `/` outside brackets and strings).
    let bytes = rest.as_bytes();
    let (mut depth, mut paren) = (0i32, 0i32);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'(' => paren += 1,
            b')' => paren -= 1,
            b'[' | b'<' if paren == 0 => depth += 1,
            b']' | b'>' if paren == 0 => {
                depth -= 1;
                if depth < 0 {
                    return Some(rest[..i].trim());
                }
            }
            b'/' if paren == 0 && depth == 0 && i > 0 && !rest[..i].trim().is_empty() => {
                return Some(rest[..i].trim());
            }
            _ => {}
        }
    }
    Some(rest.trim())
}

fn number(dict: &str, key: &str) -> Option<u64> {
    value(dict, key)?.split_whitespace().next()?.parse().ok()
}

fn reference(dict: &str, key: &str) -> Option<u64> {
    number(dict, key)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal PDF as the writer lays it out: classic cross-references, plain objects.
    fn sample(catalog: &str) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let o1 = pdf.len();
        pdf.extend_from_slice(b"1 0 obj\n<</Type/Pages/Count 0/Kids[]>>\nendobj\n");
        let o2 = pdf.len();
        pdf.extend_from_slice(b"2 0 obj\n<</Type/Outlines>>\nendobj\n");
        let o3 = pdf.len();
        pdf.extend_from_slice(format!("3 0 obj\n{catalog}\nendobj\n").as_bytes());
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!(
                "xref\n0 4\n0000000000 65535 f \n{o1:010} 00000 n \n{o2:010} 00000 n \n{o3:010} 00000 n \ntrailer\n<</Size 4/Root 3 0 R/ID[(a)(b)]>>\nstartxref\n{xref}\n%%EOF\n"
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn the_catalog_is_written_again_with_the_page_mode() {
        let pdf = sample(
            "<</Type/Catalog/Pages 1 0 R/Outlines 2 0 R/Names<</Dests<</Names[(a>>b)1 0 R]>>>>>>",
        );
        let out = show_outline(&pdf).unwrap();
        assert!(out.starts_with(&pdf), "the original bytes are kept");
        let tail = String::from_utf8_lossy(&out[pdf.len()..]).into_owned();
        assert!(
            tail.contains("3 0 obj\n<</Type/Catalog/Pages 1 0 R/Outlines 2 0 R/Names<</Dests<</Names[(a>>b)1 0 R]>>>>/PageMode/UseOutlines>>\nendobj"),
            "{tail}"
        );
        let prev = String::from_utf8_lossy(&pdf).rfind("\nxref\n").unwrap() + 1;
        assert!(
            tail.contains(&format!("/Size 4/Root 3 0 R/ID [(a)(b)]/Prev {prev}>>")),
            "{tail}"
        );
        // The new cross-reference entry points at the rewritten object.
        let obj = out.len() - tail.len() + tail.find("3 0 obj").unwrap();
        assert!(
            tail.contains(&format!("xref\n3 1\n{obj:010} 00000 n \n")),
            "{tail}"
        );
    }

    #[test]
    fn a_pdf_without_bookmarks_or_with_a_page_mode_is_left_alone() {
        let none = sample("<</Type/Catalog/Pages 1 0 R>>");
        assert_eq!(show_outline(&none).unwrap(), none);
        let set = sample("<</Type/Catalog/Pages 1 0 R/Outlines 2 0 R/PageMode/UseNone>>");
        assert_eq!(show_outline(&set).unwrap(), set);
    }

    #[test]
    fn objects_are_found_in_any_subsection_of_the_cross_references() {
        let table = b"....xref\r\n0 2\r\n0000000000 65535 f\r\n0000000009 00000 n\r\n7 2\r\n0000000100 00000 n\r\n0000000234 00000 n\r\ntrailer\r\n";
        assert_eq!(object_offset(table, 4, 1), Some(9));
        assert_eq!(object_offset(table, 4, 8), Some(234));
        assert_eq!(object_offset(table, 4, 5), None, "object 5 has no entry");
        assert_eq!(object_offset(table, 0, 1), None, "no table at that offset");
    }

    #[test]
    fn a_cross_reference_entry_that_misses_the_catalog_is_refused() {
        let mut pdf = sample("<</Type/Catalog/Pages 1 0 R/Outlines 2 0 R>>");
        // Point the catalog's entry (object 3, the last) one byte off.
        let entry = String::from_utf8_lossy(&pdf)
            .rfind(" 00000 n \ntrailer")
            .unwrap()
            - 10;
        let offset: usize = std::str::from_utf8(&pdf[entry..entry + 10])
            .unwrap()
            .parse()
            .unwrap();
        pdf.splice(
            entry..entry + 10,
            format!("{:010}", offset + 1).into_bytes(),
        );
        assert_eq!(show_outline(&pdf), Err(Unexpected("no catalog object")));
    }

    #[test]
    fn a_file_that_is_not_a_pdf_is_refused() {
        assert_eq!(show_outline(b"hello"), Err(Unexpected("no startxref")));
    }
}
