//! Edits of a reference document's XML parts by element name: removing, replacing and
//! inserting elements where the schema's order puts them. The reference's parts are kept as
//! written otherwise, so what a mission made in Word or LibreOffice survives.

/// Removes every `<name ...>...</name>` or `<name .../>` element.
pub(super) fn remove_element(xml: &str, name: &str) -> String {
    let mut s = xml.to_string();
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(rel) = s[from..].find(&open) {
        let i = from + rel;
        let after = &s[i + open.len()..];
        // `<w:rsids` must not match `<w:rsidsRoot`.
        if !(after.starts_with(' ') || after.starts_with('>') || after.starts_with('/')) {
            from = i + open.len();
            continue;
        }
        let open_end = s[i..].find('>').map_or(s.len(), |e| i + e + 1);
        let end = if s[i..open_end].ends_with("/>") {
            open_end
        } else {
            let close = format!("</{name}>");
            s[open_end..]
                .find(&close)
                .map_or(s.len(), |e| open_end + e + close.len())
        };
        s.replace_range(i..end, "");
        from = i;
    }
    s
}

/// Replaces the first empty `<name .../>` element, or inserts `with` before `before` (the
/// first of them found), or at the end of the section.
pub(super) fn replace_element(s: &str, name: &str, with: &str, before: &[&str]) -> String {
    let open = format!("<{name} ");
    if let Some(i) = s.find(&open) {
        let end = s[i..].find("/>").map_or(s.len(), |e| i + e + 2);
        return format!("{}{with}{}", &s[..i], &s[end..]);
    }
    insert_before(s, with, before)
}

/// Inserts `with` before the first of `before` found, or before `</w:sectPr>`.
pub(super) fn insert_before(s: &str, with: &str, before: &[&str]) -> String {
    let at = before
        .iter()
        .chain(["</w:sectPr>"].iter())
        .filter_map(|t| s.find(t))
        .min()
        .unwrap_or(s.len());
    format!("{}{with}{}", &s[..at], &s[at..])
}

/// Settings: drops what points at parts deca does not carry over, sets the theme language.
pub(super) fn settings(xml: &str, lang: &str) -> String {
    let mut s = xml.to_string();
    for name in [
        "w:attachedTemplate",
        "w:footnotePr",
        "w:endnotePr",
        "w:rsids",
        "w:docVars",
    ] {
        s = remove_element(&s, name);
    }
    let theme_lang = format!("<w:themeFontLang w:val=\"{lang}\"/>");
    s = remove_element(&s, "w:themeFontLang");
    // Where the schema puts it: after the compatibility settings, before the colour mapping.
    let later = [
        "<w:clrSchemeMapping",
        "<w:doNotIncludeSubdocsInStats",
        "<w:doNotAutoCompressPictures",
        "<w:forceUpgrade",
        "<w:captions",
        "<w:readModeInkLockDown",
        "<w:smartTagType",
        "<sl:schemaLibrary",
        "<w:shapeDefaults",
        "<w:doNotEmbedSmartTags",
        "<w:decimalSymbol",
        "<w:listSeparator",
        "</w:settings>",
    ];
    if let Some(i) = later.iter().filter_map(|t| s.find(t)).min() {
        s.insert_str(i, &theme_lang);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_lose_parts_we_do_not_carry() {
        let s = r#"<w:settings><w:attachedTemplate r:id="rId1"/><w:footnotePr><w:footnote w:id="-1"/></w:footnotePr><w:compat/></w:settings>"#;
        assert_eq!(
            settings(s, "es-PE"),
            r#"<w:settings><w:compat/><w:themeFontLang w:val="es-PE"/></w:settings>"#
        );
    }

    #[test]
    fn elements_go_where_the_schema_puts_them() {
        let s = "<w:sectPr><w:pgSz w:w=\"1\"/><w:cols/></w:sectPr>";
        assert_eq!(
            replace_element(s, "w:pgSz", "<w:pgSz w:w=\"2\"/>", &[]),
            "<w:sectPr><w:pgSz w:w=\"2\"/><w:cols/></w:sectPr>"
        );
        assert_eq!(
            replace_element(s, "w:pgMar", "<w:pgMar/>", &["<w:cols"]),
            "<w:sectPr><w:pgSz w:w=\"1\"/><w:pgMar/><w:cols/></w:sectPr>"
        );
        assert_eq!(
            remove_element("<a><w:rsids><x/></w:rsids><w:rsidsRoot/></a>", "w:rsids"),
            "<a><w:rsidsRoot/></a>"
        );
    }
}
