//! `deca man [DIR]`: one man page per command (deca.1, deca-build.1, deca-templates-list.1...),
//! each naming the pages it refers to, so `man deca-build` works once DIR is on MANPATH.

use crate::diag::{Diagnostic, report};
use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::exit;

/// Every page: its file name and roff text.
pub(super) fn pages() -> Result<Vec<(String, Vec<u8>)>, std::io::Error> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Building fills in the display names (`deca-templates-list`) the pages are named by.
    cmd.build();
    let mut out = Vec::new();
    collect(&cmd, None, &mut out)?;
    Ok(out)
}

fn collect(
    cmd: &clap::Command,
    parent: Option<&str>,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), std::io::Error> {
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    // The way back up, and across to the other commands, as every man page has.
    let mut see_also: Vec<String> = Vec::new();
    if let Some(parent) = parent {
        let root = parent.split('-').next().unwrap_or(parent);
        if root != parent {
            see_also.push(root.to_string());
        }
        see_also.push(parent.to_string());
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        see_also.push(format!("{name}-{}", sub.get_name()));
    }
    if !see_also.is_empty() {
        roff.extend_from_slice(b".SH \"SEE ALSO\"\n");
        let last = see_also.len() - 1;
        for (i, page) in see_also.iter().enumerate() {
            let sep = if i == last { "" } else { "," };
            roff.extend_from_slice(
                format!(".BR {} (1){sep}\n", page.replace('-', "\\-")).as_bytes(),
            );
        }
    }
    out.push((man.get_filename(), roff));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, Some(&name), out)?;
    }
    Ok(())
}

pub(super) fn run(args: &ManArgs) -> u8 {
    let pages = match pages() {
        Ok(p) => p,
        Err(e) => {
            report(&[Diagnostic::error(format!(
                "failed to render the man pages ({e})"
            ))]);
            return exit::FAILED;
        }
    };
    for (name, text) in &pages {
        let path = args.dir.join(name);
        if let Err(e) = crate::atomic::write(&path, text) {
            report(&[Diagnostic::error(format!(
                "failed to write `{}` ({e})",
                path.display()
            ))]);
            return exit::FAILED;
        }
        println!("{}", crate::ui::shown(&path).display());
    }
    let hint = format!("{}/", crate::ui::shown(&args.dir).display());
    eprintln!(
        "wrote {} man pages; read one with `man -l {hint}deca-build.1`, or add {hint} to MANPATH",
        pages.len()
    );
    exit::OK
}
