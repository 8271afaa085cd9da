//! Making a PDF open with its bookmarks shown (`/PageMode /UseOutlines` in the catalog), which
//! the PDF writer offers no setting for. The change is an incremental update appended to the
//! file, the way PDF editors save: the catalog is written again with the one key added, with a
//! cross-reference section and a trailer pointing back to the original. Nothing of the original
//! bytes changes, so its structure tree, fonts and PDF/A and PDF/UA claims stay as they were.

/// Why a PDF could not be updated (it is not laid out the way the writer lays it out).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unexpected(pub &'static str);

/// The PDF with `/PageMode /UseOutlines` in its catalog, when it has bookmarks and no page
/// mode yet; unchanged otherwise.
pub(crate) fn show_outline(pdf: &[u8]) -> Result<Vec<u8>, Unexpected> {
    let text = String::from_utf8_lossy(pdf);
    let startxref = last_startxref(&text).ok_or(Unexpected("no startxref"))?;
    let trailer_at = text.rfind("trailer").ok_or(Unexpected("no trailer"))?;
    let trailer = dict_at(&text, trailer_at).ok_or(Unexpected("no trailer dictionary"))?;
    let root = reference(trailer, "/Root").ok_or(Unexpected("no /Root"))?;
    let size = number(trailer, "/Size").ok_or(Unexpected("no /Size"))?;
    let obj_at = text
        .match_indices(&format!("{root} 0 obj"))
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || matches!(text.as_bytes()[i - 1], b'\n' | b'\r' | b' '))
        .last()
        .ok_or(Unexpected("no catalog object"))?;
    let catalog = dict_at(&text, obj_at).ok_or(Unexpected("no catalog dictionary"))?;
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
    fn a_file_that_is_not_a_pdf_is_refused() {
        assert_eq!(show_outline(b"hello"), Err(Unexpected("no startxref")));
    }
}
