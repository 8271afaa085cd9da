//! `deca build`: the whole matrix — assessments × languages × documents × formats — in one
//! process, every error of the run reported, files published atomically with a manifest (see
//! `publish`).
//!
//! The run: prepare every assessment (`prepare`), plan every selected document as IR (and
//! keep this shard's part, `shard`), then run the documents on a few threads (`jobs`), each
//! rendered by the renderers of its formats (`render`). Typst compiles in worker processes
//! that the build can stop. A [`Builder`] remembers what it built, so `deca watch` rebuilds
//! only the documents whose inputs changed and keeps Typst's workers warm between rebuilds.

mod checked;
pub(crate) mod fitcache;
mod jobs;
pub(crate) mod keep;
pub(crate) mod lock;
pub(crate) mod manifest;
pub(crate) mod merge;
mod overflow;
pub(crate) mod pagecache;
mod pages;
mod paths;
mod planned;
mod prepare;
pub(crate) mod progress;
pub(crate) mod publish;
mod select;
pub(crate) mod shard;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use crate::edition::Kind;
use crate::exit;
use crate::model::translations;
use crate::plan;
use crate::render::typst::{RasterCache, Typst};
use crate::render::{self, Env, PageMap};
use jobs::{Done, Task};
use manifest::Artifact;
use pages::{Cell, Learnt};
use progress::{Mode, Problem, Reporter};

pub(crate) use prepare::{Prepared, prepare};
pub(crate) use select::Selection;

/// Runs `deca build` and returns the exit code.
pub(crate) fn run(args: &BuildArgs) -> u8 {
    let mut reporter = Reporter::new(Mode::choose(args.json, args.quiet));
    let mut builder = Builder::new();
    let result = builder.build(args, &mut reporter, false);
    finish(&reporter, args, result)
}

/// Reports the end of a run and returns its exit code.
pub(crate) fn finish(
    reporter: &Reporter,
    args: &BuildArgs,
    result: Result<Outcome, Failure>,
) -> u8 {
    let out = args.out.display().to_string();
    match result {
        Ok(outcome) => {
            reporter.finish(
                true,
                outcome.rebuilt,
                reporter.warned(),
                0,
                &out,
                outcome.compiles,
            );
            exit::OK
        }
        Err(failure) => {
            reporter.diagnostics(&failure.diagnostics);
            reporter.problems(&failure.problems);
            let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count()
                + failure
                    .problems
                    .iter()
                    .filter(|p| p.diagnostic.is_error())
                    .count();
            reporter.finish(false, 0, reporter.warned(), errors, &out, failure.compiles);
            if failure.usage {
                exit::USAGE
            } else {
                exit::FAILED
            }
        }
    }
}

/// A successful run.
pub(crate) struct Outcome {
    /// Files made by this run (the manifest may also list kept ones).
    pub rebuilt: usize,
    /// Files the manifest lists.
    pub total: usize,
    /// Typst compiles this run made.
    pub compiles: u64,
}

/// A failed run: every error found, and whether it was a usage error.
pub(crate) struct Failure {
    /// Problems of no single document (and warnings found before the run began).
    pub diagnostics: Vec<Diagnostic>,
    /// Problems of documents, each naming them.
    pub problems: Vec<Problem>,
    pub usage: bool,
    /// Typst compiles the run made before it failed.
    pub compiles: u64,
}

impl Failure {
    /// A failed run: its errors, with the warnings found before them.
    fn with_warnings(errors: Vec<Diagnostic>, warnings: &[Diagnostic]) -> Failure {
        let mut diagnostics = warnings.to_vec();
        diagnostics.extend(errors);
        Failure {
            diagnostics,
            problems: Vec::new(),
            usage: false,
            compiles: 0,
        }
    }

    /// A failed run with these errors.
    pub(crate) fn errors(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure {
            diagnostics,
            problems: Vec::new(),
            usage: false,
            compiles: 0,
        }
    }

    fn usage(d: Diagnostic) -> Failure {
        Failure {
            diagnostics: vec![d],
            problems: Vec::new(),
            usage: true,
            compiles: 0,
        }
    }
}

/// What a builder remembers of its last successful run.
#[derive(Default)]
struct Memory {
    /// Per document (`peru/en/brief-integrity`): the key of its inputs and its files.
    docs: jobs::Published,
    /// Report page maps by page-cache key.
    maps: HashMap<String, Arc<PageMap>>,
}

/// Builds, and remembers enough to rebuild only what changed.
pub(crate) struct Builder {
    typst: Option<Arc<Typst>>,
    raster: Arc<RasterCache>,
    memory: Memory,
    /// Typst's cached results unused for this many jobs are dropped after each job.
    evict_age: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    pub(crate) fn new() -> Builder {
        Builder {
            typst: None,
            raster: Arc::new(RasterCache::new()),
            memory: Memory::default(),
            evict_age: crate::render::typst::worker::BUILD_EVICT_AGE,
        }
    }

    /// A builder for `deca watch`: Typst keeps what recent rebuilds used, so rebuilding a
    /// document after a small edit re-lays out only what changed.
    pub(crate) fn for_watch() -> Builder {
        Builder {
            evict_age: crate::render::typst::worker::WATCH_EVICT_AGE,
            ..Builder::new()
        }
    }

    /// Lets Typst forget what the last runs cached, and bounds the picture cache (watch, after
    /// each rebuild).
    pub(crate) fn relax(&self) {
        if let Some(t) = &self.typst {
            t.evict(self.evict_age);
        }
        self.raster.bound(512);
    }

    /// Builds, publishes and returns the manifest; on failure the output folder is untouched.
    /// `incremental` keeps the documents whose inputs are unchanged since this builder's last
    /// successful run.
    pub(crate) fn build(
        &mut self,
        args: &BuildArgs,
        reporter: &mut Reporter,
        incremental: bool,
    ) -> Result<Outcome, Failure> {
        let emit = match args.emit.as_slice() {
            [] => None,
            [format, dir] if format == "typst" => Some(std::path::PathBuf::from(dir)),
            [format, _] => {
                return Err(Failure::usage(
                    Diagnostic::error(format!("unknown --emit format `{format}`"))
                        .hint("the only format is `typst`: --emit typst DIR"),
                ));
            }
            _ => None,
        };
        let mut pending = Vec::new();
        let prepared = prepare::prepare(args, &mut pending)?;
        let selection = Selection::from_args(args);
        let mut errors = Vec::new();
        for p in &prepared {
            selection.check(&p.assessment).map_err(Failure::usage)?;
            for lang in selection.langs(&p.assessment) {
                let fallbacks =
                    translations::fallback_diagnostics(&p.assessment, &lang, args.strict);
                let (errs, warns): (Vec<_>, Vec<_>) =
                    fallbacks.into_iter().partition(Diagnostic::is_error);
                pending.extend(warns);
                errors.extend(errs);
            }
        }
        if !errors.is_empty() {
            return Err(Failure::with_warnings(errors, &pending));
        }

        // The documents, planned when their tasks run; reports first, since others cite them.
        let mut tasks: Vec<Task> = Vec::new();
        for (i, p) in prepared.iter().enumerate() {
            for lang in selection.langs(&p.assessment) {
                for target in plan::targets(&p.assessment) {
                    if selection.wants(&target) {
                        tasks.push(Task {
                            assessment: i,
                            p,
                            lang: lang.clone(),
                            target,
                            formats: selection.formats.clone(),
                            cell: 0,
                        });
                    }
                }
            }
        }
        if let Some(shard) = args.shard {
            let group = |t: &Task| format!("{}/{}", t.p.assessment.name, t.lang);
            let assigned = shard::assign(&tasks, group, shard.count);
            tasks = tasks
                .into_iter()
                .zip(assigned)
                .filter(|(_, s)| *s == shard.index - 1)
                .map(|(t, _)| t)
                .collect();
        }
        // One page-map cell per assessment and language.
        let mut cells: Vec<Cell> = Vec::new();
        let mut groups: Vec<(usize, String)> = Vec::new();
        for t in &tasks {
            if !groups.contains(&(t.assessment, t.lang.clone())) {
                groups.push((t.assessment, t.lang.clone()));
            }
        }
        for (i, lang) in &groups {
            let report_in_run = tasks
                .iter()
                .any(|t| t.assessment == *i && t.lang == *lang && t.target.kind == Kind::Report);
            cells.push(Cell::new(&prepared[*i], lang, report_in_run));
        }
        for t in &mut tasks {
            t.cell = groups
                .iter()
                .position(|(i, l)| *i == t.assessment && *l == t.lang)
                .expect("every task's group has a cell");
        }
        tasks.sort_by_key(|t| t.target.kind != Kind::Report);
        let total: usize = tasks.iter().map(|t| t.formats.len()).sum();

        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        if let Some(j) = args.jobs
            && j > cores
        {
            pending.push(
                Diagnostic::warning(format!(
                    "--jobs {j} is more than the {cores} cores of this machine; documents will compete for them"
                ))
                .hint({
                    let n = tasks.len().min(j).max(1);
                    format!(
                        "deca runs at most one job per document: {n} at once in this run{}",
                        if n < j { " (--jobs is capped there)" } else { "" }
                    )
                }),
            );
        }
        let threads = args.jobs.unwrap_or(cores).clamp(1, tasks.len().max(1));
        let typst = self
            .typst
            .get_or_insert_with(|| {
                Arc::new(Typst::new(
                    threads,
                    Duration::from_secs(args.timeout.max(1)),
                    args.max_memory,
                    self.evict_age,
                    args.font_paths.clone(),
                ))
            })
            .clone();

        let names: Vec<String> = prepared.iter().map(|p| p.assessment.name.clone()).collect();
        reporter.start(total, &names);
        reporter.diagnostics(&pending);

        let staging = publish::Staging::new(&args.out, publish::Hold::for_args(args))
            .map_err(|d| Failure::errors(vec![d]))?;
        let compiles_before = typst.compiles();
        let renderers = prepared
            .iter()
            .map(|p| {
                let env = Env {
                    typst: typst.clone(),
                    session: p.session.clone(),
                    reference: p.reference.clone(),
                    created: p.created.clone(),
                };
                render::renderers(&selection.formats, &env)
            })
            .collect();
        let previous = incremental.then(|| self.intact(args));
        let learnt = Learnt::default();
        let shared = jobs::Shared {
            typst: &typst,
            raster: &self.raster,
            renderers,
            cells: &cells,
            learnt: &learnt,
            staging: &staging,
            reporter,
            previous: previous.as_ref(),
            emit: emit.as_deref(),
            maps: &self.memory.maps,
        };
        let results = jobs::run(&tasks, threads, &shared);
        drop(shared);
        // Page maps are right whatever else failed: keep them.
        learnt.into_memory(&mut self.memory.maps);

        let mut produced = Vec::new();
        let mut kept = Vec::new();
        let mut failed = Vec::new();
        let mut built = Vec::new();
        for r in results {
            match r {
                Done::Built { stem, key, files } => {
                    built.push((
                        stem,
                        key,
                        files.iter().map(|f| f.artifact.clone()).collect::<Vec<_>>(),
                    ));
                    produced.extend(files);
                }
                Done::Kept { artifacts } => kept.extend(artifacts),
                Done::Failed(errors) => failed.extend(errors),
                Done::Skipped => {}
            }
        }
        if !failed.is_empty() {
            let discarded: Vec<Artifact> = produced.iter().map(|p| p.artifact.clone()).collect();
            reporter.discarded(&discarded);
            reporter.discarded_count(discarded.len());
            let mut failure = staging.fail(Vec::new(), 0);
            failure.problems = Problem::group(failed);
            failure.compiles = typst.compiles() - compiles_before;
            return Err(failure);
        }

        let mut inputs = Sha256::new();
        for p in &prepared {
            inputs.update(p.assessment.name.as_bytes());
            inputs.update(p.inputs.clone().finalize());
        }
        let inputs_hex: String = inputs
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let new: Vec<Artifact> = produced.into_iter().map(|p| p.artifact).collect();
        // Documents kept unchanged are outside the run's scope: publishing keeps them.
        let scope = keep::Scope {
            selection: selection.clone(),
            assessments: names.clone(),
            unchanged: kept.into_iter().map(|a| a.path).collect(),
        };
        let committed = staging
            .commit(new.clone(), inputs_hex, &scope, args.clean)
            .map_err(|d| Failure::errors(vec![d]))?;
        reporter.removed(&committed.removed);
        fitcache::prune();
        reporter.published(&new);
        let manifest = committed.manifest;
        for (stem, key, files) in built {
            self.memory.docs.insert(stem, (key, files));
        }
        Ok(Outcome {
            rebuilt: new.len(),
            total: manifest.artifacts.len(),
            compiles: typst.compiles() - compiles_before,
        })
    }

    /// The remembered documents whose files are still in the output folder as published.
    fn intact(&self, args: &BuildArgs) -> jobs::Published {
        self.memory
            .docs
            .iter()
            .filter(|(_, (_, files))| files.iter().all(|a| on_disk(args, a)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// Whether a published file is still in place (same size; a full hash would read every file
/// on every watch rebuild).
fn on_disk(args: &BuildArgs, a: &Artifact) -> bool {
    std::fs::symlink_metadata(args.out.join(&a.path))
        .is_ok_and(|m| m.is_file() && m.len() == a.bytes)
}
