//! Walks over parsed rich text: the citations and figure references it holds, its plain
//! text, and a field as one run of inlines.

use super::{Block, Inline, flatten_blocks, merge_text};

/// The indicators whose figures a text refers to (`[@fig:id]`), in order of first mention.
pub fn figure_refs(blocks: &[Block]) -> Vec<String> {
    fn inl(v: &[Inline], out: &mut Vec<String>) {
        for i in v {
            match i {
                Inline::Ref { target, .. } => {
                    if let Some(id) = target.strip_prefix("figure-")
                        && !out.iter().any(|x| x == id)
                    {
                        out.push(id.to_string());
                    }
                }
                Inline::Emph { content }
                | Inline::Strong { content }
                | Inline::Link { content, .. }
                | Inline::Footnote { content } => inl(content, out),
                Inline::Text { .. } | Inline::Break | Inline::Cite { .. } => {}
            }
        }
    }
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Paragraph { content } => inl(content, &mut out),
            Block::List { items, .. } => {
                for i in items {
                    for id in figure_refs(i) {
                        if !out.contains(&id) {
                            out.push(id);
                        }
                    }
                }
            }
        }
    }
    out
}

/// Every source id cited anywhere in the blocks, in order.
pub fn citations(blocks: &[Block]) -> Vec<String> {
    fn inl(v: &[Inline], out: &mut Vec<String>) {
        for i in v {
            match i {
                Inline::Cite { ids, .. } => out.extend(ids.iter().cloned()),
                Inline::Emph { content }
                | Inline::Strong { content }
                | Inline::Link { content, .. }
                | Inline::Footnote { content } => inl(content, out),
                Inline::Text { .. } | Inline::Break | Inline::Ref { .. } => {}
            }
        }
    }
    fn blk(v: &[Block], out: &mut Vec<String>) {
        for b in v {
            match b {
                Block::Paragraph { content } => inl(content, out),
                Block::List { items, .. } => items.iter().for_each(|i| blk(i, out)),
            }
        }
    }
    let mut out = Vec::new();
    blk(blocks, &mut out);
    out
}

/// The plain text of inlines, as a reader would hear it (citations by label or id).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut s = String::new();
    for i in inlines {
        match i {
            Inline::Text { text } => s.push_str(text),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Link { content, .. } => s.push_str(&plain_text(content)),
            Inline::Cite { ids, label } => {
                if label.is_empty() {
                    s.push_str(&format!("[{}]", ids.join("; ")));
                } else {
                    s.push_str(label);
                }
            }
            Inline::Ref { text, .. } => s.push_str(text),
            Inline::Footnote { .. } => {}
            Inline::Break => s.push('\n'),
        }
    }
    s
}

/// Inlines of a field that should be a single paragraph (titles of actions, summaries).
pub fn single_paragraph(blocks: &[Block]) -> Vec<Inline> {
    let mut out = Vec::new();
    for b in blocks {
        if !out.is_empty() {
            out.push(Inline::text(" "));
        }
        match b {
            Block::Paragraph { content } => out.extend(content.iter().cloned()),
            Block::List { .. } => out.extend(flatten_blocks(vec![b.clone()])),
        }
    }
    merge_text(out)
}
