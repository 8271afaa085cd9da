//! `deca watch`: build, then rebuild whenever data or templates change — only the documents a
//! change can affect where that can be told from the file — and say what was rebuilt and how
//! long it took. A failed rebuild reports its errors and leaves the last good outputs in place.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::build::progress::{Mode, Reporter};
use crate::cli::BuildArgs;
use crate::edition::{Kind, OutputFormat};
use crate::{diag, exit, ui};

/// What a changed file makes stale.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Affected {
    /// Kinds to rebuild; empty means all.
    pub kinds: Vec<Kind>,
    /// Languages to rebuild; empty means all.
    pub langs: Vec<String>,
    /// Formats to rebuild; empty means all.
    pub formats: Vec<OutputFormat>,
}

/// Maps a changed path to the documents it affects. `None` means it affects nothing deca reads.
pub fn affected(path: &Path) -> Option<Affected> {
    let name = path.file_name()?.to_string_lossy().to_string();
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
    {
        return None;
    }
    let s = path.to_string_lossy().replace('\\', "/");
    if s.contains("/templates/") {
        let kind = |k: Kind| Affected {
            kinds: vec![k],
            ..Affected::default()
        };
        return Some(match name.as_str() {
            "report.typ" => kind(Kind::Report),
            "brief.typ" => kind(Kind::Brief),
            "onepager.typ" => kind(Kind::Onepager),
            "overview.typ" => kind(Kind::Overview),
            "reference.docx" => Affected {
                formats: vec![OutputFormat::Docx],
                ..Affected::default()
            },
            n if s.contains("/locales/") && n.ends_with(".yaml") => Affected {
                langs: vec![n.trim_end_matches(".yaml").to_string()],
                ..Affected::default()
            },
            _ => Affected::default(),
        });
    }
    (name.ends_with(".yaml")
        || name.ends_with(".yml")
        || name.ends_with(".png")
        || name.ends_with(".jpg")
        || name.ends_with(".svg"))
    .then(Affected::default)
}

/// Joins what several changes affect: the union, where "all" wins.
fn union(a: Affected, b: Affected) -> Affected {
    fn join<T: PartialEq + Clone>(x: Vec<T>, y: Vec<T>) -> Vec<T> {
        if x.is_empty() || y.is_empty() {
            return Vec::new();
        }
        let mut out = x;
        for v in y {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }
    Affected {
        kinds: join(a.kinds, b.kinds),
        langs: join(a.langs, b.langs),
        formats: join(a.formats, b.formats),
    }
}

fn rebuild(args: &BuildArgs, what: &Affected) -> bool {
    let mut narrowed = args.clone();
    narrowed.watching = true;
    if !what.kinds.is_empty() && narrowed.kinds.is_empty() {
        narrowed.kinds = what.kinds.clone();
    }
    if !what.langs.is_empty() && narrowed.langs.is_empty() {
        narrowed.langs = what.langs.clone();
    }
    if !what.formats.is_empty() && narrowed.formats.is_empty() {
        narrowed.formats = what.formats.clone();
    }
    let mode = if args.quiet { Mode::Quiet } else { Mode::Lines };
    let mut reporter = Reporter::new(mode);
    let started = Instant::now();
    match crate::build::build(&narrowed, &mut reporter) {
        Ok(outcome) => {
            println!(
                "rebuilt {} document{} in {:.2} s",
                outcome.rebuilt,
                if outcome.rebuilt == 1 { "" } else { "s" },
                started.elapsed().as_secs_f64()
            );
            true
        }
        Err(failure) => {
            diag::eprint_human(&failure.diagnostics, ui::color_stderr());
            println!(
                "rebuild failed after {:.2} s; the last good outputs stay in place",
                started.elapsed().as_secs_f64()
            );
            false
        }
    }
}

pub fn run(args: &BuildArgs) -> u8 {
    let dirs = match crate::source::assessment_dirs(&args.dir) {
        Ok(d) => d,
        Err(d) => {
            diag::eprint_human(&[d], ui::color_stderr());
            return exit::USAGE;
        }
    };
    let (tx, rx) = mpsc::channel();
    let mut watcher =
        match notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(ev) = res {
                for p in ev.paths {
                    let _ = tx.send(p);
                }
            }
        }) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("error: failed to watch files ({e})");
                return exit::FAILED;
            }
        };
    let mut watched: Vec<PathBuf> = vec![args.dir.clone()];
    if let Some(t) = &args.templates {
        watched.push(t.clone());
    }
    for d in &dirs {
        if let Some(parent) = d.parent() {
            watched.push(parent.join("templates"));
        }
    }
    for w in watched.iter().filter(|w| w.exists()) {
        if let Err(e) = watcher.watch(w, RecursiveMode::Recursive) {
            eprintln!("error: failed to watch `{}` ({e})", w.display());
            return exit::FAILED;
        }
    }
    // Watch first, then build: a change made while the first build runs is not lost.
    println!("watching {} for changes (Ctrl-C stops)", args.dir.display());
    rebuild(args, &Affected::default());
    let out = args.out.canonicalize().unwrap_or_else(|_| args.out.clone());
    loop {
        let Ok(first) = rx.recv() else {
            return exit::OK;
        };
        let mut changed = vec![first];
        // Editors save in bursts; wait for the burst to end.
        while let Ok(p) = rx.recv_timeout(Duration::from_millis(300)) {
            changed.push(p);
        }
        // A folder created with files in it: its files may be written before the watcher
        // watches the new folder, so look inside.
        let mut expanded = Vec::new();
        for p in changed {
            if p.is_dir() {
                let mut stack = vec![p];
                while let Some(d) = stack.pop() {
                    for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                        let path = e.path();
                        if path.is_dir() {
                            stack.push(path);
                        } else {
                            expanded.push(path);
                        }
                    }
                }
            } else {
                expanded.push(p);
            }
        }
        let mut what: Option<Affected> = None;
        let mut names = Vec::new();
        for p in expanded {
            if p.canonicalize().is_ok_and(|c| c.starts_with(&out)) {
                continue;
            }
            if let Some(a) = affected(&p) {
                names.push(ui::shown(&p).display().to_string());
                what = Some(match what {
                    Some(w) => union(w, a),
                    None => a,
                });
            }
        }
        let Some(what) = what else { continue };
        names.sort();
        names.dedup();
        println!("changed: {}", names.join(", "));
        rebuild(args, &what);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_template_affects_only_its_kind() {
        let a = affected(Path::new("data/peru/templates/typst/onepager.typ")).unwrap();
        assert_eq!(a.kinds, vec![Kind::Onepager]);
        let l = affected(Path::new("data/templates/locales/es.yaml")).unwrap();
        assert_eq!(l.langs, vec!["es".to_string()]);
        assert_eq!(
            affected(Path::new("data/peru/findings.yaml")),
            Some(Affected::default())
        );
        assert_eq!(affected(Path::new("data/peru/.findings.yaml.swp")), None);
    }

    #[test]
    fn union_of_everything_is_everything() {
        let one = Affected {
            kinds: vec![Kind::Brief],
            ..Affected::default()
        };
        assert_eq!(union(one.clone(), Affected::default()), Affected::default());
        let two = Affected {
            kinds: vec![Kind::Report],
            ..Affected::default()
        };
        assert_eq!(union(one, two).kinds, vec![Kind::Brief, Kind::Report]);
    }
}
