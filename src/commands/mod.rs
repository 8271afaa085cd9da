//! The subcommands: each takes its parsed arguments and returns an exit code. Diagnostics are
//! printed here, not deeper down, so every command reports the same way.

mod check;
mod init;
mod schema;
mod templates;
mod watch;

use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command};
use crate::diag::Diagnostic;
use crate::exit;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Build(args) => crate::build::run(&args),
        Command::Watch(args) => watch::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Templates(crate::cli::TemplatesCommand::List(args)) => templates::list(&args),
        Command::Templates(crate::cli::TemplatesCommand::Export(args)) => templates::export(&args),
        Command::Completions(args) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(args.shell, &mut cmd, "deca", &mut std::io::stdout());
            exit::OK
        }
        Command::Man => {
            use clap::CommandFactory;
            let man = clap_mangen::Man::new(Cli::command());
            match man.render(&mut std::io::stdout()) {
                Ok(()) => exit::OK,
                Err(e) => {
                    eprintln!("error: failed to write the man page ({e})");
                    exit::FAILED
                }
            }
        }
    }
}

/// The assessment folders a DIR argument names: the folder itself when it is one, else the
/// assessment folders directly inside it, sorted by name.
pub fn assessment_dirs(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if !dir.exists() {
        return Err(
            Diagnostic::error(format!("`{}` does not exist", dir.display()))
                .hint("give an assessment folder (with assessment.yaml) or a folder of them"),
        );
    }
    if !dir.is_dir() {
        return Err(
            Diagnostic::error(format!("`{}` is not a folder", dir.display()))
                .hint("give an assessment folder (with assessment.yaml) or a folder of them"),
        );
    }
    if crate::model::is_assessment_dir(dir) {
        return Ok(vec![dir.to_path_buf()]);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Diagnostic::error(format!("failed to read `{}` ({e})", dir.display())))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && crate::model::is_assessment_dir(p))
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(Diagnostic::error(format!("no assessment found in `{}`", dir.display()))
            .hint("an assessment folder holds assessment.yaml; `deca init DIR --country NAME` creates one"));
    }
    Ok(dirs)
}
