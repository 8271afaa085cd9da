//! The two backends that render IR documents: Typst (PDF, and PNG charts) and DOCX.

pub mod docx;
pub mod outline_open;
pub mod typst;
