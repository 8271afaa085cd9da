//! Citations (`[@id]`, `[@a; @b]`) and figure references (`[@fig:id]`) found in literal text.

use super::{Inline, RefScope, merge_text};

/// Whether a citation or figure id is well-formed.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

/// The anchor of an indicator's figure, as references and renderers name it.
pub fn figure_anchor(indicator: &str) -> String {
    format!("figure-{indicator}")
}

/// Finds `[@id]`, `[@a; @b]` and `[@fig:id]` in literal text.
pub(super) fn split_citations(text: &str, out: &mut Vec<Inline>) {
    let mut rest = text;
    while let Some(open) = rest.find("[@") {
        let Some(close_rel) = rest[open..].find(']') else {
            break;
        };
        let inner = &rest[open + 1..open + close_rel];
        if let Some(id) = inner.strip_prefix("@fig:").filter(|id| is_id(id)) {
            if open > 0 {
                out.push(Inline::text(&rest[..open]));
            }
            // The plan numbers the figure and decides whether it is in this document.
            out.push(Inline::Ref {
                target: figure_anchor(id),
                text: String::new(),
                scope: RefScope::Document,
            });
            rest = &rest[open + close_rel + 1..];
            continue;
        }
        let ids: Option<Vec<String>> = inner
            .split(';')
            .map(|part| {
                let id = part.trim().strip_prefix('@')?;
                is_id(id).then(|| id.to_string())
            })
            .collect();
        match ids {
            Some(ids) => {
                if open > 0 {
                    out.push(Inline::text(&rest[..open]));
                }
                out.push(Inline::Cite {
                    ids,
                    label: String::new(),
                });
                rest = &rest[open + close_rel + 1..];
            }
            None => {
                out.push(Inline::text(&rest[..open + 2]));
                rest = &rest[open + 2..];
            }
        }
    }
    if !rest.is_empty() {
        out.push(Inline::text(rest));
    }
    let merged = merge_text(std::mem::take(out));
    *out = merged;
}
