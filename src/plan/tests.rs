//! Plan tests on a small in-memory assessment are in tests/; here, the pure helpers.

use super::*;

#[test]
fn target_names_are_stable_file_stems() {
    let t = Target {
        kind: Kind::Brief,
        item: Some("integrity".into()),
    };
    assert_eq!(t.name(), "brief-integrity");
    let t = Target {
        kind: Kind::Overview,
        item: None,
    };
    assert_eq!(t.name(), "overview");
}
