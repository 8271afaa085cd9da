//! The `deca` binary: parse the command line, run the command, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = deca::cli::Cli::parse();
    ExitCode::from(deca::commands::run(cli))
}
