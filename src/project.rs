//! `deca.toml`, the project file: defaults for every build and named editions (profiles), found
//! by walking up from the working directory like Cargo.toml. It owns finding, reading and
//! checking the file (every problem located at its key or value), laying a profile under the
//! command line, and the file's JSON Schema.
//!
//! Precedence, lowest first: built-in defaults, the file's top level, `[profile.NAME]`, flags.
//! Paths in the file are relative to the file's folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use serde::Deserialize;
use toml::Spanned;

use crate::cli::BuildArgs;
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::edition::{Kind, OutputFormat, Paper, PdfStandard};
use crate::suggest;

/// The project file's name.
pub const FILE_NAME: &str = "deca.toml";

/// The largest project file read; real ones are a few hundred bytes.
const MAX_BYTES: u64 = 256 * 1024;

type List = Spanned<Vec<Spanned<String>>>;

/// Settings shared by the top level and every profile. Each one mirrors a `deca build` flag.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// What this edition is for, shown by `deca check`.
    #[schemars(with = "Option<String>")]
    pub description: Option<Spanned<String>>,
    /// An assessment folder, or a folder of them (`DIR` of `deca build`).
    #[schemars(with = "Option<String>")]
    pub data: Option<Spanned<String>>,
    /// Where documents, manifest.json and SHA256SUMS are written (`--out`).
    #[schemars(with = "Option<String>")]
    pub out: Option<Spanned<String>>,
    /// Paper size (`--paper`): `a4` or `letter`.
    #[schemars(with = "Option<String>")]
    pub paper: Option<Spanned<String>>,
    /// Kinds of document (`--kind`): `report`, `brief`, `onepager`, `overview`.
    #[schemars(with = "Option<Vec<String>>")]
    pub kind: Option<List>,
    /// Output formats (`--format`): `pdf`, `docx`.
    #[schemars(with = "Option<Vec<String>>")]
    pub format: Option<List>,
    /// Languages (`--lang`), e.g. `["es"]`.
    #[schemars(with = "Option<Vec<String>>")]
    pub lang: Option<List>,
    /// Priority ids whose briefs to build (`--priority`).
    #[schemars(with = "Option<Vec<String>>")]
    pub priority: Option<List>,
    /// Recommendation ids whose one-pagers to build (`--recommendation`).
    #[schemars(with = "Option<Vec<String>>")]
    pub recommendation: Option<List>,
    /// A folder of templates that override the built-in ones (`--templates`).
    #[schemars(with = "Option<String>")]
    pub templates: Option<Spanned<String>>,
    /// A Word file that restyles every DOCX, e.g. a letterhead (`--reference-docx`).
    #[schemars(with = "Option<String>")]
    pub reference_docx: Option<Spanned<String>>,
    /// PDF standards (`--pdf-standard`): `ua-1`, `a-2a`, `a-2b`, `a-2u`, `a-3b`, `none`.
    #[schemars(with = "Option<Vec<String>>")]
    pub pdf_standard: Option<List>,
    /// Seconds a template may run per document (`--timeout`).
    #[schemars(with = "Option<u64>")]
    pub timeout: Option<Spanned<u64>>,
    /// Treat missing translations as errors (`--strict`).
    #[schemars(with = "Option<bool>")]
    pub strict: Option<Spanned<bool>>,
    /// Named editions: `[profile.lima]` is built by `deca build --profile lima`. Only at the top
    /// level.
    #[schemars(with = "Option<BTreeMap<String, Settings>>")]
    pub profile: Option<BTreeMap<String, Spanned<Settings>>>,
}

/// A project file that was read and parsed.
#[derive(Debug)]
pub struct Project {
    /// The file as shown in messages (relative to the working directory when below it).
    pub file: Arc<SourceFile>,
    /// The folder paths in the file are relative to, as seen from the working directory.
    pub base: PathBuf,
    pub settings: Settings,
}

/// The project file that applies in `start`: the first `deca.toml` in it or a parent folder.
/// Returns the path to read and how to show its folder (relative when possible).
pub fn find(start: &Path) -> Option<(PathBuf, PathBuf)> {
    let mut dir = start.to_path_buf();
    let mut base = PathBuf::new();
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some((candidate, base));
        }
        if !dir.pop() {
            return None;
        }
        base.push("..");
    }
}

/// Finds and reads the project file for the working directory. `Ok(None)`: there is none.
pub fn discover() -> Result<Option<Project>, Vec<Diagnostic>> {
    let Ok(cwd) = std::env::current_dir() else {
        return Ok(None);
    };
    match find(&cwd) {
        Some((path, base)) => load(&path, &base).map(Some),
        None => Ok(None),
    }
}

/// Reads and parses a project file; `base` is its folder as the user sees it.
pub fn load(path: &Path, base: &Path) -> Result<Project, Vec<Diagnostic>> {
    let shown = base.join(FILE_NAME);
    let too_big = std::fs::metadata(path).is_ok_and(|m| m.len() > MAX_BYTES);
    if too_big {
        return Err(vec![
            Diagnostic::error(format!(
                "the project file is too large (the limit is {MAX_BYTES} bytes)"
            ))
            .in_file(&shown),
        ]);
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(format!("failed to read the project file ({e})")).in_file(&shown)]
    })?;
    let file = SourceFile::new(&shown, text);
    let settings: Settings = toml::from_str(&file.text).map_err(|e| {
        // toml's message repeats the snippet; the first line is the problem itself.
        let message = e.message().lines().next().unwrap_or("invalid TOML").trim();
        let message = message.trim_end_matches('.').to_string();
        let d = Diagnostic::error(format!("invalid project file: {message}"));
        let d = match e.span() {
            Some(span) => d.at(Location::new(&file, span.start, span.end)),
            None => d.in_file(&shown),
        };
        let d = if message.starts_with("unknown field") {
            d.hint("deca.toml takes the keys of `deca schema --out DIR`'s deca.schema.json; see the README's profile section")
        } else {
            d
        };
        vec![d]
    })?;
    let project = Project {
        file,
        base: base.to_path_buf(),
        settings,
    };
    let problems = project.check_values();
    if problems.is_empty() {
        Ok(project)
    } else {
        Err(problems)
    }
}

/// A value's place in the file.
fn at<T>(file: &Arc<SourceFile>, v: &Spanned<T>) -> Location {
    Location::new(file, v.span().start, v.span().end)
}

/// Whether `value` is one of a `ValueEnum`'s names; the error lists them.
fn check_enum<E: ValueEnum>(
    file: &Arc<SourceFile>,
    key: &str,
    v: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let names: Vec<String> = E::value_variants()
        .iter()
        .filter_map(|x| x.to_possible_value().map(|p| p.get_name().to_string()))
        .collect();
    if names.iter().any(|n| n == v.get_ref()) {
        return;
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let hint = match suggest::did_you_mean(v.get_ref(), refs.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("`{key}` takes {}", suggest::list(&refs)),
    };
    out.push(
        Diagnostic::error(format!("unknown {key} `{}`", v.get_ref()))
            .at(at(file, v))
            .label(format!("not a {key}"))
            .hint(hint),
    );
}

impl Project {
    /// Problems a build would meet with the values themselves: unknown enum values, nested
    /// profiles, empty names.
    fn check_values(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        self.check_settings(&self.settings, &mut out);
        for (name, p) in self.settings.profile.iter().flatten() {
            if name.trim().is_empty() {
                out.push(
                    Diagnostic::error("a profile needs a name")
                        .at(at(&self.file, p))
                        .hint("write `[profile.lima]`"),
                );
            }
            if let Some(nested) = &p.get_ref().profile {
                let d = Diagnostic::error(format!("profile `{name}` holds profiles"))
                    .hint("profiles are only defined at the top level: `[profile.NAME]`");
                let d = match nested.values().next() {
                    Some(first) => d.at(at(&self.file, first)),
                    None => d.at(at(&self.file, p)),
                };
                out.push(d);
            }
            self.check_settings(p.get_ref(), &mut out);
        }
        crate::diag::sort(&mut out);
        out
    }

    fn check_settings(&self, s: &Settings, out: &mut Vec<Diagnostic>) {
        let f = &self.file;
        if let Some(p) = &s.paper {
            check_enum::<Paper>(f, "paper", p, out);
        }
        for v in s.kind.iter().flat_map(|l| l.get_ref()) {
            check_enum::<Kind>(f, "kind", v, out);
        }
        for v in s.format.iter().flat_map(|l| l.get_ref()) {
            check_enum::<OutputFormat>(f, "format", v, out);
        }
        for v in s.pdf_standard.iter().flat_map(|l| l.get_ref()) {
            check_enum::<PdfStandard>(f, "pdf-standard", v, out);
        }
        if let Some(t) = &s.timeout
            && *t.get_ref() == 0
        {
            out.push(
                Diagnostic::error("timeout must be at least 1 second")
                    .at(at(f, t))
                    .hint("the default is 60"),
            );
        }
    }

    /// A path from the file, as seen from the working directory.
    pub fn path(&self, v: &Spanned<String>) -> PathBuf {
        let p = Path::new(v.get_ref());
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        }
    }

    /// Names of the profiles, sorted.
    pub fn profile_names(&self) -> Vec<&str> {
        self.settings
            .profile
            .iter()
            .flat_map(|m| m.keys())
            .map(String::as_str)
            .collect()
    }

    /// A profile's settings, or a usage error naming the ones there are.
    pub fn profile(&self, name: &str) -> Result<&Settings, Diagnostic> {
        if let Some(p) = self.settings.profile.as_ref().and_then(|m| m.get(name)) {
            return Ok(p.get_ref());
        }
        let names = self.profile_names();
        let hint = match suggest::did_you_mean(name, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if names.is_empty() => format!(
                "{} defines no profiles; add a `[profile.{name}]` table",
                self.file.path.display()
            ),
            None => format!(
                "the profiles in {} are {}",
                self.file.path.display(),
                suggest::list(&names)
            ),
        };
        Err(Diagnostic::error(format!("unknown profile `{name}`")).hint(hint))
    }

    /// The data folder the top level names (for commands without a profile).
    pub fn data(&self) -> Option<PathBuf> {
        self.settings.data.as_ref().map(|d| self.path(d))
    }
}

/// Which flags the user typed, by clap argument id.
pub trait Given {
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
        args.paper = paper;
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
pub fn resolve(
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

/// The JSON Schema of deca.toml, for editors (Even Better TOML reads `#:schema` lines).
pub fn schema() -> serde_json::Value {
    let mut v = serde_json::to_value(schemars::schema_for!(Settings)).expect("schema serializes");
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "title".into(),
            serde_json::Value::String("deca.toml: deca's project file".into()),
        );
    }
    v
}

/// What `deca check` says about the project file: problems, and a summary line when valid.
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Option<String>,
}

/// Checks the project file (when there is one) including what only the data can tell: that
/// each profile's languages and ids exist and its paths are there.
pub fn check(project: &Project) -> Checked {
    let mut diags = Vec::new();
    let mut sections: Vec<(String, &Settings)> = vec![(String::new(), &project.settings)];
    for (name, p) in project.settings.profile.iter().flatten() {
        sections.push((name.clone(), p.get_ref()));
    }
    let f = &project.file;
    let mut loaded: BTreeMap<PathBuf, Vec<crate::model::Assessment>> = BTreeMap::new();
    for (name, s) in &sections {
        let context = if name.is_empty() {
            String::new()
        } else {
            format!(" (profile `{name}`)")
        };
        for (key, v, must_be_dir) in [
            ("data", &s.data, true),
            ("templates", &s.templates, true),
            ("reference-docx", &s.reference_docx, false),
        ] {
            let Some(v) = v else { continue };
            let path = project.path(v);
            let ok = if must_be_dir {
                path.is_dir()
            } else {
                path.is_file()
            };
            if !ok {
                diags.push(
                    Diagnostic::error(format!(
                        "{key} `{}` does not exist{context}",
                        crate::ui::shown(&path).display()
                    ))
                    .at(at(f, v))
                    .hint(format!("paths in {FILE_NAME} are relative to its folder")),
                );
            }
        }
        // Ids and languages, against the assessments the section builds.
        let data = s
            .data
            .as_ref()
            .or(project.settings.data.as_ref())
            .map(|d| project.path(d))
            .unwrap_or_else(|| project.base.join("data"));
        let wants_ids = s.lang.is_some() || s.priority.is_some() || s.recommendation.is_some();
        if !wants_ids {
            continue;
        }
        let assessments = loaded.entry(data.clone()).or_insert_with(|| {
            crate::source::assessment_dirs(&data)
                .unwrap_or_default()
                .iter()
                .filter_map(|d| crate::model::load(d, &crate::ui::shown(d)).assessment)
                .collect()
        });
        if assessments.is_empty() {
            continue;
        }
        let checks: [(
            &str,
            &Option<List>,
            fn(&crate::model::Assessment) -> Vec<String>,
        ); 3] = [
            ("language", &s.lang, |a| {
                a.languages().iter().map(|l| l.to_string()).collect()
            }),
            ("priority", &s.priority, |a| {
                a.priorities.iter().map(|p| p.id.value.clone()).collect()
            }),
            ("recommendation", &s.recommendation, |a| {
                a.recommendations
                    .iter()
                    .map(|r| r.id.value.clone())
                    .collect()
            }),
        ];
        for (what, list, known_of) in checks {
            for v in list.iter().flat_map(|l| l.get_ref()) {
                for a in assessments.iter() {
                    let known = known_of(a);
                    if known.iter().any(|k| k == v.get_ref()) {
                        continue;
                    }
                    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
                    let hint = match suggest::did_you_mean(v.get_ref(), refs.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("{what} ids of `{}`: {}", a.name, suggest::list(&refs)),
                    };
                    diags.push(
                        Diagnostic::error(format!(
                            "unknown {what} `{}` for assessment `{}`{context}",
                            v.get_ref(),
                            a.name
                        ))
                        .at(at(f, v))
                        .label(format!("not a {what} of `{}`", a.name))
                        .hint(hint),
                    );
                }
            }
        }
    }
    crate::diag::sort(&mut diags);
    let summary = diags.is_empty().then(|| {
        let names = project.profile_names();
        format!(
            "{}: ok: {}{}\n",
            f.path.display(),
            match names.len() {
                1 => "1 profile".to_string(),
                n => format!("{n} profiles"),
            },
            if names.is_empty() {
                String::new()
            } else {
                format!(" ({})", names.join(", "))
            }
        )
    });
    Checked {
        diagnostics: diags,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Project, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
        load(&dir.path().join(FILE_NAME), Path::new(""))
    }

    #[test]
    fn find_walks_up_and_says_how_far() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        let (path, base) = find(&deep).unwrap();
        assert_eq!(path, dir.path().join(FILE_NAME));
        assert_eq!(base, Path::new("../.."));
    }

    #[test]
    fn an_unknown_key_is_located() {
        let errs = parse("out = \"x\"\n[profile.lima]\nlangs = [\"es\"]\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(
            errs[0].position().as_deref(),
            Some("deca.toml:3:1"),
            "{:?}",
            errs[0].message
        );
        assert!(
            errs[0]
                .message
                .starts_with("invalid project file: unknown field `langs`")
        );
    }

    #[test]
    fn an_unknown_format_suggests_the_right_one() {
        let errs = parse("[profile.lima]\nformat = [\"pdf\", \"dcx\"]\n").unwrap_err();
        assert_eq!(errs[0].message, "unknown format `dcx`");
        assert_eq!(errs[0].position().as_deref(), Some("deca.toml:2:18"));
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `docx`?"));
    }

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
        assert_eq!(a.paper, Paper::Letter);
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
