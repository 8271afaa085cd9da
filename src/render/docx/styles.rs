//! The styles of a generated Word file: the reference document's, with any style the body needs
//! but the reference lacks taken from the built-in reference (and a warning), the brand's
//! colours and fonts on the built-in look, the document's language, and the fitted text scale.

use super::color::{hex, lighten};
use super::xml::esc;
use crate::ir::Theme;

/// Every `w:styleId` in a styles part.
pub(super) fn style_ids(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = xml[from..].find("w:styleId=\"") {
        let start = from + i + "w:styleId=\"".len();
        let Some(len) = xml[start..].find('"') else {
            break;
        };
        out.push(xml[start..start + len].to_string());
        from = start + len;
    }
    out
}

/// The `<w:style>` element with a style id, as written.
pub(super) fn style_element<'a>(xml: &'a str, id: &str) -> Option<&'a str> {
    let needle = format!("w:styleId=\"{id}\"");
    let at = xml.find(&needle)?;
    let start = xml[..at].rfind("<w:style ")?;
    let end = xml[at..].find("</w:style>")? + at + "</w:style>".len();
    Some(&xml[start..end])
}

/// The styles a body needs beyond the ones it names: the bases they inherit from.
fn with_bases(builtin: &str, ids: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut queue: Vec<String> = ids.iter().map(std::string::ToString::to_string).collect();
    while let Some(id) = queue.pop() {
        if out.contains(&id) {
            continue;
        }
        if let Some(el) = style_element(builtin, &id)
            && let Some(i) = el.find("<w:basedOn w:val=\"")
        {
            let s = i + "<w:basedOn w:val=\"".len();
            if let Some(l) = el[s..].find('"') {
                queue.push(el[s..s + l].to_string());
            }
        }
        out.push(id);
    }
    out
}

/// Adds to `reference` each needed style it lacks, from `builtin`, without the built-in fonts:
/// an added style takes the reference's own (through Normal), so a letterhead's type is not
/// mixed with Calibri and Cambria. Returns the merged part and the ids that were added.
pub(super) fn merge(reference: &str, builtin: &str, needed: &[&str]) -> (String, Vec<String>) {
    let have = style_ids(reference);
    let mut added = Vec::new();
    let mut insert = String::new();
    for id in with_bases(builtin, needed) {
        if have.iter().any(|h| h == &id) {
            continue;
        }
        if let Some(el) = style_element(builtin, &id) {
            insert.push_str(&without_fonts(el));
            added.push(id);
        }
    }
    let merged = match reference.rfind("</w:styles>") {
        Some(end) if !insert.is_empty() => {
            format!("{}{insert}{}", &reference[..end], &reference[end..])
        }
        _ => reference.to_string(),
    };
    added.sort();
    (merged, added)
}

/// A style element without its `w:rFonts`.
fn without_fonts(el: &str) -> String {
    let mut s = el.to_string();
    while let Some(i) = s.find("<w:rFonts ") {
        let end = s[i..].find("/>").map_or(s.len(), |e| i + e + 2);
        s.replace_range(i..end, "");
    }
    s
}

/// Moves the fonts and colour of the document defaults into the Normal style when it has none
/// of its own: LibreOffice drops a character style's look in table cells when the paragraph's
/// font comes from the defaults (fact labels and links turned black).
pub(super) fn defaults_into_normal(xml: &str) -> String {
    let Some(start) = xml.find("<w:rPrDefault>") else {
        return xml.to_string();
    };
    let end = xml[start..]
        .find("</w:rPrDefault>")
        .map_or(xml.len(), |e| start + e);
    let defaults = &xml[start..end];
    let take = |name: &str| {
        defaults.find(&format!("<{name} ")).map(|i| {
            let e = defaults[i..]
                .find("/>")
                .map_or(defaults.len(), |e| i + e + 2);
            defaults[i..e].to_string()
        })
    };
    let (fonts, color) = (take("w:rFonts"), take("w:color"));
    let Some(normal) = style_element(xml, "Normal") else {
        return xml.to_string();
    };
    let mut props = String::new();
    if !normal.contains("<w:rFonts ") {
        props.push_str(fonts.as_deref().unwrap_or_default());
    }
    if !normal.contains("<w:color ") {
        // `w:color` follows the fonts and the emphasis in a run's properties.
        props.push_str(color.as_deref().unwrap_or_default());
    }
    if props.is_empty() {
        return xml.to_string();
    }
    let patched = match normal.find("<w:rPr>") {
        Some(i) => {
            let body = i + "<w:rPr>".len();
            // Fonts first; the colour after any emphasis already there.
            let rest = &normal[body..];
            let at = [
                "<w:spacing",
                "<w:w ",
                "<w:kern",
                "<w:position",
                "<w:sz",
                "<w:highlight",
                "<w:u ",
                "<w:effect",
                "<w:bdr",
                "<w:shd",
                "<w:fitText",
                "<w:vertAlign",
                "<w:rtl",
                "<w:cs",
                "<w:em ",
                "<w:lang",
                "<w:eastAsianLayout",
                "<w:specVanish",
                "<w:oMath",
                "</w:rPr>",
            ]
            .iter()
            .filter_map(|t| rest.find(t))
            .min()
            .unwrap_or(0);
            let fonts_part = if normal.contains("<w:rFonts ") {
                String::new()
            } else {
                fonts.clone().unwrap_or_default()
            };
            let color_part = if normal.contains("<w:color ") {
                String::new()
            } else {
                color.clone().unwrap_or_default()
            };
            format!(
                "{}{fonts_part}{}{color_part}{}",
                &normal[..body],
                &rest[..at],
                &rest[at..]
            )
        }
        None => normal.replacen(
            "</w:style>",
            &format!("<w:rPr>{props}</w:rPr></w:style>"),
            1,
        ),
    };
    xml.replacen(normal, &patched, 1)
}

/// Styles Word keeps for itself: every Word file has them, LibreOffice never writes them, and
/// a reference is never told it lacks them.
pub const WORD_INTERNAL: &[&str] = &["DefaultParagraphFont", "TableNormal", "NoList"];

/// The styles the body can use that a reference lacks (Word's internal ones aside).
pub(super) fn missing(reference: &str) -> Vec<String> {
    let have = style_ids(reference);
    let mut out: Vec<String> = super::body::STYLES
        .iter()
        .filter(|id| !WORD_INTERNAL.contains(id) && !have.iter().any(|h| h == *id))
        .map(std::string::ToString::to_string)
        .collect();
    out.sort();
    out
}

/// Removes numbering references (`w:numPr`) from style definitions.
pub(super) fn strip_numbering(xml: &str) -> String {
    let mut s = xml.to_string();
    while let Some(i) = s.find("<w:numPr>") {
        let end = s[i..]
            .find("</w:numPr>")
            .map_or(s.len(), |e| i + e + "</w:numPr>".len());
        s.replace_range(i..end, "");
    }
    s
}

/// Word names of the bundled fonts: their metric-compatible twins, so a document laid out for
/// Carlito/Caladea keeps its line breaks in Word (Calibri/Cambria) and in LibreOffice (which
/// substitutes Carlito/Caladea back).
pub(super) fn word_font(family: &str) -> String {
    match family.to_ascii_lowercase().as_str() {
        "carlito" => "Calibri".into(),
        "caladea" => "Cambria".into(),
        _ => family.to_string(),
    }
}

/// The built-in look in the brand's colours and fonts (the built-in reference only).
pub(super) fn brand(xml: &str, theme: &Theme) -> String {
    let pairs = [
        ("002F6C", hex(&theme.primary)),
        ("BA0C2F", hex(&theme.accent)),
        ("212721", hex(&theme.text)),
        ("E8EEF6", hex(&theme.tint)),
        ("4F7CAC", lighten(&theme.primary, 0.3)),
        ("A7B9D1", lighten(&theme.primary, 0.65)),
        ("F8E6EA", lighten(&theme.accent, 0.9)),
        ("F1F5FA", lighten(&theme.tint, 0.4)),
    ];
    let mut out = xml.to_string();
    // Via unique tokens, so a brand colour equal to another default is not replaced twice.
    for (i, (from, _)) in pairs.iter().enumerate() {
        out = out.replace(from, &format!("\u{E010}{i}\u{E011}"));
    }
    for (i, (_, to)) in pairs.iter().enumerate() {
        out = out.replace(&format!("\u{E010}{i}\u{E011}"), to);
    }
    let heading = word_font(&theme.heading_font);
    let body = word_font(&theme.body_font);
    out = out
        .replace("\"Calibri\"", "\"\u{E012}\"")
        .replace("\"Cambria\"", "\"\u{E013}\"");
    out = out
        .replace("\u{E012}", &esc(&heading))
        .replace("\u{E013}", &esc(&body));
    out
}

/// Sets the right tab of headers and footers at the text width: the built-in reference is
/// drawn for A4 with its own margins.
pub(super) fn tabs_at(xml: &str, text_width: i64) -> String {
    xml.replace("w:pos=\"9355\"", &format!("w:pos=\"{text_width}\""))
}

/// Multiplies every font size (`w:sz`, `w:szCs`, in half-points) and the space before and
/// after paragraphs by `scale`: a fitted page is set smaller throughout, as in the PDF.
pub(super) fn scale_sizes(xml: &str, scale: f64) -> String {
    if (scale - 1.0).abs() < 1e-9 {
        return xml.to_string();
    }
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    loop {
        let next = [
            "<w:sz w:val=\"",
            "<w:szCs w:val=\"",
            " w:before=\"",
            " w:after=\"",
        ]
        .iter()
        .filter_map(|n| rest.find(n).map(|i| (i, n.len())))
        .min();
        let Some((i, n)) = next else {
            out.push_str(rest);
            break;
        };
        // A type size never drops below one point; a space may be none.
        let least = if rest[i..].starts_with("<w:sz") {
            2.0
        } else {
            0.0
        };
        out.push_str(&rest[..i + n]);
        rest = &rest[i + n..];
        let end = rest.find('"').unwrap_or(0);
        match rest[..end].parse::<f64>() {
            Ok(v) => out.push_str(&((v * scale).round().max(least) as u32).to_string()),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out
}

/// Sets the default language (`w:lang` in the document defaults).
pub(super) fn set_language(xml: &str, tag: &str) -> String {
    let lang = format!("<w:lang w:val=\"{tag}\" w:eastAsia=\"{tag}\" w:bidi=\"ar-SA\"/>");
    if let Some(start) = xml.find("<w:rPrDefault>") {
        let end = xml[start..]
            .find("</w:rPrDefault>")
            .map_or(xml.len(), |e| start + e);
        let section = &xml[start..end];
        let new_section = match (
            section.find("<w:lang "),
            section.find("<w:rPr>"),
            section.find("<w:rPr/>"),
        ) {
            (Some(l), _, _) => {
                let close = section[l..].find("/>").map_or(section.len(), |c| l + c + 2);
                format!("{}{lang}{}", &section[..l], &section[close..])
            }
            (None, Some(r), _) => format!(
                "{}<w:rPr>{lang}{}",
                &section[..r],
                &section[r + "<w:rPr>".len()..]
            ),
            (None, None, Some(r)) => format!(
                "{}<w:rPr>{lang}</w:rPr>{}",
                &section[..r],
                &section[r + "<w:rPr/>".len()..]
            ),
            (None, None, None) => format!(
                "<w:rPrDefault><w:rPr>{lang}</w:rPr>{}",
                &section["<w:rPrDefault>".len()..]
            ),
        };
        return format!("{}{new_section}{}", &xml[..start], &xml[end..]);
    }
    let defaults = format!(
        "<w:docDefaults><w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault></w:docDefaults>"
    );
    match xml.find("<w:docDefaults>") {
        Some(i) => format!(
            "{}<w:docDefaults><w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault>{}",
            &xml[..i],
            &xml[i + "<w:docDefaults>".len()..]
        ),
        None => match xml.find("<w:style ") {
            Some(i) => format!("{}{defaults}{}", &xml[..i], &xml[i..]),
            None => xml.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILTIN: &str = include_str!("../../../templates/docx/reference/word/styles.xml");

    #[test]
    fn the_builtin_styles_define_every_style_the_body_lists() {
        // The integration test `word::every_style_the_body_uses_is_defined_and_listed` checks
        // the list against what the body writes for two assessments.
        let ids = style_ids(BUILTIN);
        for id in super::super::body::STYLES.iter().chain(WORD_INTERNAL) {
            assert!(ids.iter().any(|i| i == id), "{id}");
        }
        assert!(missing(BUILTIN).is_empty(), "{:?}", missing(BUILTIN));
    }

    #[test]
    fn a_missing_style_comes_from_the_builtin_with_its_base() {
        let reference = r#"<w:styles><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>"#;
        let (merged, added) = merge(reference, BUILTIN, &["Lead", "Normal"]);
        assert_eq!(added, vec!["Lead".to_string()]);
        assert!(merged.contains("w:styleId=\"Lead\""));
        assert_eq!(
            style_ids(&merged).iter().filter(|i| *i == "Normal").count(),
            1
        );
    }

    #[test]
    fn the_defaults_fonts_and_colour_move_into_normal() {
        let x = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="DejaVu Sans"/><w:color w:val="333333"/><w:sz w:val="20"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:b/><w:sz w:val="22"/></w:rPr></w:style>"#;
        let y = defaults_into_normal(x);
        assert!(
            y.ends_with(r#"<w:rPr><w:rFonts w:ascii="DejaVu Sans"/><w:b/><w:color w:val="333333"/><w:sz w:val="22"/></w:rPr></w:style>"#),
            "{y}"
        );
        assert_eq!(defaults_into_normal(&y), y);
        let merged = merge(&format!("<w:styles>{x}</w:styles>"), BUILTIN, &["Caption"]).0;
        let caption = style_element(&merged, "Caption").unwrap();
        assert!(!caption.contains("w:rFonts"), "{caption}");
    }

    #[test]
    fn sizes_scale_and_language_is_set() {
        let x = r#"<w:rPrDefault><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault>"#;
        let s = scale_sizes(x, 0.9);
        assert!(s.contains("<w:sz w:val=\"18\"/>"), "{s}");
        assert_eq!(
            scale_sizes(
                r#"<w:spacing w:before="0" w:after="120" w:line="264"/>"#,
                0.5
            ),
            r#"<w:spacing w:before="0" w:after="60" w:line="264"/>"#
        );
        let l = set_language(&s, "es-PE");
        assert!(l.contains("<w:lang w:val=\"es-PE\""), "{l}");
        assert!(!l.contains("en-US"), "{l}");
    }

    #[test]
    fn brand_colours_and_fonts_replace_the_defaults() {
        let theme = Theme {
            primary: "#112233".into(),
            accent: "#002F6C".into(),
            text: "#000000".into(),
            tint: "#EEEEEE".into(),
            heading_font: "Carlito".into(),
            body_font: "Liberation Serif".into(),
        };
        let x =
            r#"<w:color w:val="002F6C"/><w:color w:val="BA0C2F"/><w:rFonts w:ascii="Cambria"/>"#;
        let b = brand(x, &theme);
        assert_eq!(
            b,
            r#"<w:color w:val="112233"/><w:color w:val="002F6C"/><w:rFonts w:ascii="Liberation Serif"/>"#
        );
    }
}
