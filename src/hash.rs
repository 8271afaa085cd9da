//! Content hashing: SHA-256 of artifacts (the manifest, SHA256SUMS) and of a build's inputs.

use std::path::Path;

use sha2::{Digest, Sha256};

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Adds a file's relative name and contents to an input hash.
pub fn hash_file(hasher: &mut Sha256, name: &Path, bytes: &[u8]) {
    hasher.update(name.to_string_lossy().replace('\\', "/").as_bytes());
    hasher.update([0]);
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}
