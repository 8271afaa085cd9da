//! How deeply rich text may nest, measured on the parser's events without recursion: past the
//! limits nothing is built from them.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Issue;

/// Lists nested deeper than this are refused: the Word edition numbers three levels, and
/// every level is a level of recursion in both renderers.
pub const MAX_LIST_DEPTH: usize = 3;

/// Emphasis, strong text and links nested deeper than this are refused: no text needs more,
/// and every level is a level of recursion in both renderers.
pub const MAX_INLINE_DEPTH: usize = 6;

/// What is nested too deeply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    /// Lists inside list items, past [`MAX_LIST_DEPTH`].
    Lists,
    /// Emphasis, strong text and links inside each other, past [`MAX_INLINE_DEPTH`].
    Formatting,
}

/// The nesting past the limits, counted over the events without recursion: the deepest list
/// and the deepest formatting, each with the first element past its limit.
pub(super) fn nesting(events: &[(Event, Range<usize>)]) -> Vec<Issue> {
    let mut found: Vec<Issue> = Vec::new();
    let mut depth = [0usize; 2];
    for (ev, range) in events {
        let (k, what, limit, delta) = match ev {
            Event::Start(Tag::List(_)) => (0, Nesting::Lists, MAX_LIST_DEPTH, 1isize),
            Event::End(TagEnd::List(_)) => (0, Nesting::Lists, MAX_LIST_DEPTH, -1),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }) => {
                (1, Nesting::Formatting, MAX_INLINE_DEPTH, 1)
            }
            Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => (1, Nesting::Formatting, MAX_INLINE_DEPTH, -1),
            _ => continue,
        };
        depth[k] = depth[k].saturating_add_signed(delta);
        if depth[k] <= limit {
            continue;
        }
        match found
            .iter_mut()
            .find(|i| matches!(i, Issue::TooDeep { what: w, .. } if *w == what))
        {
            Some(Issue::TooDeep { depth: d, .. }) => *d = (*d).max(depth[k]),
            _ => found.push(Issue::TooDeep {
                what,
                depth: depth[k],
                limit,
                range: range.clone(),
            }),
        }
    }
    found
}
