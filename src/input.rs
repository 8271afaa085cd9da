//! Reading the files deca takes as input — data YAML, template and locale files, the reference
//! Word document, images — confined to their folder and bounded in size, whatever they are.
//!
//! Data may come from a fork's pull request, so a file is only read when:
//! - it resolves (through `..` and symlinks) to a path inside its root folder, checked before
//!   opening and, on Linux, again on the opened handle, so a swapped link cannot slip through;
//! - the opened handle is a regular file: FIFOs, sockets and devices are refused by name. The
//!   open itself cannot block (`O_NONBLOCK`: a FIFO with no writer would otherwise hang);
//! - it fits the caller's cap: reading stops at `cap + 1` bytes whatever the file claims to be,
//!   so `/proc` files (size 0) and growing files are bounded too.
//!
//! Nothing read is shown when a file is refused: the errors name paths and kinds, not content.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// Why an input was not read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The file is missing or could not be opened or read.
    Io(std::io::Error),
    /// It resolves outside its root folder.
    Outside { resolved: PathBuf },
    /// It is not a regular file: the kind, e.g. "a FIFO (named pipe)".
    NotRegular { kind: &'static str },
    /// It is larger than the cap; `len` when the size was known before reading.
    TooLarge { cap: u64, len: Option<u64> },
}

impl ReadError {
    /// Whether the file does not exist (a dangling symlink counts as missing).
    pub(crate) fn is_missing(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }

    /// A diagnostic for the file `shown`, a `what` ("file", "template", "image") that was to be
    /// read from `root_name` ("the assessment folder").
    pub(crate) fn diagnostic(&self, shown: &Path, what: &str, root_name: &str) -> Diagnostic {
        match self {
            ReadError::Io(e) => {
                Diagnostic::error(format!("failed to read {what} ({e})")).in_file(shown)
            }
            ReadError::Outside { resolved } => Diagnostic::error(format!(
                "access denied: `{}` resolves to `{}`, outside {root_name}",
                shown.display(),
                resolved.display()
            ))
            .in_file(shown)
            .hint(format!(
                "copy the file into {root_name} instead of linking to it"
            )),
            ReadError::NotRegular { kind } => Diagnostic::error(format!(
                "failed to read {what} (it is {kind}, not a regular file)"
            ))
            .in_file(shown)
            .hint("deca reads only regular files; put the file itself at this path"),
            ReadError::TooLarge { cap, len } => Diagnostic::error(match len {
                Some(len) => format!("{what} is too large ({len} bytes; the limit is {cap} bytes)"),
                None => format!("{what} is too large (over {cap} bytes)"),
            })
            .in_file(shown)
            .hint("split the content, or check that this is the right file"),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

/// Reads `path` whole, if it is a regular file of at most `cap` bytes that resolves inside
/// `root` (when given; a path the user typed on the command line has no root).
pub(crate) fn read(path: &Path, root: Option<&Path>, cap: u64) -> Result<Vec<u8>, ReadError> {
    let resolved = path.canonicalize()?;
    let root = match root {
        Some(r) => Some(r.canonicalize()?),
        None => None,
    };
    if let Some(root) = &root
        && !resolved.starts_with(root)
    {
        return Err(ReadError::Outside { resolved });
    }
    let file = match open(&resolved) {
        Ok(f) => f,
        // Sockets cannot be opened at all (ENXIO): name them rather than the errno.
        Err(e) => match std::fs::metadata(&resolved).ok().and_then(|m| special(&m)) {
            Some(kind) => return Err(ReadError::NotRegular { kind }),
            None => return Err(ReadError::Io(e)),
        },
    };
    if let Some(root) = &root {
        check_handle_inside(&file, root)?;
    }
    let meta = file.metadata()?;
    if let Some(kind) = special(&meta) {
        return Err(ReadError::NotRegular { kind });
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            cap,
            len: Some(meta.len()),
        });
    }
    // Reserve what the file claims (at most the cap), so reading never doubles a buffer past it.
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge { cap, len: None });
    }
    Ok(bytes)
}

/// What kind of non-regular file `meta` describes, if it is one.
fn special(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file")
}

/// Opens without following a final symlink and without blocking on a FIFO.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// On Linux, the kernel says which file the handle really is: a folder swapped for a symlink
/// between resolving and opening is caught here.
#[cfg(target_os = "linux")]
fn check_handle_inside(file: &std::fs::File, root: &Path) -> Result<(), ReadError> {
    use std::os::fd::AsRawFd;
    match std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
        Ok(real) if !real.starts_with(root) => Err(ReadError::Outside { resolved: real }),
        // Without /proc mounted, the check before opening stands alone.
        _ => Ok(()),
    }
}

#[cfg(not(target_os = "linux"))]
fn check_handle_inside(_file: &std::fs::File, _root: &Path) -> Result<(), ReadError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_inside_its_root_is_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "x: 1\n").unwrap();
        let bytes = read(&dir.path().join("a.yaml"), Some(dir.path()), 10).unwrap();
        assert_eq!(bytes, b"x: 1\n");
    }

    #[test]
    fn the_cap_is_exact() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), "12345").unwrap();
        assert!(read(&dir.path().join("a"), None, 5).is_ok());
        assert!(matches!(
            read(&dir.path().join("a"), None, 4),
            Err(ReadError::TooLarge {
                cap: 4,
                len: Some(5)
            })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_leaving_the_root_is_refused_before_reading() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "token=1").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("a.yaml"))
            .unwrap();
        let err = read(&dir.path().join("a.yaml"), Some(dir.path()), 100).unwrap_err();
        let ReadError::Outside { resolved } = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            resolved,
            outside.path().join("secret").canonicalize().unwrap()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_inside_the_root_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("real.yaml"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("real.yaml"), dir.path().join("a.yaml"))
            .unwrap();
        assert_eq!(
            read(&dir.path().join("a.yaml"), Some(dir.path()), 10).unwrap(),
            b"x"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_by_kind() {
        assert!(matches!(
            read(Path::new("/dev/zero"), None, 10),
            Err(ReadError::NotRegular {
                kind: "a character device"
            })
        ));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read(dir.path(), None, 10),
            Err(ReadError::NotRegular { kind: "a folder" })
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn proc_files_are_bounded_by_the_cap_not_their_size() {
        // /proc files claim size 0; the cap must still hold.
        let err = read(Path::new("/proc/self/maps"), None, 8).unwrap_err();
        assert!(
            matches!(err, ReadError::TooLarge { cap: 8, len: None }),
            "{err:?}"
        );
    }
}
