//! Laying deca.toml under the command line (here, beside the commands, so the project file
//! itself knows nothing of the command line): the file's top level, then `[profile.NAME]`, then
//! the flags the user typed, each replacing what came before (lists too, not merged).

use clap::ValueEnum;

use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use crate::edition::Paper;
use crate::project::{FILE_NAME, List, Project, Settings};

/// Which flags the user typed, by clap argument id.
pub(super) trait Given {
    fn given(&self, id: &str) -> bool;
}

impl Given for clap::ArgMatches {
    fn given(&self, id: &str) -> bool {
        // An id the command does not have counts as not given.
        self.try_contains_id(id).unwrap_or(false)
            && self.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
    }
}

fn strings(l: &List) -> Vec<String> {
    l.get_ref().iter().map(|s| s.get_ref().clone()).collect()
}

fn parse_all<E: ValueEnum>(l: &List) -> Vec<E> {
    l.get_ref()
        .iter()
        .filter_map(|v| E::from_str(v.get_ref(), false).ok())
        .collect()
}

/// Lays `settings` under the flags the user did not type.
fn apply_settings(p: &Project, s: &Settings, args: &mut BuildArgs, given: &dyn Given) {
    if let Some(v) = &s.data
        && !given.given("dir")
    {
        args.dir = p.path(v);
    }
    if let Some(v) = &s.out
        && !given.given("out")
    {
        args.out = p.path(v);
    }
    if let Some(v) = &s.paper
        && !given.given("paper")
        && let Ok(paper) = Paper::from_str(v.get_ref(), false)
    {
        args.paper = Some(paper);
    }
    if let Some(v) = &s.kind
        && !given.given("kinds")
    {
        args.kinds = parse_all(v);
    }
    if let Some(v) = &s.format
        && !given.given("formats")
    {
        args.formats = parse_all(v);
    }
    if let Some(v) = &s.lang
        && !given.given("langs")
    {
        args.langs = strings(v);
    }
    if let Some(v) = &s.priority
        && !given.given("priority")
    {
        args.priority = strings(v);
    }
    if let Some(v) = &s.recommendation
        && !given.given("recommendation")
    {
        args.recommendation = strings(v);
    }
    if let Some(v) = &s.templates
        && !given.given("templates")
    {
        args.templates = Some(p.path(v));
    }
    if let Some(v) = &s.reference_docx
        && !given.given("reference_docx")
    {
        args.reference_docx = Some(p.path(v));
    }
    if let Some(v) = &s.pdf_standard
        && !given.given("pdf_standards")
    {
        args.pdf_standards = parse_all(v);
    }
    if let Some(v) = &s.timeout
        && !given.given("timeout")
    {
        args.timeout = *v.get_ref();
    }
    if let Some(v) = &s.strict
        && !given.given("strict")
    {
        args.strict = *v.get_ref();
    }
}

/// Resolves a build's settings: the project file's top level, then the profile asked for, under
/// the flags given. Without a project file only `--profile` is an error.
pub(super) fn resolve(
    project: Option<&Project>,
    args: &mut BuildArgs,
    given: &dyn Given,
) -> Result<(), Diagnostic> {
    let Some(p) = project else {
        return match &args.profile {
            Some(name) => Err(Diagnostic::error(format!(
                "--profile {name} needs a project file, and no {FILE_NAME} was found here or in a parent folder"
            ))
            .hint(format!(
                "create {FILE_NAME} with a `[profile.{name}]` table; the README's \"Save an edition as a profile\" shows one"
            ))),
            None => Ok(()),
        };
    };
    apply_settings(p, &p.settings, args, given);
    if let Some(name) = args.profile.clone() {
        let profile = p.profile(&name)?;
        apply_settings(p, profile, args, given);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::project::tests::parse_text as parse;

    struct Typed(&'static [&'static str]);
    impl Given for Typed {
        fn given(&self, id: &str) -> bool {
            self.0.contains(&id)
        }
    }

    fn args() -> BuildArgs {
        use clap::Parser;
        let cli = crate::cli::Cli::parse_from(["deca", "build"]);
        match cli.command {
            crate::cli::Command::Build(a) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_profile_overrides_the_top_level_and_flags_override_both() {
        let p = parse(
            "out = \"all\"\npaper = \"letter\"\n[profile.lima]\nlang = [\"es\"]\nout = \"lima\"\n",
        )
        .unwrap();
        let mut a = args();
        a.profile = Some("lima".into());
        resolve(Some(&p), &mut a, &Typed(&[])).unwrap();
        assert_eq!(a.out, Path::new("lima"));
        assert_eq!(a.paper, Some(Paper::Letter));
        assert_eq!(a.langs, vec!["es".to_string()]);

        let mut b = args();
        b.profile = Some("lima".into());
        b.out = PathBuf::from("mine");
        resolve(Some(&p), &mut b, &Typed(&["out"])).unwrap();
        assert_eq!(b.out, Path::new("mine"));
    }

    #[test]
    fn an_unknown_profile_suggests_one() {
        let p = parse("[profile.lima]\nlang = [\"es\"]\n").unwrap();
        let mut a = args();
        a.profile = Some("lma".into());
        let d = resolve(Some(&p), &mut a, &Typed(&[])).unwrap_err();
        assert_eq!(d.message, "unknown profile `lma`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `lima`?"));
    }
}
