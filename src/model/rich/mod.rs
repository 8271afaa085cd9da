//! The Markdown subset of rich text fields, parsed with pulldown-cmark into a small block and
//! inline model that both renderers share.
//!
//! Supported: paragraphs, *emphasis*, **strong**, links (http, https, mailto), bullet and
//! numbered lists, footnotes (`[^1]` with `[^1]: text`), citations of source ids
//! (`[@inei-2023]`, `[@a; @b]`), and references to the figure of an indicator
//! (`[@fig:internet-use]`, printed "Figure 3"). Everything else — headings, raw HTML, HTML comments, code,
//! images, block quotes, rules, other link schemes — is kept as the literal text the author
//! wrote and is never interpreted.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use schemars::JsonSchema;
use serde::Serialize;

/// A block of rich text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph.
    Paragraph {
        /// The paragraph's text.
        content: Vec<Inline>,
    },
    /// A bullet (`ordered: false`) or numbered list; each item is a list of blocks.
    List {
        /// Numbered (`1.` in the source) rather than bulleted.
        ordered: bool,
        /// The number the source gives the first item (1 for bullets).
        start: u64,
        /// The items, each a sequence of blocks (nested lists included).
        items: Vec<Vec<Block>>,
    },
}

/// An inline element of rich text.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Inline {
    /// Literal text: never interpreted by any renderer.
    Text {
        /// The characters, exactly as written.
        text: String,
    },
    /// *Emphasis*.
    Emph {
        /// The emphasised run.
        content: Vec<Inline>,
    },
    /// **Strong**.
    Strong {
        /// The strong run.
        content: Vec<Inline>,
    },
    /// A hyperlink (http, https or mailto only).
    Link {
        /// The destination, checked by [`allowed_url`].
        url: String,
        /// The link's visible text.
        content: Vec<Inline>,
    },
    /// A citation of one or more sources by id; the plan fills in the printed label.
    Cite {
        /// The cited sources' ids, in the order written (`[@a; @b]`).
        ids: Vec<String>,
        /// What is printed, e.g. `INEI 2023`; empty until the plan sets it.
        #[serde(skip_serializing_if = "String::is_empty")]
        label: String,
    },
    /// A footnote, with its text in place.
    Footnote {
        /// The footnote's text, from its `[^x]: ...` definition.
        content: Vec<Inline>,
    },
    /// A cross-reference, e.g. "Finding 3", to an anchor in this document or in the report of
    /// the same language. Renderers print the page after it: their own page for an anchor in
    /// the document, the report's page (from the page map the build passes them) otherwise.
    Ref {
        /// The anchor referred to, e.g. `figure-internet-use`.
        target: String,
        /// What is printed, e.g. "Figure 3".
        text: String,
        /// Whether the anchor is in this document or in the report.
        scope: RefScope,
    },
    /// A hard line break.
    Break,
}

/// Where the anchor of a cross-reference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RefScope {
    /// In the document that holds the reference.
    Document,
    /// In the full report of the same language.
    Report,
}

impl Inline {
    /// Literal text.
    pub fn text(s: impl Into<String>) -> Inline {
        Inline::Text { text: s.into() }
    }
}

/// Problems found while parsing that validation reports (the text itself still renders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// `[^x]` without a `[^x]: ...` definition; the reference stays literal text.
    UndefinedFootnote {
        /// The label between `[^` and `]`.
        label: String,
        /// Byte range of the reference in the field's text.
        range: Range<usize>,
    },
    /// Lists or formatting nested deeper than the documents show (`limit`); the whole text is
    /// kept as one literal paragraph. `range` is the first element past the limit.
    TooDeep {
        /// Whether lists or formatting went too deep.
        what: Nesting,
        /// How deep the text nests.
        depth: usize,
        /// The deepest level allowed.
        limit: usize,
        /// Byte range, in the field's text, of the first element past the limit.
        range: Range<usize>,
    },
}

/// A parsed rich text field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rich {
    /// The text's blocks, in order.
    pub blocks: Vec<Block>,
    /// Problems for validation to report; empty for clean text.
    pub issues: Vec<Issue>,
}

/// Link schemes that become links; anything else stays literal text.
pub const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Whether a link destination uses an allowed scheme.
pub fn allowed_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once(':') else {
        return false;
    };
    let scheme = scheme.to_ascii_lowercase();
    ALLOWED_SCHEMES.contains(&scheme.as_str())
        && !rest.is_empty()
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Parses one rich text string.
pub fn parse(src: &str) -> Rich {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_FOOTNOTES);
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(src, options).into_offset_iter().collect();
    // Past the limits nothing is built from the events: the walks below recurse.
    let too_deep = limits::nesting(&events);
    if !too_deep.is_empty() {
        return Rich {
            blocks: vec![Block::Paragraph {
                content: vec![Inline::text(src.trim_end())],
            }],
            issues: too_deep,
        };
    }

    // Footnote definitions first, so references can carry their text.
    let mut footnotes: HashMap<String, Vec<Inline>> = HashMap::new();
    let no_footnotes = HashMap::new();
    let mut i = 0;
    let mut main_events = Vec::new();
    while i < events.len() {
        if let (Event::Start(Tag::FootnoteDefinition(label)), _) = &events[i] {
            let label = label.to_string();
            let end = matching_end(&events, i);
            let mut b = Builder::new(src, &no_footnotes);
            b.run(&events[i + 1..end]);
            footnotes.insert(label, flatten_blocks(b.finish()));
            i = end + 1;
        } else {
            main_events.push(events[i].clone());
            i += 1;
        }
    }
    let mut b = Builder::new(src, &footnotes);
    b.run(&main_events);
    let issues = b.issues.clone();
    Rich {
        blocks: b.finish(),
        issues,
    }
}

/// Index of the event that closes the one opened at `start`.
fn matching_end(events: &[(Event, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (j, (ev, _)) in events.iter().enumerate().skip(start) {
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// Footnotes are inline in our model: their paragraphs are joined with spaces.
fn flatten_blocks(blocks: Vec<Block>) -> Vec<Inline> {
    let mut out = Vec::new();
    for b in blocks {
        if !out.is_empty() {
            out.push(Inline::text(" "));
        }
        match b {
            Block::Paragraph { content } => out.extend(content),
            Block::List { items, .. } => {
                for item in items {
                    if !out.is_empty() {
                        out.push(Inline::text(" "));
                    }
                    out.extend(flatten_blocks(item));
                }
            }
        }
    }
    merge_text(out)
}

enum Frame {
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>, Vec<Inline>),
    Emph(Vec<Inline>),
    Strong(Vec<Inline>),
    Link(String, Vec<Inline>),
}

struct Builder<'a> {
    src: &'a str,
    footnotes: &'a HashMap<String, Vec<Inline>>,
    stack: Vec<Frame>,
    blocks: Vec<Block>,
    issues: Vec<Issue>,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str, footnotes: &'a HashMap<String, Vec<Inline>>) -> Self {
        Builder {
            src,
            footnotes,
            stack: Vec::new(),
            blocks: Vec::new(),
            issues: Vec::new(),
        }
    }

    fn run(&mut self, events: &[(Event, Range<usize>)]) {
        let mut i = 0;
        while i < events.len() {
            let (ev, range) = &events[i];
            match ev {
                Event::Start(tag) => match tag {
                    Tag::Paragraph => self.stack.push(Frame::Paragraph(Vec::new())),
                    Tag::List(start) => self.stack.push(Frame::List {
                        ordered: start.is_some(),
                        start: start.unwrap_or(1),
                        items: Vec::new(),
                    }),
                    Tag::Item => self.stack.push(Frame::Item(Vec::new(), Vec::new())),
                    Tag::Emphasis => self.stack.push(Frame::Emph(Vec::new())),
                    Tag::Strong => self.stack.push(Frame::Strong(Vec::new())),
                    Tag::Link { dest_url, .. } if allowed_url(dest_url) => {
                        self.stack
                            .push(Frame::Link(super::link::target(dest_url), Vec::new()));
                    }
                    _ => {
                        // Anything outside the subset: the author's text, verbatim.
                        let end = matching_end(events, i);
                        let literal = self.src[range.clone()].trim_end_matches('\n').to_string();
                        if is_block_tag(tag) {
                            self.push_block(Block::Paragraph {
                                content: vec![Inline::text(literal)],
                            });
                        } else {
                            self.push_inline(Inline::text(literal));
                        }
                        i = end + 1;
                        continue;
                    }
                },
                Event::End(end) => self.close(end),
                Event::Text(t) => self.push_inline(Inline::text(t.to_string())),
                Event::SoftBreak => self.push_inline(Inline::text(" ")),
                Event::HardBreak => self.push_inline(Inline::Break),
                Event::FootnoteReference(label) => match self.footnotes.get(label.as_ref()) {
                    Some(content) => self.push_inline(Inline::Footnote {
                        content: content.clone(),
                    }),
                    None => {
                        self.issues.push(Issue::UndefinedFootnote {
                            label: label.to_string(),
                            range: range.clone(),
                        });
                        self.push_inline(Inline::text(&self.src[range.clone()]));
                    }
                },
                Event::Html(h) => {
                    let literal = h.trim_end_matches('\n').to_string();
                    self.push_block(Block::Paragraph {
                        content: vec![Inline::text(literal)],
                    });
                }
                // Inline code, inline HTML, rules and everything else keep their source text.
                Event::Code(_) | Event::InlineHtml(_) | Event::InlineMath(_) => {
                    self.push_inline(Inline::text(&self.src[range.clone()]));
                }
                Event::DisplayMath(_) | Event::Rule => self.push_block(Block::Paragraph {
                    content: vec![Inline::text(self.src[range.clone()].trim_end())],
                }),
                Event::TaskListMarker(_) => {
                    self.push_inline(Inline::text(&self.src[range.clone()]));
                }
            }
            i += 1;
        }
    }

    fn close(&mut self, end: &TagEnd) {
        let _ = end;
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Paragraph(content) => self.push_block(Block::Paragraph {
                content: finish_inlines(content),
            }),
            Frame::List {
                ordered,
                start,
                items,
            } => self.push_block(Block::List {
                ordered,
                start,
                items,
            }),
            Frame::Item(mut blocks, loose) => {
                // A tight list item holds inlines directly.
                if !loose.is_empty() {
                    blocks.insert(
                        0,
                        Block::Paragraph {
                            content: finish_inlines(loose),
                        },
                    );
                }
                if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                    items.push(blocks);
                }
            }
            Frame::Emph(content) => self.push_inline(Inline::Emph { content }),
            Frame::Strong(content) => self.push_inline(Inline::Strong { content }),
            Frame::Link(url, content) => self.push_inline(Inline::Link { url, content }),
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        match self.stack.last_mut() {
            Some(Frame::Paragraph(c))
            | Some(Frame::Emph(c))
            | Some(Frame::Strong(c))
            | Some(Frame::Link(_, c))
            | Some(Frame::Item(_, c)) => c.push(inline),
            Some(Frame::List { .. }) | None => self.stack.push(Frame::Paragraph(vec![inline])),
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Frame::Item(blocks, loose)) => {
                if !loose.is_empty() {
                    let content = finish_inlines(std::mem::take(loose));
                    blocks.push(Block::Paragraph { content });
                }
                blocks.push(block);
            }
            Some(Frame::Paragraph(_)) => {
                // A block inside a paragraph (raw HTML); close the paragraph around it.
                if let Some(Frame::Paragraph(content)) = self.stack.pop() {
                    self.push_block(Block::Paragraph {
                        content: finish_inlines(content),
                    });
                }
                self.push_block(block);
            }
            _ => self.blocks.push(block),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        while !self.stack.is_empty() {
            self.close(&TagEnd::Paragraph);
        }
        self.blocks
    }
}

fn is_block_tag(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::Table(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::MetadataBlock(_)
    )
}

/// Joins adjacent text runs and turns `[@id]` / `[@a; @b]` into citations.
fn finish_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    let merged = merge_text(inlines);
    let mut out = Vec::new();
    for inline in merged {
        match inline {
            Inline::Text { text } => cite::split_citations(&text, &mut out),
            Inline::Emph { content } => out.push(Inline::Emph {
                content: finish_inlines(content),
            }),
            Inline::Strong { content } => out.push(Inline::Strong {
                content: finish_inlines(content),
            }),
            Inline::Link { url, content } => out.push(Inline::Link {
                url,
                content: merge_text(content),
            }),
            Inline::Footnote { content } => out.push(Inline::Footnote {
                content: finish_inlines(content),
            }),
            other => out.push(other),
        }
    }
    out
}

fn merge_text(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for inline in inlines {
        if let Inline::Text { text } = &inline {
            if let Some(Inline::Text { text: prev }) = out.last_mut() {
                prev.push_str(text);
                continue;
            }
            if text.is_empty() {
                continue;
            }
        }
        out.push(inline);
    }
    out
}

mod cite;
mod limits;
mod walk;

pub use cite::figure_anchor;
pub use limits::{MAX_INLINE_DEPTH, MAX_LIST_DEPTH, Nesting};

pub use walk::{citations, figure_refs, plain_text, single_paragraph};

#[cfg(test)]
mod tests;
