//! deca's integration suite: one test binary that runs the real `deca` binary on fixture
//! folders copied to temporary directories, and the library on the bundled Peru data.

// A test binary has no public API: `pub` in its modules only shares helpers between them.
#![allow(unreachable_pub)]

mod support;

mod charts;
mod check;
mod cli;
mod docx;
mod fixture;
mod golden;
mod hostile;
mod house;
mod inputs;
mod ir;
mod languages;
mod layout;
mod pdf;
mod pipeline;
mod preview;
mod profiles;
mod release;
mod reliability;
mod scale;
mod scripts;
mod spanish;
mod text;
mod word;
mod word_layout;
