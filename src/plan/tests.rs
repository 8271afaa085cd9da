//! Unit tests of the plan's pure helpers. Whole documents are planned from real data in tests/deca/ir.rs (the model's page decisions, figure placement) and tests/deca/golden.rs (every kind against its golden file).

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

#[test]
fn value_axes_use_round_steps_with_room_for_labels() {
    use crate::model::raw::ValueFormat;
    assert_eq!(axis(89.2, ValueFormat::Percent), (100.0, 25.0));
    assert_eq!(axis(43.6, ValueFormat::Percent), (60.0, 20.0));
    assert_eq!(axis(266.0, ValueFormat::Number), (300.0, 100.0));
    assert_eq!(axis(9.3, ValueFormat::Decimal), (12.5, 2.5));
    assert_eq!(axis(52.0, ValueFormat::Percent), (60.0, 20.0));
}
