//! The shape of the code, checked mechanically: no module imports one that imports it back
//! (at the crate's top level and one level down), and no source file runs past 500 lines
//! without saying why at its top.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::support::*;

/// Every `.rs` file under a folder.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a source file: `src/render/docx/body/mod.rs` → `render::docx::body`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The modules each module refers to through `crate::` paths, cut to `depth` segments.
/// Test modules (after `#[cfg(test)]`) are left out: tests may reach anywhere.
fn graph(depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let src = root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let from = module_of(&src, &f);
        if from.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let key = from[..from.len().min(depth)].join("::");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let path: Vec<&str> = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|s| !s.is_empty() && s.chars().next().is_some_and(char::is_lowercase))
                .collect();
            if path.is_empty() {
                continue;
            }
            let to = path[..path.len().min(depth)].join("::");
            if to != key
                && !key.starts_with(&format!("{to}::"))
                && !to.starts_with(&format!("{key}::"))
            {
                out.entry(key.clone()).or_default().insert(to);
            }
        }
    }
    out
}

/// A cycle in a graph, if there is one, as the modules along it.
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c = stack[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in g.keys() {
        if let Some(c) = visit(n, g, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    for depth in [1, 2] {
        let g = graph(depth);
        assert!(g.len() > 10, "the module graph was not read: {g:?}");
        if let Some(c) = cycle(&g) {
            panic!(
                "modules import each other (depth {depth}): {}",
                c.join(" → ")
            );
        }
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["c".to_string()])),
        ("c".to_string(), BTreeSet::from(["a".to_string()])),
    ]
    .into();
    assert_eq!(cycle(&g).unwrap().join(" → "), "a → b → c → a");
}

#[test]
fn a_source_file_over_500_lines_says_why_at_its_top() {
    let src = root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut long = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        if text.lines().count() <= 500 {
            continue;
        }
        // The reason is a sentence in the module's opening comment.
        let head: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
        if !head.contains("longer than 500 lines") {
            long.push(format!("{} ({} lines)", f.display(), text.lines().count()));
        }
    }
    assert!(long.is_empty(), "long files without a reason: {long:?}");
}
