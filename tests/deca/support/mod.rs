//! Helpers shared by the integration tests, one module per concern: `run` (the binary and
//! outside tools), `fixture` (assessments in temporary folders, shared builds), `pdf` and
//! `docx` (reading outputs as readers' software does). Tests take them all with
//! `use crate::support::*`.

#![allow(dead_code)]

mod docx;
mod fixture;
mod pdf;
mod run;

pub use docx::*;
pub use fixture::*;
pub use pdf::*;
pub use run::*;
