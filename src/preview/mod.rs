//! `deca preview`: placeholder.
pub fn run(_args: &crate::cli::PreviewArgs) -> u8 {
    crate::exit::FAILED
}
