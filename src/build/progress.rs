//! How a build reports what it does: a progress bar on a terminal, plain lines otherwise,
//! nothing with `--quiet`, or one JSON event per line with `--json`.
//!
//! Reports tell only the truth about the output folder: a file is announced as built (a
//! "built" line, an `artifact` event) once it is published, and the files of a failed run
//! are announced as `discarded`. Every problem of a document names the document (assessment,
//! kind, language, format); the same problem in many documents is reported once, with the
//! documents it occurred in.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use serde_json::json;

use super::manifest::Artifact;
use crate::diag::{self, Diagnostic};

/// The reporting mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Bar,
    Lines,
    Quiet,
    Json,
    /// Watch: problems and notes only; the caller prints one status line per rebuild.
    Summary,
}

impl Mode {
    /// The mode for the flags and whether standard error is a terminal.
    pub(crate) fn choose(json: bool, quiet: bool) -> Mode {
        if json {
            Mode::Json
        } else if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

/// The document a problem or a file belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DocRef {
    pub assessment: String,
    pub kind: String,
    pub lang: String,
    pub format: String,
    /// The file it is (or would be) written to, relative to the output folder.
    pub path: String,
}

/// One problem and the documents it occurred in.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub diagnostic: Diagnostic,
    pub documents: Vec<DocRef>,
}

impl Problem {
    /// Groups problems: the same diagnostic in several documents becomes one problem.
    pub(crate) fn group(items: Vec<(Option<DocRef>, Diagnostic)>) -> Vec<Problem> {
        let mut out: Vec<Problem> = Vec::new();
        for (doc, d) in items {
            match out.iter_mut().find(|p| p.diagnostic == d) {
                Some(p) => p.documents.extend(doc),
                None => out.push(Problem {
                    diagnostic: d,
                    documents: doc.into_iter().collect(),
                }),
            }
        }
        out
    }

    /// The diagnostic with the documents named at the end of its message, for people.
    pub(crate) fn shown(&self) -> Diagnostic {
        let mut d = self.diagnostic.clone();
        match self.documents.as_slice() {
            [] => {}
            [one] => d.message = format!("{} (in {})", d.message, one.path),
            [first, rest @ ..] => {
                d.message = format!(
                    "{} (in {} and {} other document{})",
                    d.message,
                    first.path,
                    rest.len(),
                    if rest.len() == 1 { "" } else { "s" },
                );
            }
        }
        d
    }
}

/// Reports progress; shared by the worker threads.
pub(crate) struct Reporter {
    mode: Mode,
    bar: Option<ProgressBar>,
    started: Instant,
    out: Mutex<()>,
    color: bool,
    /// Warnings already shown, so a warning of every document is shown once.
    seen: Mutex<HashSet<String>>,
    /// Warnings shown so far.
    warned: AtomicUsize,
}

impl Reporter {
    pub(crate) fn new(mode: Mode) -> Reporter {
        Reporter {
            mode,
            bar: None,
            started: Instant::now(),
            out: Mutex::new(()),
            color: crate::ui::color_stderr(),
            seen: Mutex::new(HashSet::new()),
            warned: AtomicUsize::new(0),
        }
    }

    /// Warnings reported since the run started.
    pub(crate) fn warned(&self) -> usize {
        self.warned.load(Ordering::Relaxed)
    }

    fn event(&self, value: &serde_json::Value) {
        let _guard = self.out.lock().expect("output lock");
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{value}");
        let _ = stdout.flush();
    }

    fn line(&self, s: &str) {
        match &self.bar {
            Some(bar) => bar.println(s),
            None => {
                let _guard = self.out.lock().expect("output lock");
                eprintln!("{s}");
            }
        }
    }

    /// The run starts: `total` files to make.
    pub(crate) fn start(&mut self, total: usize, assessments: &[String]) {
        self.started = Instant::now();
        self.seen.lock().expect("seen lock").clear();
        self.warned.store(0, Ordering::Relaxed);
        match self.mode {
            Mode::Json => self.event(&json!({
                "event": "start",
                "documents": total,
                "assessments": assessments,
                "deca": env!("CARGO_PKG_VERSION"),
            })),
            Mode::Bar => {
                let bar =
                    ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
                let template = if self.color {
                    "{spinner:.cyan} [{elapsed_precise}] {bar:30.cyan/blue} {pos}/{len} {wide_msg}"
                } else {
                    "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {wide_msg}"
                };
                bar.set_style(
                    ProgressStyle::with_template(template)
                        .expect("valid progress template")
                        .progress_chars("=> "),
                );
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                self.bar = Some(bar);
            }
            Mode::Lines => self.line(&format!(
                "building {total} document{}",
                if total == 1 { "" } else { "s" }
            )),
            Mode::Quiet | Mode::Summary => {}
        }
    }

    /// A document is being made.
    pub(crate) fn working(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_string());
        }
    }

    /// A file was made and staged (it is published only if the whole run succeeds).
    pub(crate) fn staged(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Where a report page map came from (`report`, `memory`, `cache`, `compiled`).
    pub(crate) fn page_map(&self, assessment: &str, lang: &str, source: &str) {
        if self.mode == Mode::Json {
            self.event(&json!({
                "event": "page-map",
                "assessment": assessment,
                "lang": lang,
                "source": source,
            }));
        }
    }

    /// The files the run published.
    pub(crate) fn published(&self, artifacts: &[Artifact]) {
        for a in artifacts {
            match self.mode {
                Mode::Json => self.event(&json!({
                    "event": "artifact",
                    "path": a.path,
                    "sha256": a.sha256,
                    "bytes": a.bytes,
                    "pages": a.pages,
                    "text-scale": a.text_scale,
                })),
                Mode::Lines => self.line(&format!("built {}", a.path)),
                Mode::Bar | Mode::Quiet | Mode::Summary => {}
            }
        }
        // A document set smaller than its template's size is worth knowing (grown text is
        // not: it only fills the page).
        for a in artifacts.iter().filter(|a| a.format == "pdf") {
            if let Some(scale) = a.text_scale
                && scale < 1.0
                && matches!(self.mode, Mode::Lines | Mode::Bar | Mode::Summary)
            {
                let why = if a.kind == "brief" {
                    "so its small print does not stand alone on a last page"
                } else {
                    "to fit one page"
                };
                self.line(&format!(
                    "note: {} was set at {:.0}% text size {why}",
                    a.path,
                    scale * 100.0
                ));
            }
        }
    }

    /// Files an earlier build listed that this run removed (stale, or `--clean`).
    pub(crate) fn removed(&self, paths: &[String]) {
        if paths.is_empty() {
            return;
        }
        match self.mode {
            Mode::Json => {
                for p in paths {
                    self.event(&json!({ "event": "removed", "path": p }));
                }
            }
            Mode::Bar | Mode::Lines | Mode::Summary => self.line(&format!(
                "removed {} file{} an earlier build listed: {}",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" },
                paths.join(", ")
            )),
            Mode::Quiet => {}
        }
    }

    /// Files made by a run that failed: they were not published.
    pub(crate) fn discarded(&self, artifacts: &[Artifact]) {
        if self.mode == Mode::Json {
            for a in artifacts {
                self.event(&json!({
                    "event": "discarded",
                    "path": a.path,
                    "sha256": a.sha256,
                    "bytes": a.bytes,
                }));
            }
        }
    }

    /// Says that a failed run's files were discarded (lines and bar modes).
    pub(crate) fn discarded_count(&self, n: usize) {
        if n > 0 && matches!(self.mode, Mode::Lines | Mode::Bar) {
            self.line(&format!(
                "discarded {n} document{} built before the failure",
                if n == 1 { "" } else { "s" }
            ));
        }
    }

    /// Problems of documents, as they happen: warnings shown once however many documents
    /// raise them.
    pub(crate) fn document_diagnostics(&self, items: &[(Option<DocRef>, Diagnostic)]) {
        let fresh: Vec<(Option<DocRef>, Diagnostic)> = {
            let mut seen = self.seen.lock().expect("seen lock");
            items
                .iter()
                .filter(|(_, d)| {
                    d.is_error() || seen.insert(diag::render_short(std::slice::from_ref(d)))
                })
                .cloned()
                .collect()
        };
        self.problems(&Problem::group(fresh));
    }

    /// Problems, each with the documents it belongs to.
    pub(crate) fn problems(&self, problems: &[Problem]) {
        if problems.is_empty() {
            return;
        }
        if self.mode == Mode::Json {
            let warnings = problems.iter().filter(|p| !p.diagnostic.is_error()).count();
            self.warned.fetch_add(warnings, Ordering::Relaxed);
            if diag::on_github_actions() {
                let shown: Vec<Diagnostic> = problems.iter().map(Problem::shown).collect();
                let _guard = self.out.lock().expect("output lock");
                eprint!("{}", diag::render_github(&shown));
            }
            for p in problems {
                let d = &p.diagnostic;
                let mut v = serde_json::to_value(d.to_json()).expect("diagnostic serializes");
                v["event"] = json!(if d.is_error() { "error" } else { "warning" });
                if let Some(first) = p.documents.first() {
                    v["document"] = serde_json::to_value(first).expect("serializes");
                    v["documents"] = serde_json::to_value(&p.documents).expect("serializes");
                }
                self.event(&v);
            }
            return;
        }
        let shown: Vec<Diagnostic> = problems.iter().map(Problem::shown).collect();
        self.diagnostics(&shown);
    }

    /// Warnings and errors that belong to no single document.
    pub(crate) fn diagnostics(&self, diags: &[Diagnostic]) {
        if diags.is_empty() {
            return;
        }
        let warnings = diags.iter().filter(|d| !d.is_error()).count();
        self.warned.fetch_add(warnings, Ordering::Relaxed);
        if diag::on_github_actions() {
            // Annotations go to standard error (the runner reads both streams), leaving
            // standard output to `--json` events.
            let _guard = self.out.lock().expect("output lock");
            eprint!("{}", diag::render_github(diags));
        }
        match self.mode {
            Mode::Json => {
                for d in diags {
                    let mut v = serde_json::to_value(d.to_json()).expect("diagnostic serializes");
                    v["event"] = json!(if d.is_error() { "error" } else { "warning" });
                    self.event(&v);
                }
            }
            Mode::Quiet => {
                let errors: Vec<Diagnostic> =
                    diags.iter().filter(|d| d.is_error()).cloned().collect();
                if !errors.is_empty() {
                    let _guard = self.out.lock().expect("output lock");
                    diag::eprint_human(&errors, self.color);
                }
            }
            Mode::Bar | Mode::Lines | Mode::Summary => match &self.bar {
                Some(bar) => bar.suspend(|| diag::eprint_human(diags, self.color)),
                None => {
                    let _guard = self.out.lock().expect("output lock");
                    diag::eprint_human(diags, self.color);
                }
            },
        }
    }

    /// The run ended; `compiles` is how many times Typst compiled a document (for CI and
    /// for checking what a build did).
    pub(crate) fn finish(
        &self,
        ok: bool,
        written: usize,
        warnings: usize,
        errors: usize,
        out_dir: &str,
        compiles: u64,
    ) {
        let secs = self.started.elapsed().as_secs_f64();
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        match self.mode {
            Mode::Json => self.event(&json!({
                "event": "finished",
                "ok": ok,
                "documents": written,
                "warnings": warnings,
                "errors": errors,
                "typst-compiles": compiles,
                "seconds": (secs * 1000.0).round() / 1000.0,
            })),
            Mode::Quiet | Mode::Summary => {}
            Mode::Bar | Mode::Lines => {
                if ok {
                    self.line(&format!(
                        "built {written} document{} in {secs:.1} s into {out_dir} ({warnings} warning{})",
                        if written == 1 { "" } else { "s" },
                        if warnings == 1 { "" } else { "s" }
                    ));
                } else {
                    self.line(&format!(
                        "build failed with {errors} error{} after {secs:.1} s; nothing in {out_dir} was changed",
                        if errors == 1 { "" } else { "s" }
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(path: &str) -> DocRef {
        DocRef {
            assessment: "peru".into(),
            kind: "report".into(),
            lang: "en".into(),
            format: "pdf".into(),
            path: path.into(),
        }
    }

    #[test]
    fn the_same_problem_in_many_documents_is_one_problem_naming_them() {
        let d = Diagnostic::error("unknown variable: x");
        let grouped = Problem::group(vec![
            (Some(doc("peru/en/report.pdf")), d.clone()),
            (Some(doc("peru/es/report.pdf")), d.clone()),
            (Some(doc("peru/es/report.pdf")), Diagnostic::error("other")),
        ]);
        assert_eq!(grouped.len(), 2);
        assert_eq!(
            grouped[0].shown().message,
            "unknown variable: x (in peru/en/report.pdf and 1 other document)"
        );
        assert_eq!(grouped[1].shown().message, "other (in peru/es/report.pdf)");
    }
}
