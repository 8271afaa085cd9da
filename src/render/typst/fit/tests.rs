//! The fitter's search and its overflow measure, on made-up measurements.
use super::*;

fn attempt(scale: f64, content: f64, body: f64) -> Option<Attempt<()>> {
    Some(Attempt {
        compiled: (),
        measure: Measure {
            scale,
            fits: content <= body,
            body: Some(body),
            content: Some(content),
            line: 13.5,
            field: None,
            row: None,
        },
    })
}

/// Attempts at the given steps, none elsewhere.
fn attempts(known: Vec<(usize, Option<Attempt<()>>)>) -> Vec<Option<Attempt<()>>> {
    let mut all: Vec<Option<Attempt<()>>> = SCALES.iter().map(|_| None).collect();
    for (i, a) in known {
        all[i] = a;
    }
    all
}

fn step(scale: f64) -> usize {
    SCALES.iter().position(|&s| s == scale).unwrap()
}

#[test]
fn a_larger_overflow_starts_at_a_smaller_step() {
    let n = SCALES.len();
    let small = next_step(
        &attempts(vec![(FULL, attempt(1.0, 760.0, 740.0))]),
        FULL + 1,
        n,
    );
    let large = next_step(
        &attempts(vec![(FULL, attempt(1.0, 900.0, 740.0))]),
        FULL + 1,
        n,
    );
    assert_eq!(small, Some(step(0.96)));
    assert!(large > small, "{large:?}");
    // Far beyond the floor: the floor is compiled, to measure the overflow there.
    let huge = next_step(
        &attempts(vec![(FULL, attempt(1.0, 3000.0, 740.0))]),
        FULL + 1,
        n,
    );
    assert_eq!(huge, Some(n - 1));
}

#[test]
fn a_short_page_grows_as_far_as_it_is_predicted_to_fit() {
    // Content at 80% of the page grows to the largest step; at 95%, one step; a full
    // page stays at full size.
    let roomy = attempts(vec![(FULL, attempt(1.0, 592.0, 740.0))]);
    assert_eq!(next_step(&roomy, 0, FULL), Some(0));
    let nearly = attempts(vec![(FULL, attempt(1.0, 703.0, 740.0))]);
    assert_eq!(next_step(&nearly, 0, FULL), Some(step(1.04)));
    let full = attempts(vec![(FULL, attempt(1.0, 738.0, 740.0))]);
    assert_eq!(next_step(&full, 0, FULL), None);
}

#[test]
fn two_measurements_fit_the_exponent() {
    // Content that grows as scale² from 883 pt at full size.
    let a = attempt(1.0, 883.0, 740.0);
    let b = attempt(0.92, 883.0 * 0.92 * 0.92, 740.0);
    let all = attempts(vec![(FULL, a), (step(0.92), b)]);
    let (c, _) = predict(&all, 0.85).unwrap();
    assert!((c - 883.0 * 0.85 * 0.85).abs() < 1.0, "{c}");
    // 0.92 fits (712 pt ≤ 740) and 0.96 is predicted at 814 pt: settle on 0.92.
    assert_eq!(next_step(&all, FULL + 1, step(0.92)), None);
}

#[test]
fn an_overflow_is_at_least_a_line_and_in_millimetres() {
    let m = Measure {
        scale: 0.82,
        fits: false,
        body: Some(700.0),
        content: Some(700.0 + 72.0),
        line: 12.0,
        field: Some("rationale".into()),
        row: None,
    };
    let o = m.overflow();
    assert_eq!(o.overflow_mm.map(f64::round), Some(25.0));
    assert_eq!(o.lines, Some(6.0));
    let m = Measure {
        content: Some(690.0),
        ..m
    };
    assert_eq!(m.overflow().lines, Some(1.0));
}
