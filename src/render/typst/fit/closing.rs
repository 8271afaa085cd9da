//! Briefs end with their small print (disclaimer and publisher, the template's `closing`).
//! When the text above it ends near the foot of a page, the small print alone would move to a
//! new last page: a page that says nothing. Copyfitting pulls it back by setting the text a
//! step or two smaller, as a designer would; if no step does, the document stays as designed.
//!
//! The template marks the closing with `#metadata("closing")<deca-closing>` as the first thing
//! inside it. It stands alone when that marker is on the last page, at the top of the page's
//! body (the `<deca-layout>` marker gives the top margin), and the document has more than one
//! page. A template without the markers is never refitted.

use typst_layout::PagedDocument;

use super::{margins, markers};

/// The scales tried, in order: full size, then a step or two smaller (the one-pagers' steps).
pub const STEPS: [f64; 3] = [1.0, 0.96, 0.92];

/// How far below the top of the body the closing's marker may sit and still be at the top:
/// the block's rule and inset, and some slack.
const AT_TOP: f64 = 24.0;

/// Whether the closing stands alone on the document's last page.
pub fn alone(doc: &PagedDocument) -> bool {
    let pages = doc.pages().len();
    let Some((top, _)) = margins(doc) else {
        return false;
    };
    markers(doc, "deca-closing")
        .first()
        .is_some_and(|m| pages > 1 && m.page == pages && m.y - top < AT_TOP)
}

/// Compiles at full size and, while the closing stands alone (`alone`, normally [`alone`] of
/// the compiled document), at the smaller steps; returns the first compile where it does not
/// (else the full-size one), its scale and the number of compiles. `hint` is the scale the
/// same document settled at before (the build's cache): it is compiled first and kept when
/// the closing does not stand alone there, or when it is full size (no step helped then).
pub fn settle<T, E>(
    hint: Option<f64>,
    mut compile: impl FnMut(f64) -> Result<T, E>,
    alone: impl Fn(&T) -> bool,
) -> Result<(T, f64, u32), E> {
    let mut compiles = 0u32;
    let hinted = hint.and_then(|h| STEPS.iter().copied().find(|s| (s - h).abs() < 1e-9));
    let mut full = None;
    if let Some(h) = hinted {
        let c = compile(h)?;
        compiles += 1;
        if h == STEPS[0] || !alone(&c) {
            return Ok((c, h, compiles));
        }
    }
    for &s in &STEPS {
        if Some(s) == hinted {
            continue;
        }
        let c = compile(s)?;
        compiles += 1;
        if !alone(&c) {
            return Ok((c, s, compiles));
        }
        if s == STEPS[0] {
            full = Some(c);
        }
    }
    // No step pulls the closing back: the document as designed.
    let c = match full {
        Some(c) => c,
        None => {
            compiles += 1;
            compile(STEPS[0])?
        }
    };
    Ok((c, STEPS[0], compiles))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Settles a document whose closing stands alone at the scales in `alone_at`; returns the
    /// scale chosen, the compiles and the scales compiled, in order.
    fn run(hint: Option<f64>, alone_at: &[f64]) -> (f64, u32, Vec<f64>) {
        let mut tried = Vec::new();
        let (c, scale, compiles) = settle::<f64, ()>(
            hint,
            |s| {
                tried.push(s);
                Ok(s)
            },
            |s| alone_at.contains(s),
        )
        .unwrap();
        assert_eq!(c, scale, "the compile returned is the one at the scale");
        (scale, compiles, tried)
    }

    #[test]
    fn full_size_is_kept_unless_the_closing_stands_alone() {
        assert_eq!(run(None, &[]), (1.0, 1, vec![1.0]));
        assert_eq!(run(None, &[1.0]), (0.96, 2, vec![1.0, 0.96]));
        assert_eq!(run(None, &[1.0, 0.96]), (0.92, 3, vec![1.0, 0.96, 0.92]));
    }

    #[test]
    fn when_no_step_helps_the_document_stays_as_designed() {
        assert_eq!(
            run(None, &[1.0, 0.96, 0.92]),
            (1.0, 3, vec![1.0, 0.96, 0.92])
        );
    }

    #[test]
    fn a_cached_scale_costs_one_compile() {
        assert_eq!(run(Some(0.96), &[1.0]), (0.96, 1, vec![0.96]));
        // Full size was the answer before: no step helped then, none is tried again.
        assert_eq!(run(Some(1.0), &[1.0, 0.96, 0.92]), (1.0, 1, vec![1.0]));
        // A scale that no longer serves: settled as without a hint, not compiled twice.
        assert_eq!(
            run(Some(0.92), &[1.0, 0.92]),
            (0.96, 3, vec![0.92, 1.0, 0.96])
        );
        // Anything but a step is no hint.
        assert_eq!(run(Some(0.5), &[]), (1.0, 1, vec![1.0]));
    }
}
