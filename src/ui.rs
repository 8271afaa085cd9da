//! Terminal conventions shared by the commands: colour (NO_COLOR), where output goes, and how
//! paths are shown.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Whether to colour standard error: a terminal, and NO_COLOR unset or empty.
pub(crate) fn color_stderr() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// A path as the user should see it: relative to the working directory when inside it.
pub(crate) fn shown(path: &Path) -> PathBuf {
    if path.is_relative() {
        return path.components().collect();
    }
    match std::env::current_dir() {
        Ok(cwd) => path
            .strip_prefix(&cwd)
            .map_or_else(|_| path.to_path_buf(), Path::to_path_buf),
        Err(_) => path.to_path_buf(),
    }
}
