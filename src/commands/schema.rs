//! `deca schema`: the JSON Schemas of the data files, printed or written to a folder, and of
//! the document model templates receive (`--ir`).

use crate::cli::SchemaArgs;
use crate::diag::{Diagnostic, report};
use crate::exit;
use crate::model::schema::{self, FileKind};

pub(super) fn run(args: &SchemaArgs) -> u8 {
    if args.ir {
        let text = serde_json::to_string_pretty(&crate::ir::schema()).expect("schema serializes");
        println!("{text}");
        return exit::OK;
    }
    if args.markdown {
        print!("{}", schema::markdown());
        return exit::OK;
    }
    let Some(out) = &args.out else {
        let text = serde_json::to_string_pretty(&schema::of(FileKind::Assessment))
            .expect("schema serializes");
        println!("{text}");
        return exit::OK;
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        report(&[Diagnostic::error(format!(
            "failed to create `{}` ({e})",
            out.display()
        ))]);
        return exit::FAILED;
    }
    let project =
        serde_json::to_string_pretty(&crate::project::schema()).expect("schema serializes") + "\n";
    let files = schema::all()
        .into_iter()
        .chain([("deca.schema.json".to_string(), project)]);
    for (name, text) in files {
        let path = out.join(&name);
        if let Err(e) = crate::atomic::write(&path, text.as_bytes()) {
            report(&[Diagnostic::error(format!(
                "failed to write `{}` ({e})",
                path.display()
            ))]);
            return exit::FAILED;
        }
        println!("{}", path.display());
    }
    exit::OK
}
