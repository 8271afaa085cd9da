//! The package's own parts and its zip: core and app properties, relationships, content
//! types, the footnotes part, and a deterministic archive.

use std::collections::BTreeMap;
use std::io::Write;

use crate::ir::Document;
use crate::render::docx::xml::{DECLARATION, esc};

pub(super) const NS_REL: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The language tag Word uses: `es-PE`.
pub(crate) fn lang_tag(doc: &Document) -> String {
    match &doc.region {
        Some(r) => format!("{}-{}", doc.lang, r),
        None => doc.lang.clone(),
    }
}

/// A relationship element.
pub(super) fn rel(id: &str, kind: &str, target: &str, external: bool) -> String {
    format!(
        "<Relationship Id=\"{}\" Type=\"{NS_REL}/{kind}\" Target=\"{}\"{}/>",
        esc(id),
        esc(target),
        if external {
            " TargetMode=\"External\""
        } else {
            ""
        }
    )
}

/// A relationships part.
pub(super) fn rels_part(rels: &[String]) -> String {
    format!(
        "{DECLARATION}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{}</Relationships>",
        rels.concat()
    )
}

/// Core properties: title (what a reader's title bar shows), author, subject, keywords,
/// language, fixed dates.
pub(super) fn core(doc: &Document, created: &str) -> String {
    let m = &doc.meta;
    format!(
        concat!(
            "{decl}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
            "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{author}</dc:creator>",
            "<cp:keywords>{keywords}</cp:keywords><dc:description>{description}</dc:description>",
            "<dc:language>{lang}</dc:language><cp:lastModifiedBy>deca</cp:lastModifiedBy>",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:created>",
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:modified>",
            "</cp:coreProperties>"
        ),
        decl = DECLARATION,
        title = esc(&m.title),
        subject = esc(&format!("{} — {}", m.assessment, doc.front.kicker)),
        author = esc(&m.author),
        keywords = esc(&m.keywords.join(", ")),
        description = esc(doc.front.status.as_deref().unwrap_or("")),
        lang = esc(&lang_tag(doc)),
        created = created,
    )
}

/// Extended properties: the application, and the title shown in the title bar.
pub(super) fn app() -> String {
    format!(
        "{DECLARATION}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>deca {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    )
}

/// The footnotes part: the separators Word expects, then the notes.
pub(super) fn footnotes(notes: &str) -> String {
    format!(
        concat!(
            "{}<w:footnotes xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
            "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>",
            "<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>",
            "{}</w:footnotes>"
        ),
        DECLARATION, notes
    )
}

/// The content type of a media file by its extension.
pub(super) fn media_type(ext: &str) -> String {
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

/// `[Content_Types].xml`.
pub(super) fn content_types(
    defaults: &BTreeMap<String, String>,
    overrides: &[(String, String)],
) -> String {
    format!(
        "{DECLARATION}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">{}{}</Types>",
        defaults
            .iter()
            .map(|(e, t)| format!(
                "<Default Extension=\"{}\" ContentType=\"{}\"/>",
                esc(e),
                esc(t)
            ))
            .collect::<String>(),
        overrides
            .iter()
            .map(|(p, t)| format!(
                "<Override PartName=\"{}\" ContentType=\"{}\"/>",
                esc(p),
                esc(t)
            ))
            .collect::<String>()
    )
}

/// A zip with `[Content_Types].xml` first, entries in name order and a fixed date, so the same
/// parts always give the same bytes.
pub(super) fn zip(
    types: &str,
    parts: &BTreeMap<String, Vec<u8>>,
) -> zip::result::ZipResult<Vec<u8>> {
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
