//! The numbering part: one bullet and one decimal definition, and a list instance per IR
//! list, so each numbered list starts at its own number.

/// Abstract definitions: bullets and decimals, three levels each.
const BULLET: usize = 1;
const DECIMAL: usize = 2;

fn levels(ordered: bool) -> String {
    let mut out = String::new();
    for lvl in 0..3 {
        let (fmt, text) = if ordered {
            [
                ("decimal", "%1."),
                ("lowerLetter", "%2."),
                ("lowerRoman", "%3."),
            ][lvl]
        } else {
            [("bullet", "•"), ("bullet", "–"), ("bullet", "◦")][lvl]
        };
        let left = 360 * (lvl + 1);
        let hanging = if ordered { 340 } else { 284 };
        let bold = if ordered {
            "<w:rPr><w:b/><w:bCs/></w:rPr>"
        } else {
            ""
        };
        out.push_str(&format!(
            "<w:lvl w:ilvl=\"{lvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"{left}\" w:hanging=\"{hanging}\"/></w:pPr>{bold}</w:lvl>"
        ));
    }
    out
}

/// The numbering part for lists in document order: (ordered, start). List `n` (from 1) is
/// `w:numId` n.
pub(crate) fn part(lists: &[(bool, u64)]) -> String {
    let mut out = String::from(super::super::xml::DECLARATION);
    out.push_str(
        "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    );
    for (id, ordered) in [(BULLET, false), (DECIMAL, true)] {
        out.push_str(&format!(
            "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>{}</w:abstractNum>",
            levels(ordered)
        ));
    }
    for (i, (ordered, start)) in lists.iter().enumerate() {
        let abs = if *ordered { DECIMAL } else { BULLET };
        let restart = if *ordered {
            format!(
                "<w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride>"
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"{abs}\"/>{restart}</w:num>",
            i + 1
        ));
    }
    out.push_str("</w:numbering>");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_ordered_list_restarts_at_its_own_number() {
        let p = super::part(&[(true, 3), (false, 1)]);
        assert!(p.contains("<w:num w:numId=\"1\"><w:abstractNumId w:val=\"2\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"3\"/></w:lvlOverride></w:num>"), "{p}");
        assert!(p.contains("<w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>"));
        // Definitions come before instances, as the schema orders them.
        assert!(p.rfind("<w:abstractNum ").unwrap() < p.find("<w:num ").unwrap());
    }
}
