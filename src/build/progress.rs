//! How a build reports what it does: a progress bar on a terminal, plain lines otherwise,
//! nothing with `--quiet`, or one JSON event per line with `--json`.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use crate::diag::{self, Diagnostic};

/// The reporting mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Bar,
    Lines,
    Quiet,
    Json,
}

impl Mode {
    /// The mode for the flags and whether standard error is a terminal.
    pub fn choose(json: bool, quiet: bool) -> Mode {
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

/// Reports progress; shared by the worker threads.
pub struct Reporter {
    mode: Mode,
    bar: Option<ProgressBar>,
    started: Instant,
    out: Mutex<()>,
    color: bool,
}

impl Reporter {
    pub fn new(mode: Mode) -> Reporter {
        Reporter {
            mode,
            bar: None,
            started: Instant::now(),
            out: Mutex::new(()),
            color: crate::ui::color_stderr(),
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    fn event(&self, value: serde_json::Value) {
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

    /// The run starts: `total` documents to write.
    pub fn start(&mut self, total: usize, assessments: &[String]) {
        self.started = Instant::now();
        match self.mode {
            Mode::Json => self.event(json!({
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
            Mode::Quiet => {}
        }
    }

    /// A document is being made.
    pub fn working(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_string());
        }
    }

    /// A document was made (staged; it is moved into place when the run succeeds).
    pub fn written(&self, path: &str, sha256: &str, bytes: u64, pages: Option<usize>) {
        match self.mode {
            Mode::Json => self.event(json!({
                "event": "artifact",
                "path": path,
                "sha256": sha256,
                "bytes": bytes,
                "pages": pages,
            })),
            Mode::Bar => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            Mode::Lines => self.line(&format!("built {path}")),
            Mode::Quiet => {}
        }
    }

    /// Files an earlier build listed that this run removed (stale, or `--clean`).
    pub fn removed(&self, paths: &[String]) {
        if paths.is_empty() {
            return;
        }
        match self.mode {
            Mode::Json => {
                for p in paths {
                    self.event(json!({ "event": "removed", "path": p }));
                }
            }
            Mode::Bar | Mode::Lines => self.line(&format!(
                "removed {} file{} an earlier build listed: {}",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" },
                paths.join(", ")
            )),
            Mode::Quiet => {}
        }
    }

    /// Warnings and errors, as they happen.
    pub fn diagnostics(&self, diags: &[Diagnostic]) {
        if diags.is_empty() {
            return;
        }
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
                    self.event(v);
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
            Mode::Bar | Mode::Lines => {
                let text = diag::render_plain(diags);
                match &self.bar {
                    Some(bar) => bar.suspend(|| diag::eprint_human(diags, self.color)),
                    None => {
                        let _guard = self.out.lock().expect("output lock");
                        eprint!("{text}");
                    }
                }
            }
        }
    }

    /// The run ended.
    pub fn finish(&self, ok: bool, written: usize, warnings: usize, errors: usize, out_dir: &str) {
        let secs = self.started.elapsed().as_secs_f64();
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        match self.mode {
            Mode::Json => self.event(json!({
                "event": "finished",
                "ok": ok,
                "documents": written,
                "warnings": warnings,
                "errors": errors,
                "seconds": (secs * 1000.0).round() / 1000.0,
            })),
            Mode::Quiet => {}
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
