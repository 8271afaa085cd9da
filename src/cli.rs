//! The command line: every subcommand and flag, with its help text. Parsing only; no I/O.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use crate::diag;
pub use crate::edition::{Kind, OutputFormat, Paper, PdfStandard};

/// The Typst version deca embeds; Cargo.toml pins it, and a unit test keeps the two in step.
pub const TYPST_VERSION: &str = "0.15.1";

/// What `deca --version` prints after the name.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (typst 0.15.1)");

/// Turns a Digital Ecosystem Country Assessment written as YAML into finished documents:
/// the full report, a brief per priority, a one-page summary per recommendation and an
/// overview, as PDF and DOCX, in every language of the assessment.
#[derive(Debug, Parser)]
#[command(name = "deca", version = VERSION, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// deca's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate assessment data and report every problem.
    Check(CheckArgs),
    /// Build documents: every kind, language and format by default.
    Build(BuildArgs),
    /// Rebuild when data or templates change.
    Watch(BuildArgs),
    /// Write the JSON Schemas of the data files.
    Schema(SchemaArgs),
    /// List or export the templates.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Create a new assessment folder with placeholder content that passes `check`.
    Init(InitArgs),
    /// Serve a live preview of the documents in a browser, updated on every save.
    Preview(PreviewArgs),
    /// Print the shell script that completes commands, flags, ids and languages.
    Completions(CompletionsArgs),
    /// Write a man page per command (roff) into a folder.
    Man(ManArgs),
    /// Work with build manifests.
    #[command(subcommand)]
    Manifest(ManifestCommand),
    /// Compile documents for a build (started by deca itself, not by people).
    #[command(name = "__typst-worker", hide = true)]
    TypstWorker(WorkerArgs),
}

/// The subcommands of `deca manifest`.
#[derive(Debug, Subcommand)]
pub enum ManifestCommand {
    /// Join the output folders of `deca build --shard K/N` runs into one folder with one
    /// manifest.json and SHA256SUMS; refuses shards that disagree.
    Merge(MergeArgs),
}

/// `deca manifest merge`'s arguments.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The folder to write the merged documents, manifest.json and SHA256SUMS to.
    #[arg(long)]
    pub out: PathBuf,
    /// The shards' output folders.
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
}

/// The hidden `deca __typst-worker`'s arguments, set by the build that starts it.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Most bytes of data the worker may allocate.
    #[arg(long)]
    pub max_memory: u64,
    /// Drop Typst's cached results unused for this many jobs after each job.
    #[arg(long, default_value_t = 0)]
    pub evict_age: usize,
    /// Font folders, as the build was given them.
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
}

/// A size in bytes: `2G`, `2GiB`, `512M`, `512MiB`, `1500000`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("invalid size `{s}`: expected e.g. 2G, 512M or a number of bytes"))?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" | "kib" => 1024.0,
        "m" | "mb" | "mib" => 1024.0 * 1024.0,
        "g" | "gb" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tb" | "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(format!(
                "invalid size `{s}`: unknown unit `{unit}` (use K, M, G or T)"
            ));
        }
    };
    let bytes = number * factor;
    if bytes.is_nan() || bytes < 64.0 * 1024.0 * 1024.0 {
        return Err(format!("invalid size `{s}`: a compile needs at least 64M"));
    }
    Ok(bytes as u64)
}

/// `deca check`'s arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// An assessment folder, or a folder of assessment folders (default: `data` in deca.toml, else
    /// `data`). deca.toml, when found, is checked too.
    #[arg(default_value = "data")]
    pub dir: PathBuf,
    /// How problems are printed.
    #[arg(long, value_enum, default_value_t = diag::Format::Human)]
    pub format: diag::Format,
    /// Print a translation completeness table per language.
    #[arg(long)]
    pub translations: bool,
    /// Treat missing translations as errors.
    #[arg(long)]
    pub strict: bool,
    /// A folder of extra fonts (.ttf, .otf, .ttc), searched with its subfolders, for scripts
    /// the bundled fonts lack, such as CJK (repeatable; DECA_FONT_PATH takes a `:`-separated
    /// list), e.g. /usr/share/fonts/opentype/noto.
    #[arg(
        long = "font-path",
        value_name = "DIR",
        env = "DECA_FONT_PATH",
        value_delimiter = ':'
    )]
    pub font_paths: Vec<PathBuf>,
    /// A folder of templates that override the built-in ones, as given to `build`: its
    /// locales are checked too.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// `deca build`'s and `deca watch`'s arguments.
#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// An assessment folder, or a folder of assessment folders.
    #[arg(default_value = "data")]
    pub dir: PathBuf,
    /// Only these kinds of document (repeatable).
    #[arg(long = "kind", value_enum)]
    pub kinds: Vec<Kind>,
    /// Only the brief for this priority id (implies --kind brief unless kinds are given).
    #[arg(long, add = ArgValueCompleter::new(crate::complete::priorities))]
    pub priority: Vec<String>,
    /// Only the one-pager for this recommendation id (implies --kind onepager unless kinds are given).
    #[arg(long, add = ArgValueCompleter::new(crate::complete::recommendations))]
    pub recommendation: Vec<String>,
    /// Only these languages (repeatable), e.g. `es`.
    #[arg(long = "lang", add = ArgValueCompleter::new(crate::complete::languages))]
    pub langs: Vec<String>,
    /// Only these formats (repeatable).
    #[arg(long = "format", value_enum)]
    pub formats: Vec<OutputFormat>,
    /// Where documents, manifest.json and SHA256SUMS are written.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Paper size (default: a reference document's paper, else A4).
    #[arg(long, value_enum)]
    pub paper: Option<Paper>,
    /// Documents built at once (default: the number of cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// A folder of templates that override the built-in ones file by file.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// A Word file whose styles, page setup, header and footer restyle every DOCX.
    #[arg(long)]
    pub reference_docx: Option<PathBuf>,
    /// PDF standards to claim and check (repeatable; default: ua-1 and a-2a).
    #[arg(long = "pdf-standard", value_enum)]
    pub pdf_standards: Vec<PdfStandard>,
    /// A folder of extra fonts (.ttf, .otf, .ttc), searched with its subfolders, for scripts
    /// the bundled fonts lack, such as CJK (repeatable; DECA_FONT_PATH takes a `:`-separated
    /// list), e.g. /usr/share/fonts/opentype/noto.
    #[arg(
        long = "font-path",
        value_name = "DIR",
        env = "DECA_FONT_PATH",
        value_delimiter = ':'
    )]
    pub font_paths: Vec<PathBuf>,
    /// Stop a template that runs longer than this many seconds per document.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub timeout: u64,
    /// Stop a template whose compile needs more memory than this (e.g. 4G, 512M).
    #[arg(long, default_value = "2G", value_parser = parse_size, value_name = "SIZE")]
    pub max_memory: u64,
    /// Build only shard K of N (1-based): a deterministic part of the documents, for
    /// splitting a portfolio across machines; join the parts with `deca manifest merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::edition::Shard>,
    /// Also write each document's Typst sources (templates, ir.json, pages.json, images and a
    /// `typst compile` command) under DIR, for the stock Typst CLI: `--emit typst DIR`.
    #[arg(long, num_args = 2, value_names = ["FORMAT", "DIR"])]
    pub emit: Vec<String>,
    /// Treat missing translations as errors.
    #[arg(long)]
    pub strict: bool,
    /// One JSON event per line on standard output, for CI.
    #[arg(long)]
    pub json: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// If another deca is writing to the output folder, wait for it instead of failing.
    #[arg(long)]
    pub wait: bool,
    /// Also remove documents an earlier build listed that this run does not build, so the
    /// output folder holds exactly this run's documents.
    #[arg(long)]
    pub clean: bool,
    /// A named edition from deca.toml's `[profile.NAME]`; flags given here override it.
    #[arg(long, add = ArgValueCompleter::new(crate::complete::profiles))]
    pub profile: Option<String>,
    /// Set by `deca watch`: the output folder is locked only while publishing.
    #[arg(skip)]
    pub watching: bool,
}

/// `deca schema`'s arguments.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Folder to write the schemas to (the data files' and deca.toml's); without it, the
    /// assessment schema is printed.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the field reference as Markdown instead (the README's data format section).
    #[arg(long, conflicts_with = "out")]
    pub markdown: bool,
    /// Print the JSON Schema of the document model the templates receive as `/ir.json`.
    #[arg(long, conflicts_with_all = ["out", "markdown"])]
    pub ir: bool,
}

/// The subcommands of `deca templates`.
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Say which template file is used, and from where.
    List(TemplatesListArgs),
    /// Write the built-in templates to a folder for customising.
    Export(TemplatesExportArgs),
}

/// `deca templates list`'s arguments.
#[derive(Debug, Args)]
pub struct TemplatesListArgs {
    /// The assessment folder (its templates/ folder overrides the built-ins).
    #[arg(default_value = "data")]
    pub dir: PathBuf,
    /// A folder of templates that overrides both.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// `deca templates export`'s arguments.
#[derive(Debug, Args)]
pub struct TemplatesExportArgs {
    /// The folder to write to; existing files are not overwritten.
    pub dir: PathBuf,
    /// Overwrite files that exist.
    #[arg(long)]
    pub force: bool,
}

/// `deca init`'s arguments.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The new assessment folder, e.g. data/kenya.
    pub dir: PathBuf,
    /// The country's name.
    #[arg(long)]
    pub country: String,
}

/// `deca preview`'s arguments: a build's, and where to serve.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// What to build and how, as for `deca build`.
    #[command(flatten)]
    pub build: BuildArgs,
    /// The port to listen on (on 127.0.0.1); 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// `deca completions`' arguments.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `deca man`'s arguments.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The folder to write deca.1, deca-build.1 and the others to.
    #[arg(default_value = "man")]
    pub dir: PathBuf,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_typst_version_is_the_one_built_in() {
        let lock = include_str!("../Cargo.lock");
        let at = lock
            .find("name = \"typst\"\nversion = \"")
            .expect("Cargo.lock lists typst");
        let version = lock[at..].lines().nth(1).unwrap();
        assert_eq!(version, format!("version = \"{}\"", super::TYPST_VERSION));
        assert!(super::VERSION.ends_with(&format!("(typst {})", super::TYPST_VERSION)));
    }
}
