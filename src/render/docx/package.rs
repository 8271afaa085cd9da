//! Assembling the Word package: docx-rs's body, numbering, footnotes and pictures, combined
//! with the reference document's styles, theme, settings, fonts, page setup, headers and footers
//! (placeholders filled), our core properties, and a deterministic zip.

use std::collections::BTreeMap;
use std::io::Write;

use super::body::Body;
use super::placeholders;
use super::reference::{self, Reference};
use super::styles;
use crate::diag::Diagnostic;
use crate::edition::Kind;
use crate::ir::Document;

const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT_MAIN: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

/// Values for `{{placeholders}}`, by name.
pub fn placeholder_values(doc: &Document) -> BTreeMap<String, String> {
    let m = &doc.meta;
    let f = &doc.front;
    // A one-page document carries no page count, as in the PDF.
    let page_x_of_y = if doc.kind.is_one_page() {
        String::new()
    } else {
        doc.labels
            .get("page-x-of-y")
            .cloned()
            .unwrap_or_else(|| "{page} / {total}".into())
            .replace("{page}", "{{page}}")
            .replace("{total}", "{{pages}}")
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
    ])
}

/// Names every known placeholder, for the error about an unknown one.
pub fn known_placeholders(doc: &Document) -> Vec<String> {
    let mut names: Vec<String> = placeholder_values(doc).into_keys().collect();
    names.extend([
        "page".to_string(),
        "pages".to_string(),
        "content".to_string(),
    ]);
    names.sort();
    names
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The language tag Word uses: `es-PE`.
pub fn lang_tag(doc: &Document) -> String {
    match &doc.region {
        Some(r) => format!("{}-{}", doc.lang, r),
        None => doc.lang.clone(),
    }
}

fn fill_part(doc: &Document, part: &str, xml: &str) -> Result<String, Diagnostic> {
    placeholders::fill(xml, &placeholder_values(doc)).map_err(|placeholders::Unknown(name)| {
        let known: Vec<String> = known_placeholders(doc)
            .iter()
            .map(|k| format!("{{{{{k}}}}}"))
            .collect();
        Diagnostic::error(format!(
            "unknown placeholder `{{{{{name}}}}}` in `{part}` of the reference document"
        ))
        .hint(format!("known placeholders: {}", known.join(", ")))
    })
}

/// Gives each picture a unique id and its alt text (`descr`), in document order.
fn patch_pictures(xml: &str, alts: &[String]) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    let mut n = 0usize;
    loop {
        let next = [("<wp:docPr ", true), ("<pic:cNvPr ", false)]
            .iter()
            .filter_map(|(tag, is_doc)| rest.find(tag).map(|i| (i, *tag, *is_doc)))
            .min_by_key(|x| x.0);
        let Some((i, tag, is_doc)) = next else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..i]);
        let close = rest[i..].find("/>").map_or(rest.len(), |c| i + c + 2);
        if is_doc {
            n += 1;
        }
        let alt = alts
            .get(n.saturating_sub(1))
            .map(|a| xml_escape(a))
            .unwrap_or_default();
        // Body pictures are numbered from 1001, clear of the ids in a reference's headers.
        let id = 1000 + n;
        out.push_str(&format!(
            "{tag}id=\"{id}\" name=\"Picture {n}\" descr=\"{alt}\"/>"
        ));
        rest = &rest[close..];
    }
    out
}

/// Marks the first row of the listed tables as a header row that repeats on every page.
fn patch_table_headers(xml: &str, headers: &[bool]) -> String {
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    let mut k = 0;
    while let Some(i) = rest.find("<w:tbl>") {
        out.push_str(&rest[..i + "<w:tbl>".len()]);
        rest = &rest[i + "<w:tbl>".len()..];
        let wants = headers.get(k).copied().unwrap_or(false);
        k += 1;
        if !wants {
            continue;
        }
        let Some(tr) = rest.find("<w:tr>").or_else(|| rest.find("<w:tr ")) else {
            continue;
        };
        let open_end = rest[tr..].find('>').map_or(0, |e| tr + e + 1);
        out.push_str(&rest[..open_end]);
        rest = &rest[open_end..];
        if rest.starts_with("<w:trPr>") {
            out.push_str("<w:trPr><w:tblHeader/>");
            rest = &rest["<w:trPr>".len()..];
        } else {
            out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
    }
    out.push_str(rest);
    out
}

/// The reference's page setup, adjusted to the kind: the report's cover has no header or
/// footer; with the built-in reference, one-page documents get narrower margins and the paper
/// follows `--paper`.
fn section(doc: &Document, r: &Reference) -> String {
    let mut s = r.section().unwrap_or_else(|| {
        "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1247\" w:bottom=\"1304\" w:left=\"1304\" w:header=\"680\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>".into()
    });
    s = s
        .replace("<w:titlePg/>", "")
        .replace("<w:titlePg w:val=\"1\"/>", "");
    match doc.kind {
        // The cover has neither header nor footer.
        Kind::Report => s = insert_title_pg(&s),
        // A brief's first page opens with its title band: footer, but no running header.
        Kind::Brief => {
            if let Some(footer) = reference_id(&s, "w:footerReference", "default") {
                let first = format!("<w:footerReference w:type=\"first\" r:id=\"{footer}\"/>");
                // References come first in a section, before the page setup.
                let at = s.find('>').map_or(0, |i| i + 1);
                s.insert_str(at, &first);
                s = insert_title_pg(&s);
            }
        }
        _ => {}
    }
    if r.builtin {
        if doc.page.paper == "us-letter" {
            s = replace_element(&s, "w:pgSz", "<w:pgSz w:w=\"12240\" w:h=\"15840\"/>");
        }
        if doc.kind.is_one_page() {
            s = replace_element(
                &s,
                "w:pgMar",
                "<w:pgMar w:top=\"851\" w:right=\"1021\" w:bottom=\"1021\" w:left=\"1021\" w:header=\"454\" w:footer=\"454\" w:gutter=\"0\"/>",
            );
            // One-page documents carry no running header; the footer keeps the page count.
            s = remove_header_refs(&s);
        }
    }
    s
}

/// Adds `<w:titlePg/>` where the schema's order puts it (Word rejects sections out of order).
fn insert_title_pg(sect: &str) -> String {
    let later = [
        "<w:textDirection",
        "<w:bidi",
        "<w:rtlGutter",
        "<w:docGrid",
        "<w:printerSettings",
        "</w:sectPr>",
    ];
    let at = later
        .iter()
        .filter_map(|t| sect.find(t))
        .min()
        .unwrap_or(sect.len());
    format!("{}<w:titlePg/>{}", &sect[..at], &sect[at..])
}

/// The relationship id of a header or footer reference of a given type in a section.
fn reference_id(sect: &str, element: &str, kind: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = sect[from..].find(&format!("<{element} ")) {
        let start = from + i;
        let end = sect[start..].find("/>").map_or(sect.len(), |e| start + e);
        let el = &sect[start..end];
        if el.contains(&format!("w:type=\"{kind}\"")) {
            let at = el.find("r:id=\"")? + "r:id=\"".len();
            return el[at..].split('"').next().map(str::to_string);
        }
        from = end;
    }
    None
}

fn replace_element(s: &str, name: &str, with: &str) -> String {
    let open = format!("<{name} ");
    match s.find(&open) {
        Some(i) => {
            let end = s[i..].find("/>").map_or(s.len(), |e| i + e + 2);
            format!("{}{with}{}", &s[..i], &s[end..])
        }
        None => s.replacen("</w:sectPr>", &format!("{with}</w:sectPr>"), 1),
    }
}

fn remove_header_refs(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(i) = out.find("<w:headerReference ") {
        let end = out[i..].find("/>").map_or(out.len(), |e| i + e + 2);
        out.replace_range(i..end, "");
    }
    out
}

/// Core properties: title, author, subject, keywords, language, fixed dates.
fn core_xml(doc: &Document, created: &str) -> String {
    let m = &doc.meta;
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
            "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{author}</dc:creator>",
            "<cp:keywords>{keywords}</cp:keywords><dc:description>{description}</dc:description>",
            "<dc:language>{lang}</dc:language><cp:lastModifiedBy>deca</cp:lastModifiedBy>",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:created>",
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:modified>",
            "</cp:coreProperties>"
        ),
        title = xml_escape(&m.title),
        subject = xml_escape(&format!("{} — {}", m.assessment, doc.front.kicker)),
        author = xml_escape(&m.author),
        keywords = xml_escape(&m.keywords.join(", ")),
        description = xml_escape(doc.front.status.as_deref().unwrap_or("")),
        lang = xml_escape(&lang_tag(doc)),
        created = created,
    )
}

fn app_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>deca {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    )
}

/// Footnotes with the separator entries Word expects before any note.
fn footnotes_xml(xml: &str) -> String {
    let sep = concat!(
        "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>",
        "<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    );
    match xml.find("<w:footnotes") {
        Some(i) => {
            let open_end = xml[i..].find('>').map_or(xml.len(), |e| i + e + 1);
            if xml[i..open_end].ends_with("/>") {
                // An empty footnotes part: open it.
                format!("{}>{sep}</w:footnotes>", &xml[..open_end - 2])
            } else {
                format!("{}{sep}{}", &xml[..open_end], &xml[open_end..])
            }
        }
        None => xml.to_string(),
    }
}

/// Drops settings that point at parts deca does not carry over.
fn settings_xml(xml: &str, lang: &str) -> String {
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
    if let Some(i) = s.find("<w:compat") {
        s.insert_str(i, &theme_lang);
    }
    s
}

fn remove_element(xml: &str, name: &str) -> String {
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

/// docx-rs writes a hyperlink's target into the relationships part as it is, unescaped: `&`
/// made the part unreadable (the link lost its target) and `"` ended the attribute early. The
/// targets are escaped here before the part is read. A link target never contains white space
/// (rich text and validation refuse it), so it runs exactly to the ` TargetMode="External"`
/// docx-rs writes after it; any other target ends at its closing quote.
fn escape_link_targets(rels: &[u8]) -> Vec<u8> {
    const TARGET: &str = " Target=\"";
    const EXTERNAL: &str = "\" TargetMode=\"External\"";
    let text = String::from_utf8_lossy(rels);
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text.as_ref();
    while let Some(i) = rest.find(TARGET) {
        let start = i + TARGET.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let next_element = rest.find("<Relationship").unwrap_or(rest.len());
        let end = match rest.find(EXTERNAL) {
            Some(e) if e < next_element => e,
            _ => rest.find('"').unwrap_or(rest.len()),
        };
        out.push_str(&xml_escape(&rest[..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.into_bytes()
}

/// A relationship element.
fn rel(id: &str, kind: &str, target: &str, external: bool) -> String {
    format!(
        "<Relationship Id=\"{}\" Type=\"{NS_REL}/{kind}\" Target=\"{}\"{}/>",
        xml_escape(id),
        xml_escape(target),
        if external {
            " TargetMode=\"External\""
        } else {
            ""
        }
    )
}

/// Builds the final package.
pub fn assemble(
    doc: &Document,
    body: Body,
    r: &Reference,
    builtin: &Reference,
    created: &str,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let table_headers = body.table_headers.clone();
    let alts = body.alts.clone();
    let needed = body.styles.clone();
    let x = body.docx.build();
    let tag = lang_tag(doc);

    let mut parts: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut overrides: Vec<(String, String)> = vec![
        ("/word/document.xml".into(), CT_MAIN.into()),
        (
            "/docProps/core.xml".into(),
            "application/vnd.openxmlformats-package.core-properties+xml".into(),
        ),
        (
            "/docProps/app.xml".into(),
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
        ),
    ];
    let mut rels = vec![
        rel("rIdDecaStyles", "styles", "styles.xml", false),
        rel("rIdDecaSettings", "settings", "settings.xml", false),
        rel("rIdDecaFonts", "fontTable", "fontTable.xml", false),
        rel("rIdDecaNumbering", "numbering", "numbering.xml", false),
        rel("rIdDecaFootnotes", "footnotes", "footnotes.xml", false),
    ];
    overrides.push((
        "/word/numbering.xml".into(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml".into(),
    ));
    overrides.push((
        "/word/footnotes.xml".into(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml".into(),
    ));
    overrides.push((
        "/word/styles.xml".into(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml".into(),
    ));
    overrides.push((
        "/word/settings.xml".into(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml".into(),
    ));
    overrides.push((
        "/word/fontTable.xml".into(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml".into(),
    ));

    // Styles: the reference's, completed from the built-in, branded when built-in, scaled to fit.
    let builtin_styles = builtin
        .part_of_kind("styles")
        .and_then(|p| builtin.text(&p))
        .unwrap_or_default();
    let ref_styles = r.part_of_kind("styles").and_then(|p| r.text(&p));
    let mut styles_xml = match ref_styles {
        // The reference's numbering part is not carried over (deca writes its own lists), so
        // its styles must not point into it.
        Some(s) => styles::merge(&styles::strip_numbering(&s), &builtin_styles, &needed).0,
        None => builtin_styles.clone(),
    };
    if r.builtin {
        styles_xml = styles::brand(&styles_xml, &doc.theme);
    }
    // Word and LibreOffice set type a little looser than Typst: a one-page document keeps
    // a step in hand so it stays on one page in them too.
    let scale = if doc.kind.is_one_page() {
        doc.scale * 0.86
    } else {
        doc.scale
    };
    styles_xml = styles::scale_sizes(&styles_xml, scale);
    styles_xml = styles::set_language(&styles_xml, &tag);
    styles_xml = super::direction::styles(&styles_xml, doc.dir, &tag);
    parts.insert("word/styles.xml".into(), styles_xml.into_bytes());

    // Theme, settings and fonts from the reference.
    if let Some(theme_part) = r.part_of_kind("theme") {
        let mut t = r.text(&theme_part).unwrap_or_default();
        if r.builtin {
            t = styles::brand(&t, &doc.theme);
        }
        parts.insert("word/theme/theme1.xml".into(), t.into_bytes());
        rels.push(rel("rIdDecaTheme", "theme", "theme/theme1.xml", false));
        overrides.push((
            "/word/theme/theme1.xml".into(),
            "application/vnd.openxmlformats-officedocument.theme+xml".into(),
        ));
    }
    let settings = r
        .part_of_kind("settings")
        .and_then(|p| r.text(&p))
        .or_else(|| {
            builtin
                .part_of_kind("settings")
                .and_then(|p| builtin.text(&p))
        })
        .unwrap_or_default();
    parts.insert(
        "word/settings.xml".into(),
        settings_xml(&settings, &tag).into_bytes(),
    );
    let fonts = r
        .part_of_kind("fontTable")
        .and_then(|p| r.parts.get(&p).cloned())
        .unwrap_or_else(|| x.font_table.clone());
    parts.insert("word/fontTable.xml".into(), fonts);

    // Headers and footers, with their own relationships and media.
    let mut content_defaults: BTreeMap<String, String> = BTreeMap::from([
        (
            "rels".into(),
            "application/vnd.openxmlformats-package.relationships+xml".into(),
        ),
        ("xml".into(), "application/xml".into()),
        ("png".into(), "image/png".into()),
    ]);
    for hf in r
        .rels
        .iter()
        .filter(|x| matches!(x.short_kind(), "header" | "footer") && !x.external)
    {
        let path = reference::resolve(&r.main, &hf.target);
        let Some(text) = r.text(&path) else { continue };
        let filled = fill_part(doc, &path, &text).map_err(|d| vec![d])?;
        let target = path.strip_prefix("word/").unwrap_or(&path).to_string();
        rels.push(rel(&hf.id, hf.short_kind(), &target, false));
        let ct = format!(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml",
            hf.short_kind()
        );
        overrides.push((format!("/{path}"), ct));
        parts.insert(
            path.clone(),
            super::direction::part(&filled, doc.dir).into_bytes(),
        );
        let own_rels = reference::rels_path(&path);
        if let Some(rb) = r.parts.get(&own_rels) {
            for media in reference::parse_rels(rb).iter().filter(|m| !m.external) {
                let mp = reference::resolve(&path, &media.target);
                if let Some(bytes) = r.parts.get(&mp) {
                    if let Some(ext) = mp.rsplit('.').next() {
                        content_defaults
                            .entry(ext.to_ascii_lowercase())
                            .or_insert_with(|| media_type(ext));
                    }
                    parts.insert(mp, bytes.clone());
                }
            }
            parts.insert(own_rels, rb.clone());
        }
    }

    // The body: docx-rs's document with pictures, table headers and page setup patched.
    let mut document = String::from_utf8_lossy(&x.document).into_owned();
    document = patch_pictures(&document, &alts);
    document = patch_table_headers(&document, &table_headers);
    let sect = section(doc, r);
    if let (Some(start), Some(end)) = (document.rfind("<w:sectPr"), document.rfind("</w:sectPr>")) {
        document.replace_range(start..end + "</w:sectPr>".len(), &sect);
    }
    if let Some((before, after)) = r.body_wrapper() {
        let before = fill_part(doc, &r.main, &before).map_err(|d| vec![d])?;
        let after = fill_part(doc, &r.main, &after).map_err(|d| vec![d])?;
        if let Some(i) = document.find("<w:body>") {
            document.insert_str(i + "<w:body>".len(), &before);
        }
        if let Some(i) = document.rfind("<w:sectPr") {
            document.insert_str(i, &after);
        }
    }
    document = super::direction::part(&document, doc.dir);
    parts.insert("word/document.xml".into(), document.into_bytes());
    parts.insert("word/numbering.xml".into(), x.numberings.clone());
    parts.insert(
        "word/footnotes.xml".into(),
        super::direction::part(
            &footnotes_xml(&String::from_utf8_lossy(&x.footnotes)),
            doc.dir,
        )
        .into_bytes(),
    );

    // docx-rs's picture and link relationships, and its media.
    // docx-rs keeps these in hash order; sort them so the part is the same every run.
    let mut own: Vec<reference::Rel> =
        reference::parse_rels(&escape_link_targets(&x.document_rels))
            .into_iter()
            .filter(|dr| matches!(dr.short_kind(), "image" | "hyperlink"))
            .collect();
    own.sort_by_key(|dr| {
        let digits: String = dr.id.chars().filter(char::is_ascii_digit).collect();
        (
            dr.short_kind().to_string(),
            digits.parse::<u64>().unwrap_or(0),
            dr.id.clone(),
        )
    });
    for dr in own {
        rels.push(rel(&dr.id, dr.short_kind(), &dr.target, dr.external));
    }
    for (name, bytes) in &x.media {
        parts.insert(format!("word/media/{name}.png"), bytes.clone());
    }

    let rels_xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{}</Relationships>",
        rels.concat()
    );
    parts.insert("word/_rels/document.xml.rels".into(), rels_xml.into_bytes());
    parts.insert(
        "_rels/.rels".into(),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{}{}{}</Relationships>",
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
            "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
            "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
        )
        .into_bytes(),
    );
    parts.insert(
        "docProps/core.xml".into(),
        core_xml(doc, created).into_bytes(),
    );
    parts.insert("docProps/app.xml".into(), app_xml().into_bytes());

    overrides.sort();
    overrides.dedup();
    let types = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">{}{}</Types>",
        content_defaults
            .iter()
            .map(|(e, t)| format!(
                "<Default Extension=\"{}\" ContentType=\"{}\"/>",
                xml_escape(e),
                xml_escape(t)
            ))
            .collect::<String>(),
        overrides
            .iter()
            .map(|(p, t)| format!(
                "<Override PartName=\"{}\" ContentType=\"{}\"/>",
                xml_escape(p),
                xml_escape(t)
            ))
            .collect::<String>()
    );

    zip_parts(&types, &parts).map_err(|e| {
        vec![Diagnostic::error(format!(
            "failed to write the Word package ({e})"
        ))]
    })
}

fn media_type(ext: &str) -> String {
    match ext.to_ascii_lowercase().as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "bmp" => "image/bmp",
        "svg" => "image/svg+xml",
        "emf" => "image/x-emf",
        "wmf" => "image/x-wmf",
        "tif" | "tiff" => "image/tiff",
        _ => "application/octet-stream",
    }
    .to_string()
}

/// A zip with `[Content_Types].xml` first, entries in name order and a fixed date, so the same
/// parts always give the same bytes.
fn zip_parts(types: &str, parts: &BTreeMap<String, Vec<u8>>) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    zip.start_file("[Content_Types].xml", options)?;
    zip.write_all(types.as_bytes())?;
    for (name, bytes) in parts {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_get_unique_ids_and_alt_text() {
        let x = r#"<wp:docPr id="1" name="Figure" /><pic:cNvPr id="0" name="" /><wp:docPr id="1" name="Figure" /><pic:cNvPr id="0" name="" />"#;
        let out = patch_pictures(x, &["A & B".into(), "C".into()]);
        assert_eq!(
            out,
            r#"<wp:docPr id="1001" name="Picture 1" descr="A &amp; B"/><pic:cNvPr id="1001" name="Picture 1" descr="A &amp; B"/><wp:docPr id="1002" name="Picture 2" descr="C"/><pic:cNvPr id="1002" name="Picture 2" descr="C"/>"#
        );
    }

    #[test]
    fn the_first_row_of_a_table_repeats() {
        let x = "<w:tbl><w:tr><w:trPr><w:cantSplit/></w:trPr></w:tr><w:tr></w:tr></w:tbl><w:tbl><w:tr></w:tr></w:tbl>";
        let out = patch_table_headers(x, &[true, false]);
        assert_eq!(
            out,
            "<w:tbl><w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr></w:tr><w:tr></w:tr></w:tbl><w:tbl><w:tr></w:tr></w:tbl>"
        );
    }

    /// What docx-rs writes for a link, read back: the target arrives whole and is escaped
    /// once in the relationship deca writes.
    #[test]
    fn link_targets_with_ampersands_and_quotes_survive() {
        use docx_rs::{Docx, Hyperlink, HyperlinkData, HyperlinkType, Paragraph, Run};
        let urls = [
            "https://x.org/a?b=1&c=2#top",
            r#"https://x.org/say?q="hi"&x=<y>"#,
            "https://x.org/",
        ];
        let mut p = Paragraph::new();
        for (i, url) in urls.iter().enumerate() {
            let mut h = Hyperlink::new(*url, HyperlinkType::External);
            h.link = HyperlinkData::External {
                rid: format!("rIdDecaLink{}", i + 1),
                path: url.to_string(),
            };
            p = p.add_hyperlink(h.add_run(Run::new().add_text("link")));
        }
        let x = Docx::new().add_paragraph(p).build();
        let rels = reference::parse_rels(&escape_link_targets(&x.document_rels));
        for (i, url) in urls.iter().enumerate() {
            let id = format!("rIdDecaLink{}", i + 1);
            let r = rels.iter().find(|r| r.id == id).expect("link relationship");
            assert_eq!(r.target, *url);
            assert!(r.external);
            let written = rel(&r.id, r.short_kind(), &r.target, true);
            assert_eq!(reference::parse_rels(written.as_bytes())[0].target, *url);
        }
    }

    #[test]
    fn settings_lose_parts_we_do_not_carry() {
        let s = r#"<w:settings><w:attachedTemplate r:id="rId1"/><w:footnotePr><w:footnote w:id="-1"/></w:footnotePr><w:compat/></w:settings>"#;
        assert_eq!(
            settings_xml(s, "es-PE"),
            r#"<w:settings><w:themeFontLang w:val="es-PE"/><w:compat/></w:settings>"#
        );
    }
}
