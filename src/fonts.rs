//! The bundled fonts: Carlito (sans, metric-compatible with Calibri) and Caladea (serif,
//! metric-compatible with Cambria), both SIL OFL 1.1 with their licences beside them in
//! templates/fonts/. They are compiled into the binary: deca never reads system fonts, and a
//! DOCX opened where only Calibri/Cambria or Carlito/Caladea exist lays out the same.

use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};

macro_rules! font {
    ($path:literal) => {
        (
            $path,
            include_bytes!(concat!("../templates/fonts/", $path)) as &[u8],
        )
    };
}

/// Every bundled font file, by its path under templates/fonts/.
pub static BUNDLED: &[(&str, &[u8])] = &[
    font!("carlito/Carlito-Regular.ttf"),
    font!("carlito/Carlito-Bold.ttf"),
    font!("carlito/Carlito-Italic.ttf"),
    font!("carlito/Carlito-BoldItalic.ttf"),
    font!("caladea/Caladea-Regular.ttf"),
    font!("caladea/Caladea-Bold.ttf"),
    font!("caladea/Caladea-Italic.ttf"),
    font!("caladea/Caladea-BoldItalic.ttf"),
];

/// The sans family used for headings by default.
pub const SANS: &str = "Carlito";
/// The serif family used for body text by default.
pub const SERIF: &str = "Caladea";

/// The bundled fonts, parsed once and shared by every compilation.
pub fn bundled() -> &'static (FontBook, Vec<Font>) {
    static FONTS: OnceLock<(FontBook, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = BUNDLED
            .iter()
            .flat_map(|(_, data)| Font::iter(Bytes::new(*data)))
            .collect();
        let book = FontBook::from_fonts(&fonts);
        (book, fonts)
    })
}

/// The family names deca can set text in.
pub fn families() -> Vec<String> {
    let mut names: Vec<String> = bundled()
        .1
        .iter()
        .map(|f| f.info().family.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_families_load_in_four_styles() {
        assert_eq!(
            super::families(),
            vec!["Caladea".to_string(), "Carlito".to_string()]
        );
        assert_eq!(super::bundled().1.len(), 8);
    }
}
