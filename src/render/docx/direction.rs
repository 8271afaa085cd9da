//! Direction and script fonts in Word files, as patches on the finished XML parts.
//!
//! A right-to-left document gets `w:bidi` on every paragraph (in the document defaults) and on
//! its section, `w:bidiVisual` on its tables, and `w:rtl` on each run of Hebrew or Arabic text.
//! In any document, a run in a script that Calibri and Cambria lack names a font for it in the
//! slot Word uses for that script (`w:cs` for complex scripts, `w:eastAsia` for CJK), so Word
//! and LibreOffice pick a face that has the glyphs when one is installed.

use unicode_script::{Script, UnicodeScript};

use crate::direction::{Dir, is_rtl_char};

/// The language's direction on the document defaults: paragraphs run right to left, and
/// complex-script runs are tagged with the document's language.
pub(super) fn styles(xml: &str, dir: Dir, tag: &str) -> String {
    if !dir.is_rtl() {
        return xml.to_string();
    }
    let mut s = xml.replace("w:bidi=\"ar-SA\"", &format!("w:bidi=\"{tag}\""));
    if let Some(start) = s.find("<w:pPrDefault>") {
        let end = s[start..]
            .find("</w:pPrDefault>")
            .map_or(s.len(), |e| start + e);
        let section = s[start..end].to_string();
        // `w:bidi` comes after the keep, page-break, frame, numbering and border settings of a
        // paragraph, before its spacing and indentation.
        let patched = match section.find("<w:pPr>") {
            Some(_) if section.contains("<w:bidi") => section,
            Some(p) => {
                let body = p + "<w:pPr>".len();
                let at = [
                    "<w:adjustRightInd",
                    "<w:snapToGrid",
                    "<w:spacing",
                    "<w:ind",
                    "<w:contextualSpacing",
                    "<w:jc",
                    "<w:rPr",
                    "</w:pPr>",
                ]
                .iter()
                .filter_map(|t| section[body..].find(t).map(|i| body + i))
                .min()
                .unwrap_or(body);
                format!("{}<w:bidi/>{}", &section[..at], &section[at..])
            }
            None => section.replacen(
                "<w:pPrDefault>",
                "<w:pPrDefault><w:pPr><w:bidi/></w:pPr>",
                1,
            ),
        };
        s.replace_range(start..end, &patched);
    } else if let Some(i) = s.find("</w:docDefaults>") {
        s.insert_str(i, "<w:pPrDefault><w:pPr><w:bidi/></w:pPr></w:pPrDefault>");
    }
    s
}

/// Marks the runs of a body, header, footer or footnotes part: `w:rtl` on Hebrew and Arabic
/// runs of a right-to-left document, a font for scripts the Latin faces lack, and (right to
/// left) the section and tables.
pub(super) fn part(xml: &str, dir: Dir) -> String {
    let mut out = String::with_capacity(xml.len() + 256);
    let mut rest = xml;
    while let Some(i) = find_run(rest) {
        out.push_str(&rest[..i]);
        let end = rest[i..]
            .find("</w:r>")
            .map_or(rest.len(), |e| i + e + "</w:r>".len());
        for piece in split_by_script(&rest[i..end]) {
            out.push_str(&run(&piece, dir));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    if dir.is_rtl() {
        out = section_bidi(&out);
        out = out.replace("<w:tblPr>", "<w:tblPr><w:bidiVisual/>");
    }
    out
}

/// The start of the next `<w:r>` or `<w:r ...>` element (not `<w:rPr>`, `<w:rFonts>`...).
fn find_run(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = s[from..].find("<w:r") {
        let i = from + k;
        match s.as_bytes().get(i + 4) {
            Some(b'>') | Some(b' ') => return Some(i),
            _ => from = i + 4,
        }
    }
    None
}

/// The text of a run's `<w:t>` elements.
fn run_text(run: &str) -> String {
    let mut text = String::new();
    let mut rest = run;
    while let Some(i) = rest.find("<w:t") {
        let after = &rest[i + 4..];
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let Some(open) = after.find('>') else { break };
        if after[..open].ends_with('/') {
            rest = &after[open..];
            continue;
        }
        let body = &after[open + 1..];
        let close = body.find("</w:t>").unwrap_or(body.len());
        text.push_str(&body[..close]);
        rest = &body[close..];
    }
    text
}

/// A run whose text mixes complex scripts (Arabic and Devanagari, say) as runs of one such
/// script each, with the same properties: Word has one complex-script font slot per run, so
/// a mixed run would set the second script in the first one's font. Latin, digits, spaces and
/// punctuation stay with the text before them. Other runs come back as they are.
fn split_by_script(run: &str) -> Vec<String> {
    let cs_font = |c: char| script_fonts(c.encode_utf8(&mut [0; 4])).0;
    let text = run_text(run);
    let mut fonts: Vec<&str> = text.chars().filter_map(cs_font).collect();
    fonts.sort_unstable();
    fonts.dedup();
    // Only a run with one `<w:t>` is split (deca writes text that way).
    let (Some(open), 1) = (run.find("<w:t"), run.matches("</w:t>").count()) else {
        return vec![run.to_string()];
    };
    if fonts.len() < 2 {
        return vec![run.to_string()];
    }
    let body = open + run[open..].find('>').expect("a `<w:t` element closes") + 1;
    let close = run.find("</w:t>").expect("counted above");
    let head = &run[..open];
    let tail = &run[close..];
    let xml_text = &run[body..close];
    let mut pieces: Vec<String> = vec![String::new()];
    let mut current = None;
    for c in xml_text.chars() {
        if let Some(f) = cs_font(c) {
            if current.is_some_and(|cur| cur != f) {
                pieces.push(String::new());
            }
            current = Some(f);
        }
        pieces.last_mut().expect("one piece at least").push(c);
    }
    pieces
        .into_iter()
        .map(|t| format!("{head}<w:t xml:space=\"preserve\">{t}{tail}"))
        .collect()
}

/// The fonts a run of `text` needs: (complex-script font, East Asian font).
fn script_fonts(text: &str) -> (Option<&'static str>, Option<&'static str>) {
    let mut cs = None;
    let mut ea = None;
    for c in text.chars() {
        match c.script() {
            Script::Arabic if cs.is_none() => cs = Some("Noto Naskh Arabic"),
            Script::Hebrew if cs.is_none() => cs = Some("Noto Serif Hebrew"),
            Script::Devanagari if cs.is_none() => cs = Some("Noto Serif Devanagari"),
            Script::Thai if cs.is_none() => cs = Some("Noto Serif Thai"),
            Script::Khmer if cs.is_none() => cs = Some("Noto Serif Khmer"),
            Script::Han
            | Script::Hiragana
            | Script::Katakana
            | Script::Hangul
            | Script::Bopomofo
                if ea.is_none() =>
            {
                ea = Some("Noto Sans CJK SC");
            }
            _ => {}
        }
    }
    (cs, ea)
}

fn run(run: &str, dir: Dir) -> String {
    let text = run_text(run);
    let (cs, ea) = script_fonts(&text);
    let rtl = dir.is_rtl() && text.chars().any(is_rtl_char);
    if cs.is_none() && ea.is_none() && !rtl {
        return run.to_string();
    }
    // docx-rs writes empty properties as `<w:rPr />`; they are opened up to be filled, and a
    // run without properties gets an empty set.
    let mut r = run.replacen("<w:rPr />", "<w:rPr></w:rPr>", 1);
    r = r.replacen("<w:rPr/>", "<w:rPr></w:rPr>", 1);
    if !r.contains("<w:rPr>") {
        let open = r.find('>').map_or(r.len(), |i| i + 1);
        r.insert_str(open, "<w:rPr></w:rPr>");
    }
    let props_start = r.find("<w:rPr>").expect("inserted above") + "<w:rPr>".len();
    let props_end = r[props_start..]
        .find("</w:rPr>")
        .map_or(r.len(), |e| props_start + e);
    let mut props = r[props_start..props_end].to_string();
    let fonts: Vec<String> = [("w:cs", cs), ("w:eastAsia", ea)]
        .into_iter()
        .filter_map(|(a, f)| f.map(|f| format!("{a}=\"{f}\"")))
        .collect();
    if !fonts.is_empty() {
        match props.find("<w:rFonts") {
            Some(i) => {
                let close = props[i..].find("/>").map_or(props.len(), |c| i + c);
                let mut tag = props[i..close].to_string();
                for f in &fonts {
                    let attr = &f[..f.find('=').expect("attribute")];
                    if let Some(a) = tag.find(&format!(" {attr}=\"")) {
                        let v = a + attr.len() + 3;
                        let v_end = tag[v..].find('"').map_or(tag.len(), |e| v + e);
                        tag.replace_range(a..v_end + 1, "");
                    }
                    tag.push(' ');
                    tag.push_str(f);
                }
                props.replace_range(i..close, &tag);
            }
            None => {
                // `w:rFonts` follows only `w:rStyle`.
                let at = props
                    .find("<w:rStyle")
                    .and_then(|i| props[i..].find("/>").map(|c| i + c + 2))
                    .unwrap_or(0);
                props.insert_str(at, &format!("<w:rFonts {}/>", fonts.join(" ")));
            }
        }
    }
    if rtl && !props.contains("<w:rtl") {
        // `w:rtl` comes before `w:cs`, `w:em`, `w:lang` and what follows them.
        let at = [
            "<w:cs/>",
            "<w:cs ",
            "<w:em ",
            "<w:lang ",
            "<w:eastAsianLayout",
            "<w:specVanish",
            "<w:oMath",
        ]
        .iter()
        .filter_map(|t| props.find(t))
        .min()
        .unwrap_or(props.len());
        props.insert_str(at, "<w:rtl/>");
    }
    r.replace_range(props_start..props_end, &props);
    r
}

/// `w:bidi` in the section properties (right-to-left page: columns, gutter).
fn section_bidi(xml: &str) -> String {
    let Some(start) = xml.rfind("<w:sectPr") else {
        return xml.to_string();
    };
    let end = xml[start..]
        .find("</w:sectPr>")
        .map_or(xml.len(), |e| start + e);
    let sect = &xml[start..end];
    if sect.contains("<w:bidi") {
        return xml.to_string();
    }
    let at = ["<w:rtlGutter", "<w:docGrid", "<w:printerSettings"]
        .iter()
        .filter_map(|t| sect.find(t))
        .min()
        .unwrap_or(sect.len());
    format!(
        "{}{}<w:bidi/>{}",
        &xml[..start],
        &sect[..at],
        &xml[start + at..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_mixing_complex_scripts_is_split_so_each_gets_its_font() {
        let x = r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">A &amp; مرحبا — नमस्ते!</w:t></w:r>"#;
        assert_eq!(
            part(x, Dir::Ltr),
            concat!(
                r#"<w:r><w:rPr><w:rFonts w:cs="Noto Naskh Arabic"/><w:b/></w:rPr><w:t xml:space="preserve">A &amp; مرحبا — </w:t></w:r>"#,
                r#"<w:r><w:rPr><w:rFonts w:cs="Noto Serif Devanagari"/><w:b/></w:rPr><w:t xml:space="preserve">नमस्ते!</w:t></w:r>"#
            )
        );
        // One complex script with Latin stays one run.
        let y = r#"<w:r><w:t>A مرحبا B</w:t></w:r>"#;
        assert_eq!(
            part(y, Dir::Ltr),
            r#"<w:r><w:rPr><w:rFonts w:cs="Noto Naskh Arabic"/></w:rPr><w:t>A مرحبا B</w:t></w:r>"#
        );
    }

    #[test]
    fn an_arabic_run_of_a_right_to_left_document_is_marked_and_given_a_font() {
        let x = r#"<w:p><w:r><w:rPr><w:b/><w:lang w:val="ar"/></w:rPr><w:t xml:space="preserve">مرحبا</w:t></w:r><w:r><w:t>2025</w:t></w:r></w:p><w:sectPr><w:pgSz/><w:docGrid/></w:sectPr>"#;
        let y = part(x, Dir::Rtl);
        assert_eq!(
            y,
            r#"<w:p><w:r><w:rPr><w:rFonts w:cs="Noto Naskh Arabic"/><w:b/><w:rtl/><w:lang w:val="ar"/></w:rPr><w:t xml:space="preserve">مرحبا</w:t></w:r><w:r><w:t>2025</w:t></w:r></w:p><w:sectPr><w:pgSz/><w:bidi/><w:docGrid/></w:sectPr>"#
        );
    }

    #[test]
    fn left_to_right_documents_only_name_fonts() {
        let x = r#"<w:r><w:rPr><w:rStyle w:val="X"/><w:rFonts w:ascii="Calibri" w:cs="Calibri"/></w:rPr><w:t>שלום 漢字</w:t></w:r><w:tblPr>"#;
        assert_eq!(
            part(x, Dir::Ltr),
            r#"<w:r><w:rPr><w:rStyle w:val="X"/><w:rFonts w:ascii="Calibri" w:cs="Noto Serif Hebrew" w:eastAsia="Noto Sans CJK SC"/></w:rPr><w:t>שלום 漢字</w:t></w:r><w:tblPr>"#
        );
        let latin = "<w:r><w:t>Hello</w:t></w:r><w:rPr><w:rFonts/></w:rPr>";
        assert_eq!(part(latin, Dir::Ltr), latin);
        // docx-rs's empty properties are filled, not doubled.
        assert_eq!(
            part("<w:r><w:rPr /><w:t>ሰ ק</w:t></w:r>", Dir::Rtl),
            r#"<w:r><w:rPr><w:rFonts w:cs="Noto Serif Hebrew"/><w:rtl/></w:rPr><w:t>ሰ ק</w:t></w:r>"#
        );
    }

    #[test]
    fn right_to_left_defaults_put_bidi_before_spacing() {
        let x = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="ar" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>"#;
        assert_eq!(
            styles(x, Dir::Rtl, "ar"),
            r#"<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="ar" w:bidi="ar"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:bidi/><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>"#
        );
        assert_eq!(styles(x, Dir::Ltr, "en"), x);
    }
}
