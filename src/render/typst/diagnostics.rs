//! Typst's diagnostics as deca's: an error in a template is reported at the template's
//! file:line:col with a snippet, naming the override file when a user's template is at fault.

use std::sync::Arc;

use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};

use super::world::DecaWorld;
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::templates::Origin;

/// Converts Typst diagnostics, locating each in its template file when it has a span.
pub fn convert(world: &DecaWorld, diags: &[SourceDiagnostic]) -> Vec<Diagnostic> {
    diags.iter().map(|d| one(world, d)).collect()
}

fn one(world: &DecaWorld, d: &SourceDiagnostic) -> Diagnostic {
    let mut message = lowercase_first(&d.message);
    let escapes = message.contains("would escape the project root");
    if escapes {
        // Typst's hint speaks of its CLI's `--root`; deca has no such thing.
        message = format!(
            "access denied: {}",
            message.replace("the project root", "the templates folder")
        );
    }
    let mut out = match d.severity {
        Severity::Error => Diagnostic::error(message),
        Severity::Warning => Diagnostic::warning(message),
    };
    if let Some(id) = d.span.id()
        && let (Ok(source), Some(range)) = (world.source(id), world.range(d.span))
    {
        let path = DecaWorld::template_path(id).unwrap_or_default();
        let shown = match world.template_origin(&path) {
            Some(Origin::Override { path, .. }) => path.display().to_string(),
            _ => format!("<built-in>/templates/{path}"),
        };
        let file = SourceFile::new(shown, Arc::<str>::from(source.text()));
        out = out.at(Location::new(&file, range.start, range.end));
    }
    let mut hints: Vec<String> = if escapes {
        Vec::new()
    } else {
        d.hints.iter().map(|h| h.v.to_string()).collect()
    };
    if out.message.contains("access denied") || out.message.contains("failed to load file") {
        hints.push(
            "templates can read only files inside the templates folder, /ir.json and /assets/"
                .into(),
        );
    }
    if !hints.is_empty() {
        out = out.hint(hints.join("; "));
    }
    out
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
