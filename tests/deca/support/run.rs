//! Running the `deca` binary under test, reading what it printed, and the outside tools a
//! test needs (skipped when missing, unless `DECA_REQUIRE_TOOLS=1`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `deca` binary under test.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_deca"));
    // GitHub's runner sets GITHUB_ACTIONS, which adds annotations to deca's output. Tests
    // share no cache (page maps, fitted scales): one that wants one sets DECA_CACHE_DIR.
    c.env("NO_COLOR", "1")
        .env("DECA_CACHE_DIR", "off")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("GITHUB_ACTIONS");
    c
}

/// Runs deca in a folder.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Whether external tools are installed. Without them a test is skipped, unless
/// DECA_REQUIRE_TOOLS=1 (as in CI), where their absence is a failure.
pub fn have(tools: &[&str]) -> bool {
    let missing: Vec<&&str> = tools
        .iter()
        .filter(|t| {
            Command::new("sh")
                .arg("-c")
                .arg(format!("command -v {t}"))
                .output()
                .map_or(true, |o| !o.status.success())
        })
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("DECA_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!("required tools are missing: {missing:?}");
    }
    eprintln!("skipped: {missing:?} not installed");
    false
}

/// `deca build` with its flags set by name: `BuildCmd::new(dir, "demo").out(&out).ok()`.
pub struct BuildCmd {
    dir: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

impl BuildCmd {
    /// Builds `assessment` (a folder under `dir`), run from `dir`, quietly.
    pub fn new(dir: &Path, assessment: &str) -> BuildCmd {
        BuildCmd {
            dir: dir.to_path_buf(),
            args: vec!["build".into(), assessment.into(), "--quiet".into()],
            env: Vec::new(),
        }
    }

    /// Any other flag or value.
    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> BuildCmd {
        self.args.push(arg.as_ref().to_string_lossy().into_owned());
        self
    }

    /// Without `--quiet`: for tests that read what a build prints.
    pub fn loud(mut self) -> BuildCmd {
        self.args.retain(|a| a != "--quiet");
        self
    }

    pub fn out(self, out: &Path) -> BuildCmd {
        self.arg("--out").arg(out)
    }

    pub fn paper(self, paper: &str) -> BuildCmd {
        self.arg("--paper").arg(paper)
    }

    pub fn lang(self, lang: &str) -> BuildCmd {
        self.arg("--lang").arg(lang)
    }

    pub fn kind(self, kind: &str) -> BuildCmd {
        self.arg("--kind").arg(kind)
    }

    pub fn format(self, format: &str) -> BuildCmd {
        self.arg("--format").arg(format)
    }

    pub fn env(mut self, key: &str, value: &str) -> BuildCmd {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs the build and returns what it printed, whatever its exit code.
    pub fn run(&self) -> Output {
        let mut c = bin();
        c.current_dir(&self.dir).args(&self.args);
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    /// Runs the build, which must succeed (its errors shown otherwise).
    pub fn ok(&self) -> Output {
        let o = self.run();
        assert_eq!(o.status.code(), Some(0), "{:?}: {}", self.args, stderr(&o));
        o
    }
}
