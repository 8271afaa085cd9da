//! The subcommands: each takes its parsed arguments and returns an exit code. Diagnostics are
//! printed here, not deeper down, so every command reports the same way. Builds get their
//! settings from deca.toml and its profiles first (see `project`).

mod check;
mod init;
mod man;
mod profile;
mod schema;
mod templates;
mod watch;

use clap::ArgMatches;

use crate::cli::{BuildArgs, Cli, Command};
use crate::project;
use crate::{diag, exit, ui};
use profile::Given;

/// Runs a parsed command line. `matches` tells which flags were typed, so deca.toml fills in
/// only the rest.
pub fn run(cli: Cli, matches: &ArgMatches) -> u8 {
    let sub = matches
        .subcommand()
        .map(|(_, m)| m.clone())
        .unwrap_or_default();
    // Fonts from `--font-path` join the bundled ones before anything measures or sets text.
    let font_paths = match &cli.command {
        Command::Check(args) => args.font_paths.as_slice(),
        Command::Build(args) | Command::Watch(args) => args.font_paths.as_slice(),
        Command::Preview(args) => args.build.font_paths.as_slice(),
        Command::TypstWorker(args) => args.font_paths.as_slice(),
        _ => &[],
    };
    if let Err(d) = crate::fonts::use_font_paths(font_paths) {
        diag::eprint_human(&[d], ui::color_stderr());
        return exit::USAGE;
    }
    match cli.command {
        Command::Check(mut args) => {
            // A broken deca.toml is reported with the data's problems, not instead of them.
            let (checked, data) = match project::discover_parsed() {
                Ok(Some(p)) => (Some(project::check(&p)), p.data()),
                Ok(None) => (None, None),
                Err(diagnostics) => (
                    Some(project::Checked {
                        diagnostics,
                        summary: None,
                    }),
                    None,
                ),
            };
            if !sub.given("dir")
                && let Some(data) = data
            {
                args.dir = data;
            }
            check::run(&args, checked)
        }
        Command::Schema(args) => schema::run(&args),
        Command::Build(mut args) => match with_project(&mut args, &sub) {
            Ok(()) => crate::build::run(&args),
            Err(code) => code,
        },
        Command::Watch(mut args) => match with_project(&mut args, &sub) {
            Ok(()) => watch::run(&args),
            Err(code) => code,
        },
        Command::Preview(mut args) => match with_project(&mut args.build, &sub) {
            Ok(()) => crate::preview::run(&args),
            Err(code) => code,
        },
        Command::Init(args) => init::run(&args),
        Command::Templates(crate::cli::TemplatesCommand::List(args)) => templates::list(&args),
        Command::Templates(crate::cli::TemplatesCommand::Export(args)) => templates::export(&args),
        Command::Completions(args) => crate::complete::registration(args.shell),
        Command::Man(args) => man::run(&args),
        Command::Manifest(crate::cli::ManifestCommand::Merge(args)) => {
            crate::build::merge::run(&args.out, &args.shards)
        }
        Command::TypstWorker(args) => {
            crate::render::typst::worker::main(args.max_memory, args.evict_age)
        }
    }
}

/// Lays deca.toml (and `--profile`) under the flags given; on failure, the exit code.
fn with_project(args: &mut BuildArgs, given: &ArgMatches) -> Result<(), u8> {
    let project = match project::discover() {
        Ok(p) => p,
        Err(diags) => {
            diag::eprint_human(&diags, ui::color_stderr());
            return Err(exit::FAILED);
        }
    };
    profile::resolve(project.as_ref(), args, given).map_err(|d| {
        diag::eprint_human(&[d], ui::color_stderr());
        exit::USAGE
    })
}
