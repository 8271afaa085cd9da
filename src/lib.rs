//! deca turns a Digital Ecosystem Country Assessment written as YAML into finished documents.
//!
//! The pipeline: YAML (`source`) → validated model (`model`) → format-neutral documents
//! (`plan`, `ir`) → two backends (`render::typst` for PDF, `render::docx` for Word) → atomic
//! writes and a manifest (`build`). Neither backend reads YAML, and data never becomes Typst
//! source: it reaches the templates as JSON.

// Diagnostics are the error type everywhere, by design: every problem carries its location,
// snippet and hint. They are created on failure paths only, so their size does not matter.
#![allow(clippy::result_large_err)]

pub(crate) mod atomic;
pub(crate) mod build;
pub mod cli;
pub mod commands;
pub(crate) mod complete;
pub mod diag;
pub(crate) mod direction;
pub mod edition;
pub(crate) mod fonts;
pub mod hash;
pub mod i18n;
pub(crate) mod input;
pub mod ir;
pub mod model;
pub mod plan;
pub(crate) mod preview;
pub mod project;
pub mod render;
pub mod source;
pub(crate) mod suggest;
pub mod templates;
pub(crate) mod ui;

/// Process exit codes.
pub mod exit {
    /// Everything worked.
    pub const OK: u8 = 0;
    /// The data, a template or the build failed.
    pub const FAILED: u8 = 1;
    /// The command line was wrong, or a path given does not exist.
    pub const USAGE: u8 = 2;
}
