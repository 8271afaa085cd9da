//! Colours as WordprocessingML writes them (`RRGGBB`, no `#`), and tints mixed with white.
//! A leaf: it imports nothing from the DOCX writer.

/// `#002f6c` → `002F6C`.
pub(super) fn hex(c: &str) -> String {
    c.trim_start_matches('#').to_uppercase()
}

/// A colour mixed with white: `amount` 0.0 keeps it, 1.0 is white.
pub(super) fn lighten(c: &str, amount: f64) -> String {
    let h = c.trim_start_matches('#');
    let ch = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * amount).round() as u8;
    format!("{:02X}{:02X}{:02X}", mix(ch(0)), mix(ch(2)), mix(ch(4)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tints_mix_with_white() {
        assert_eq!(hex("#002f6c"), "002F6C");
        assert_eq!(lighten("#000000", 0.5), "808080");
        assert_eq!(lighten("#002F6C", 0.0), "002F6C");
        assert_eq!(lighten("#002F6C", 1.0), "FFFFFF");
    }
}
