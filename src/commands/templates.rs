//! `deca templates list|export`: which template file is used from where, and a copy of the
//! built-in templates to start customising from.

use crate::cli::{TemplatesExportArgs, TemplatesListArgs};
use crate::diag;
use crate::diag::{Diagnostic, report};
use crate::templates::{self, Origin, TemplateSet};
use crate::{exit, ui};

pub(super) fn list(args: &TemplatesListArgs) -> u8 {
    let dirs = match crate::source::assessment_dirs(&args.dir) {
        Ok(d) => d,
        Err(d) => {
            diag::eprint_human(&[d], ui::color_stderr());
            return exit::USAGE;
        }
    };
    for dir in dirs {
        let set = match TemplateSet::load(&templates::layers_for(&dir, args.templates.as_deref())) {
            Ok(s) => s,
            Err(d) => {
                diag::eprint_human(&[d], ui::color_stderr());
                return exit::FAILED;
            }
        };
        println!("{}:", ui::shown(&dir).display());
        let width = set
            .files
            .keys()
            .map(String::len)
            .max()
            .unwrap_or(0)
            .max("docx/reference.docx".len());
        for (path, file) in &set.files {
            println!("  {path:<width$}  {}", file.origin);
        }
        if set.get("docx/reference.docx").is_none() {
            println!("  {:<width$}  {}", "docx/reference.docx", Origin::BuiltIn);
        }
        for (path, _) in crate::fonts::BUNDLED {
            println!("  {:<width$}  {}", format!("fonts/{path}"), Origin::BuiltIn);
        }
    }
    exit::OK
}

pub(super) fn export(args: &TemplatesExportArgs) -> u8 {
    let mut files: Vec<(String, Vec<u8>)> = TemplateSet::builtin()
        .files
        .into_iter()
        .map(|(p, f)| (p, f.bytes.to_vec()))
        .collect();
    files.push((
        "docx/reference.docx".into(),
        templates::REFERENCE_DOCX.to_vec(),
    ));
    let mut skipped = 0;
    for (rel, bytes) in files {
        let path = args.dir.join(&rel);
        if path.exists() && !args.force {
            eprintln!("kept {} (exists; --force overwrites)", path.display());
            skipped += 1;
            continue;
        }
        if let Err(e) = crate::atomic::write(&path, &bytes) {
            report(&[Diagnostic::error(format!(
                "failed to write `{}` ({e})",
                path.display()
            ))]);
            return exit::FAILED;
        }
        println!("{}", path.display());
    }
    if skipped > 0 {
        if skipped == 1 {
            eprintln!("1 file kept as it was");
        } else {
            eprintln!("{skipped} files kept as they were");
        }
    }
    exit::OK
}
