//! Sanitising hostile parts: what goes, what stays, and the report.

use std::collections::BTreeMap;

use super::sanitize;

const RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn part(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(parts[name].clone()).unwrap()
}

#[test]
fn a_hostile_header_loses_its_links_objects_and_macros_and_keeps_the_rest() {
    let header = format!(
        r#"<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="{REL}" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:v="urn:schemas-microsoft-com:vml"><w:p><w:r><w:drawing><a:blip r:embed="rIdImg" r:link="rIdPixel"/></w:drawing></w:r><w:r><w:object><v:shape><v:imagedata r:id="rIdPreview"/></v:shape><o:OLEObject r:id="rIdOle"/></w:object></w:r><w:r><w:pict><v:imagedata src="file:///etc/passwd"/></w:pict></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:hdr>"#
    );
    let rels = format!(
        r#"<Relationships xmlns="{RELS_NS}"><Relationship Id="rIdImg" Type="{REL}/image" Target="media/logo.png"/><Relationship Id="rIdPixel" Type="{REL}/image" Target="https://tracker.example/p.png" TargetMode="External"/><Relationship Id="rIdOle" Type="{REL}/oleObject" Target="embeddings/oleObject1.bin"/><Relationship Id="rIdPreview" Type="{REL}/image" Target="media/preview.emf"/><Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>"#
    );
    let mut parts: BTreeMap<String, Vec<u8>> = BTreeMap::from([
        ("word/header1.xml".to_string(), part(&header)),
        ("word/_rels/header1.xml.rels".to_string(), part(&rels)),
        ("word/media/logo.png".to_string(), vec![1, 2, 3]),
        ("word/media/preview.emf".to_string(), vec![4]),
        ("word/embeddings/oleObject1.bin".to_string(), vec![0xd0]),
        ("word/vbaProject.bin".to_string(), vec![0xd0]),
        ("customXml/item1.xml".to_string(), part("<x/>")),
    ]);
    let removed = sanitize(&mut parts);

    let h = text(&parts, "word/header1.xml");
    assert!(!h.contains("OLEObject") && !h.contains("w:object"), "{h}");
    assert!(!h.contains("r:link") && !h.contains("passwd"), "{h}");
    assert!(h.contains(r#"<a:blip r:embed="rIdImg"/>"#), "{h}");
    assert!(h.contains(r#"<w:fldSimple w:instr=" PAGE ">"#), "{h}");
    let r = text(&parts, "word/_rels/header1.xml.rels");
    assert!(r.contains("rIdImg") && r.contains("rIdPreview"), "{r}");
    assert!(
        !r.contains("tracker") && !r.contains("oleObject") && !r.contains("vba"),
        "{r}"
    );
    assert!(parts.contains_key("word/media/logo.png"));
    for gone in [
        "word/embeddings/oleObject1.bin",
        "word/vbaProject.bin",
        "customXml/item1.xml",
    ] {
        assert!(!parts.contains_key(gone), "{gone} stayed");
    }
    let report: Vec<(String, Vec<String>)> = removed
        .into_iter()
        .map(|(g, items)| (g.to_string(), items.into_iter().collect()))
        .collect();
    assert_eq!(
        report,
        vec![
            (
                "OLE objects".into(),
                vec![
                    "word/embeddings/oleObject1.bin".into(),
                    "word/header1.xml".into()
                ]
            ),
            ("custom XML".into(), vec!["customXml/item1.xml".into()]),
            (
                "external links".into(),
                vec![
                    "`file:///etc/passwd` in word/header1.xml".into(),
                    "`https://tracker.example/p.png` in word/header1.xml".into()
                ]
            ),
            ("macros".into(), vec!["word/vbaProject.bin".into()]),
        ]
    );
}

#[test]
fn fetching_fields_go_and_their_last_text_stays() {
    let footer = r#"<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDETEXT "\\\\evil\\share\\x.docx" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Shown text</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:fldSimple w:instr="DDEAUTO cmd &quot;/c calc&quot;"><w:r><w:t>dde</w:t></w:r></w:fldSimple></w:p></w:ftr>"#;
    let mut parts = BTreeMap::from([("word/footer1.xml".to_string(), part(footer))]);
    let removed = sanitize(&mut parts);
    let f = text(&parts, "word/footer1.xml");
    assert_eq!(
        f,
        r#"<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r></w:r><w:r></w:r><w:r></w:r><w:r><w:t>Shown text</w:t></w:r><w:r></w:r><w:r><w:t xml:space="preserve"> page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>dde</w:t></w:r></w:p></w:ftr>"#
    );
    let fields: Vec<&String> =
        removed["fields other than page, date, property and reference fields"]
            .iter()
            .collect();
    assert_eq!(
        fields,
        [
            "DDEAUTO in word/footer1.xml",
            "INCLUDETEXT in word/footer1.xml"
        ]
    );
}

#[test]
fn a_field_whose_keyword_is_computed_goes_and_nested_fields_are_judged_alone() {
    // { {QUOTE "INCLUDETEXT"} "x" } would become an include once Word computes the inner field.
    let footer = r#"<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>QUOTE "INCLUDETEXT"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>INCLUDETEXT</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> "x.docx" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>last</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF 1 = 1 "</w:instrText></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>includepicture "http://x/p.png"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText>"</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#;
    let mut parts = BTreeMap::from([("word/footer1.xml".to_string(), part(footer))]);
    let removed = sanitize(&mut parts);
    let f = text(&parts, "word/footer1.xml");
    assert!(
        !f.contains("INCLUDETEXT") && !f.contains("includepicture"),
        "{f}"
    );
    assert!(f.contains("<w:t>last</w:t>"), "{f}");
    assert!(
        f.contains(r#"<w:instrText>IF 1 = 1 "</w:instrText>"#),
        "the IF field went: {f}"
    );
    assert_eq!(f.matches("<w:fldChar").count(), 2, "{f}");
    let fields: Vec<&String> =
        removed["fields other than page, date, property and reference fields"]
            .iter()
            .collect();
    assert_eq!(
        fields,
        [
            "INCLUDEPICTURE in word/footer1.xml",
            "a computed field in word/footer1.xml"
        ]
    );
}

#[test]
fn a_clean_part_is_left_byte_for_byte() {
    let doc = "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">  <w:body><w:p><w:r><w:t>a &amp; b</w:t></w:r></w:p></w:body></w:document>";
    let mut parts = BTreeMap::from([("word/document.xml".to_string(), part(doc))]);
    assert!(sanitize(&mut parts).is_empty());
    assert_eq!(text(&parts, "word/document.xml"), doc);
}

#[test]
fn settings_lose_the_attached_template_and_mail_merge() {
    let settings = format!(
        r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="{REL}"><w:zoom w:percent="100"/><w:attachedTemplate r:id="rId1"/><w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:query w:val="SELECT * FROM x"/></w:mailMerge><w:defaultTabStop w:val="720"/></w:settings>"#
    );
    let rels = format!(
        r#"<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" Type="{REL}/attachedTemplate" Target="file:///C:/evil.dotm" TargetMode="External"/></Relationships>"#
    );
    let mut parts = BTreeMap::from([
        ("word/settings.xml".to_string(), part(&settings)),
        ("word/_rels/settings.xml.rels".to_string(), part(&rels)),
    ]);
    let removed = sanitize(&mut parts);
    let s = text(&parts, "word/settings.xml");
    assert!(
        s.contains("<w:zoom w:percent=\"100\"/>") && s.contains("w:defaultTabStop"),
        "{s}"
    );
    assert!(
        !s.contains("attachedTemplate") && !s.contains("mailMerge"),
        "{s}"
    );
    assert_eq!(
        removed["attached templates"].iter().collect::<Vec<_>>(),
        [
            "`file:///C:/evil.dotm` in word/settings.xml",
            "word/settings.xml"
        ]
    );
}
