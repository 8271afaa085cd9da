//! Typst's diagnostics as deca's: an error in a template is reported at the template's
//! file:line:col with a snippet, naming the override file when a user's template is at fault.
//!
//! Compiles run in worker processes, so this happens in two steps: the worker turns Typst's
//! diagnostics into plain data (`to_wire`, with the template path and byte range), and the
//! build locates them in its own copy of the templates (`from_wire`).

use std::sync::Arc;

use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};

use super::protocol::WireDiagnostic;
use super::world::DecaWorld;
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::templates::{Origin, TemplateSet};

/// Converts Typst diagnostics to data, with the template path and byte range of each.
pub(super) fn to_wire(world: &DecaWorld, diags: &[SourceDiagnostic]) -> Vec<WireDiagnostic> {
    diags.iter().map(|d| one(world, d)).collect()
}

fn one(world: &DecaWorld, d: &SourceDiagnostic) -> WireDiagnostic {
    let mut message = lowercase_first(&d.message);
    let escapes = message.contains("would escape the project root");
    if escapes {
        // Typst's hint speaks of its CLI's `--root`; deca has no such thing.
        message = format!(
            "access denied: {}",
            message.replace("the project root", "the templates folder")
        );
    }
    let mut hints: Vec<String> = if escapes {
        Vec::new()
    } else {
        d.hints.iter().map(|h| h.v.to_string()).collect()
    };
    if message.contains("access denied") || message.contains("failed to load file") {
        hints.push(
            "templates can read only files inside the templates folder, /ir.json and /assets/"
                .into(),
        );
    }
    let span = d.span.id().and_then(|id| {
        let range = world.range(d.span)?;
        Some((DecaWorld::template_path(id)?, range.start, range.end))
    });
    WireDiagnostic {
        error: d.severity == Severity::Error,
        message,
        hints,
        span,
    }
}

/// Locates a diagnostic from a worker in the templates it was compiled with.
pub(super) fn from_wire(templates: &TemplateSet, d: &WireDiagnostic) -> Diagnostic {
    let mut out = if d.error {
        Diagnostic::error(d.message.clone())
    } else {
        Diagnostic::warning(d.message.clone())
    };
    if let Some((path, start, end)) = &d.span
        && let Some(file) = templates.get(path)
        && let Ok(text) = std::str::from_utf8(&file.bytes)
    {
        let shown = match &file.origin {
            Origin::Override { path, .. } => path.display().to_string(),
            Origin::BuiltIn => format!("<built-in>/templates/{path}"),
        };
        let source = SourceFile::new(shown, Arc::<str>::from(text));
        out = out.at(Location::new(&source, *start, *end));
    }
    if !d.hints.is_empty() {
        out = out.hint(d.hints.join("; "));
    }
    out
}

/// Locates a list of diagnostics.
pub(super) fn all_from_wire(templates: &TemplateSet, diags: &[WireDiagnostic]) -> Vec<Diagnostic> {
    diags.iter().map(|d| from_wire(templates, d)).collect()
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wire_diagnostic_is_located_in_the_template_text() {
        let templates = TemplateSet::builtin();
        let text = std::str::from_utf8(&templates.get("typst/brief.typ").unwrap().bytes)
            .unwrap()
            .to_string();
        let at = text.find("#import").unwrap();
        let d = from_wire(
            &templates,
            &WireDiagnostic {
                error: true,
                message: "unknown variable: x".into(),
                hints: vec!["a".into(), "b".into()],
                span: Some(("typst/brief.typ".into(), at, at + 7)),
            },
        );
        assert_eq!(
            d.position().unwrap(),
            format!(
                "<built-in>/templates/typst/brief.typ:{}:1",
                text[..at].matches('\n').count() + 1
            )
        );
        assert_eq!(d.hint.as_deref(), Some("a; b"));
    }
}
