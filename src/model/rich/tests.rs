//! The Markdown subset: what is interpreted, what stays literal, and the limits.

use super::*;

fn para(src: &str) -> Vec<Inline> {
    match parse(src).blocks.as_slice() {
        [Block::Paragraph { content }] => content.clone(),
        other => panic!("expected one paragraph, got {other:?}"),
    }
}

fn t(s: &str) -> Inline {
    Inline::text(s)
}

#[test]
fn figure_references_are_refs_to_the_indicator_figure() {
    let parsed = parse("As [@fig:internet-use] shows, and [@fig:] does not.");
    assert_eq!(
        parsed.blocks,
        vec![Block::Paragraph {
            content: vec![
                t("As "),
                Inline::Ref {
                    target: "figure-internet-use".into(),
                    text: String::new(),
                    scope: RefScope::Document,
                },
                t(" shows, and [@fig:] does not."),
            ]
        }]
    );
    assert_eq!(
        figure_refs(&parsed.blocks),
        vec!["internet-use".to_string()]
    );
    assert!(citations(&parsed.blocks).is_empty());
}

#[test]
fn emphasis_strong_and_links() {
    assert_eq!(
        para("a *b* **c** [d](https://e.org)"),
        vec![
            t("a "),
            Inline::Emph {
                content: vec![t("b")]
            },
            t(" "),
            Inline::Strong {
                content: vec![t("c")]
            },
            t(" "),
            Inline::Link {
                url: "https://e.org".into(),
                content: vec![t("d")]
            },
        ]
    );
}

#[test]
fn typst_and_latex_syntax_is_plain_text() {
    assert_eq!(
        para(r#"#read("/etc/passwd") and $x$"#),
        vec![t(r#"#read("/etc/passwd") and $x$"#)]
    );
}

#[test]
fn a_heading_stays_literal() {
    assert_eq!(para("# not a heading"), vec![t("# not a heading")]);
}

#[test]
fn raw_html_and_comments_stay_literal() {
    assert_eq!(
        para("a <script>alert(1)</script> b"),
        vec![t("a <script>alert(1)</script> b")]
    );
    assert_eq!(para("<!-- hidden -->"), vec![t("<!-- hidden -->")]);
    assert_eq!(para("<script>x</script>"), vec![t("<script>x</script>")]);
}

#[test]
fn other_link_schemes_stay_literal() {
    assert_eq!(
        para("[x](javascript:alert(1))"),
        vec![t("[x](javascript:alert(1))")]
    );
    assert_eq!(
        para("[x](file:///etc/passwd)"),
        vec![t("[x](file:///etc/passwd)")]
    );
    assert_eq!(
        para("[mail](mailto:a@b.org)"),
        vec![Inline::Link {
            url: "mailto:a@b.org".into(),
            content: vec![t("mail")]
        }]
    );
}

#[test]
fn code_and_images_stay_literal() {
    assert_eq!(
        para("use `rm -rf` ![img](x.png)"),
        vec![t("use `rm -rf` ![img](x.png)")]
    );
}

#[test]
fn citations_become_cite_inlines() {
    assert_eq!(
        para("Use rose [@inei-2023]. Both [@a; @b-2]."),
        vec![
            t("Use rose "),
            Inline::Cite {
                ids: vec!["inei-2023".into()],
                label: String::new()
            },
            t(". Both "),
            Inline::Cite {
                ids: vec!["a".into(), "b-2".into()],
                label: String::new()
            },
            t("."),
        ]
    );
    assert_eq!(para("not [@ a cite"), vec![t("not [@ a cite")]);
}

#[test]
fn footnotes_carry_their_text() {
    let r = parse("Claim.[^1]\n\n[^1]: The *note*.");
    assert_eq!(
        r.blocks,
        vec![Block::Paragraph {
            content: vec![
                t("Claim."),
                Inline::Footnote {
                    content: vec![
                        t("The "),
                        Inline::Emph {
                            content: vec![t("note")]
                        },
                        t(".")
                    ]
                }
            ]
        }]
    );
    assert!(r.issues.is_empty());
}

#[test]
fn lists_bullet_and_numbered() {
    let r = parse("- one\n- two\n\n3. three\n4. four");
    assert_eq!(
        r.blocks,
        vec![
            Block::List {
                ordered: false,
                start: 1,
                items: vec![
                    vec![Block::Paragraph {
                        content: vec![t("one")]
                    }],
                    vec![Block::Paragraph {
                        content: vec![t("two")]
                    }]
                ]
            },
            Block::List {
                ordered: true,
                start: 3,
                items: vec![
                    vec![Block::Paragraph {
                        content: vec![t("three")]
                    }],
                    vec![Block::Paragraph {
                        content: vec![t("four")]
                    }]
                ]
            }
        ]
    );
}

#[test]
fn brackets_and_stars_in_odd_places_survive() {
    assert_eq!(para("a ] b [ c"), vec![t("a ] b [ c")]);
    assert_eq!(para(r"\*not bold\*"), vec![t("*not bold*")]);
}

fn nested_list(depth: usize) -> String {
    (0..depth)
        .map(|i| format!("{}- level {}", "  ".repeat(i), i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn lists_past_the_limit_are_refused_and_kept_literal() {
    assert!(parse(&nested_list(MAX_LIST_DEPTH)).issues.is_empty());
    let src = nested_list(MAX_LIST_DEPTH + 1);
    let r = parse(&src);
    let at = src.find("- level 4").unwrap();
    assert_eq!(
        r.issues,
        vec![Issue::TooDeep {
            what: Nesting::Lists,
            depth: 4,
            limit: 3,
            range: at..src.len(),
        }]
    );
    assert_eq!(
        r.blocks,
        vec![Block::Paragraph {
            content: vec![t(&src)]
        }]
    );
}

#[test]
fn formatting_past_the_limit_is_refused() {
    let ok = "*a **b *c **d *e **f x** e* d** c* b** a*";
    assert!(parse(ok).issues.is_empty());
    let deep = "**a *b **c *d **e *f **g x** f* e** d* c** b* a**";
    assert!(matches!(
        parse(deep).issues.as_slice(),
        [Issue::TooDeep {
            what: Nesting::Formatting,
            depth: 7,
            limit: 6,
            ..
        }]
    ));
}

/// Nesting is measured without recursion: a line of 100,000 list markers is one error, not
/// a stack overflow.
#[test]
fn absurd_nesting_does_not_overflow_the_stack() {
    let src = "- ".repeat(100_000) + "x";
    let r = parse(&src);
    assert!(matches!(
        r.issues.as_slice(),
        [Issue::TooDeep { depth: 100_000, .. }]
    ));
}

#[test]
fn only_http_https_mailto_are_allowed() {
    assert!(allowed_url("https://x.org"));
    assert!(allowed_url("HTTP://x.org"));
    assert!(!allowed_url("javascript:alert(1)"));
    assert!(!allowed_url("data:text/html,x"));
    assert!(!allowed_url("https:"));
}
