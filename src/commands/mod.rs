//! The subcommands: each takes its parsed arguments and returns an exit code. Diagnostics are
//! printed here, not deeper down, so every command reports the same way.

mod check;
mod init;
mod schema;
mod templates;
mod watch;

use crate::cli::{Cli, Command};
use crate::exit;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> u8 {
    // Fonts from `--font-path` join the bundled ones before anything measures or sets text.
    let font_paths = match &cli.command {
        Command::Check(args) => args.font_paths.as_slice(),
        Command::Build(args) | Command::Watch(args) => args.font_paths.as_slice(),
        _ => &[],
    };
    if let Err(d) = crate::fonts::use_font_paths(font_paths) {
        crate::diag::eprint_human(&[d], crate::ui::color_stderr());
        return exit::USAGE;
    }
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
