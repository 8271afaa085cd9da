//! The `deca` binary: parse the command line, run the command, exit with its code.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes away
    // (`deca schema | head`): a closed pipe is not an error worth a panic message.
    #[cfg(unix)]
    #[allow(unsafe_code)]
    // SAFETY: setting a signal disposition to its default at start-up, before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // A shell asking for completions (COMPLETE=bash deca -- ...) is answered and exits here.
    clap_complete::CompleteEnv::with_factory(deca::cli::Cli::command).complete();
    let matches = deca::cli::Cli::command().get_matches();
    let cli = match deca::cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    ExitCode::from(deca::commands::run(cli, &matches))
}
