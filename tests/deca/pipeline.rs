//! The build pipeline: the manifest and checksums, identical reruns, tailored selections,
//! progress and JSON events, stale files, failures that change nothing, and the smaller
//! commands (templates, completions, man, watch).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Duration;

use crate::support::*;

#[test]
fn the_manifest_lists_every_file_with_its_hash_and_sha256sums_checks() {
    let out = peru_build();
    let m = manifest(out);
    assert_eq!(m["deca-version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["typst-version"], "0.15.1");
    assert_eq!(m["inputs-sha256"].as_str().unwrap().len(), 64);
    let listed: Vec<String> = m["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap().to_string())
        .collect();
    let mut on_disk: Vec<String> = files_under(out)
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .filter(|p| p != "manifest.json" && p != "SHA256SUMS")
        .collect();
    on_disk.sort();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, on_disk);
    for a in m["artifacts"].as_array().unwrap() {
        let bytes = std::fs::read(out.join(a["path"].as_str().unwrap())).unwrap();
        assert_eq!(a["bytes"], bytes.len() as u64);
        assert_eq!(a["sha256"], deca::hash::sha256_hex(&bytes));
        for key in ["kind", "lang", "format", "assessment", "standards"] {
            assert!(!a[key].is_null(), "{key} missing in {a}");
        }
        match a["kind"].as_str().unwrap() {
            "brief" => assert!(a["priority"].is_string()),
            "onepager" => assert!(a["recommendation"].is_string()),
            _ => {}
        }
        if a["format"] == "pdf" {
            assert_eq!(a["standards"], serde_json::json!(["PDF/UA-1", "PDF/A-2a"]));
        }
    }
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    assert_eq!(sums.lines().count(), listed.len());
    if have(&["sha256sum"]) {
        let o = std::process::Command::new("sha256sum")
            .args(["-c", "--quiet", "SHA256SUMS"])
            .current_dir(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    }
}

#[test]
fn a_second_run_gives_identical_hashes() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = BuildCmd::new(tmp.path(), "demo").out(&out).run();
    assert_eq!(o.status.code(), Some(0));
    let first = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    let manifest1 = std::fs::read(out.join("manifest.json")).unwrap();
    let o = BuildCmd::new(tmp.path(), "demo").out(&out).run();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        first,
        std::fs::read_to_string(out.join("SHA256SUMS")).unwrap()
    );
    assert_eq!(manifest1, std::fs::read(out.join("manifest.json")).unwrap());
}

#[test]
fn a_tailored_brief_builds_only_that_brief() {
    let tmp = peru();
    let out = tmp.path().join("out");
    BuildCmd::new(tmp.path(), "peru")
        .arg("--priority")
        .arg("integrity")
        .lang("es")
        .out(&out)
        .ok();
    let files: Vec<String> = files_under(&out)
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    assert_eq!(
        files,
        vec![
            "SHA256SUMS",
            "manifest.json",
            "peru/es/brief-integrity.docx",
            "peru/es/brief-integrity.pdf"
        ]
    );
}

#[test]
fn an_unknown_id_in_a_selection_is_a_usage_error_with_a_suggestion() {
    let tmp = fixture(None);
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .arg("--priority")
        .arg("integrty")
        .arg("--out")
        .arg("out")
        .run();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "error: unknown priority `integrty` for --priority\n = hint: did you mean `integrity`?"
        ),
        "{}",
        stderr(&o)
    );
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .lang("fr")
        .arg("--out")
        .arg("out")
        .run();
    assert_eq!(o.status.code(), Some(2));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn json_events_describe_the_run() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .kind("overview")
        .arg("--json")
        .out(&out)
        .ok();
    let events: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.first().unwrap()["event"], "start");
    assert_eq!(events.first().unwrap()["documents"], 4);
    let artifacts: Vec<&serde_json::Value> =
        events.iter().filter(|e| e["event"] == "artifact").collect();
    assert_eq!(artifacts.len(), 4);
    for a in &artifacts {
        assert_eq!(a["sha256"].as_str().unwrap().len(), 64);
        assert!(a["path"].as_str().unwrap().starts_with("demo/"));
    }
    let warnings = events.iter().filter(|e| e["event"] == "warning").count();
    assert!(
        warnings >= 6,
        "the Spanish fallbacks are warnings: {warnings}"
    );
    let last = events.last().unwrap();
    assert_eq!(last["event"], "finished");
    assert_eq!(last["ok"], true);
    assert_eq!(last["documents"], 4);
    // Errors carry their location.
    let tmp = fixture(Some("numbering"));
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .arg("--json")
        .arg("--out")
        .arg("out")
        .run();
    assert_eq!(o.status.code(), Some(1));
    let events: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let e = events.iter().find(|e| e["event"] == "error").unwrap();
    assert_eq!(e["file"], "demo/findings.yaml");
    assert_eq!(e["line"], 18);
    assert_eq!(events.last().unwrap()["ok"], false);
}

#[test]
fn progress_is_plain_lines_off_a_terminal_and_nothing_when_quiet() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .kind("overview")
        .lang("en")
        .out(&out)
        .run();
    let err = stderr(&o);
    assert!(err.starts_with("building 2 documents\n"), "{err}");
    assert!(err.contains("built demo/en/overview.pdf\n"), "{err}");
    assert!(err.contains("built 2 documents in "), "{err}");
    assert!(!err.contains('\u{1b}'), "NO_COLOR is set: no escape codes");
    let o = BuildCmd::new(tmp.path(), "demo")
        .kind("overview")
        .lang("en")
        .out(&out)
        .run();
    assert_eq!(stderr(&o), "");
    assert_eq!(stdout(&o), "");
}

#[test]
fn stale_files_are_removed_and_other_files_are_left_alone() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = BuildCmd::new(tmp.path(), "demo").out(&out).run();
    assert_eq!(o.status.code(), Some(0));
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = BuildCmd::new(tmp.path(), "demo")
        .kind("overview")
        .lang("en")
        .arg("--clean")
        .out(&out)
        .run();
    assert_eq!(o.status.code(), Some(0));
    let files: Vec<String> = files_under(&out)
        .iter()
        .map(|p| p.to_string_lossy().to_string())
        .collect();
    assert_eq!(
        files,
        vec![
            "SHA256SUMS",
            "demo/en/overview.docx",
            "demo/en/overview.pdf",
            "manifest.json",
            "notes.txt"
        ]
    );
}

#[test]
fn a_failed_run_leaves_the_previous_outputs_and_manifest() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let o = BuildCmd::new(tmp.path(), "demo").out(&out).run();
    assert_eq!(o.status.code(), Some(0));
    let before = snapshot(&out);
    edit(
        &tmp.path().join("demo/findings.yaml"),
        "    number: 2",
        "    number: 5",
    );
    let o = BuildCmd::new(tmp.path(), "demo").out(&out).run();
    assert_eq!(o.status.code(), Some(1));
    let after = snapshot(&out);
    assert!(before == after);
}

#[test]
fn every_error_of_a_run_is_reported() {
    let tmp = fixture(None);
    lengthen_rationale(tmp.path(), VILLAGE_RATIONALE, 120);
    lengthen_rationale(tmp.path(), PAYMENT_RATIONALE, 120);
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .kind("onepager")
        .lang("en")
        .arg("--out")
        .arg("out")
        .run();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("recommendation `village-access` (en) does not fit"),
        "{err}"
    );
    assert!(
        err.contains("recommendation `payment-rails` (en) does not fit"),
        "{err}"
    );
}

#[test]
fn templates_list_and_export() {
    let tmp = fixture(None);
    let custom = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&custom).unwrap();
    std::fs::write(custom.join("brief.typ"), "// mine\n").unwrap();
    let o = run(tmp.path(), &["templates", "list", "demo"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("  typst/brief.typ         assessment: demo/templates/typst/brief.typ\n"),
        "{out}"
    );
    assert!(
        out.contains("  typst/report.typ        built-in\n"),
        "{out}"
    );
    let o = run(tmp.path(), &["templates", "export", "exported"]);
    assert_eq!(o.status.code(), Some(0));
    for f in [
        "typst/report.typ",
        "typst/common/theme.typ",
        "locales/es.yaml",
        "docx/reference.docx",
    ] {
        assert!(tmp.path().join("exported").join(f).exists(), "{f}");
    }
    // Exported templates build the same documents as the built-ins.
    let a = BuildCmd::new(tmp.path(), "demo")
        .kind("overview")
        .lang("en")
        .arg("--out")
        .arg("a")
        .run();
    let b = BuildCmd::new(tmp.path(), "demo")
        .kind("overview")
        .lang("en")
        .arg("--templates")
        .arg("exported")
        .arg("--out")
        .arg("b")
        .run();
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    assert_eq!(
        std::fs::read(tmp.path().join("a/demo/en/overview.pdf")).unwrap(),
        std::fs::read(tmp.path().join("b/demo/en/overview.pdf")).unwrap()
    );
}

#[test]
fn watch_rebuilds_only_what_a_template_change_affects() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let mut child = bin()
        .current_dir(tmp.path())
        .args(["watch", "demo", "--out", out.to_str().unwrap(), "--quiet"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let seen = std::cell::RefCell::new(Vec::new());
    // Generous: the rest of the suite builds in parallel on few cores.
    let wait_for = |prefix: &str| -> String {
        loop {
            match rx.recv_timeout(Duration::from_secs(120)) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(line) => seen.borrow_mut().push(line),
                Err(_) => panic!(
                    "watch printed no {prefix:?} line in 120 s; it printed {:?}",
                    seen.borrow()
                ),
            }
        }
    };
    let first = wait_for("rebuilt ");
    assert!(first.starts_with("rebuilt 20 of 20 documents"), "{first}");
    let report_before = std::fs::read(out.join("demo/en/report.pdf")).unwrap();
    let dir = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&dir).unwrap();
    let overview = String::from_utf8(
        deca::templates::TemplateSet::builtin()
            .get("typst/overview.typ")
            .unwrap()
            .bytes
            .to_vec(),
    )
    .unwrap();
    std::fs::write(
        dir.join("overview.typ"),
        overview.replace(
            "#blocks(doc.blocks)",
            "#blocks(doc.blocks)\n#text(size: 6pt)[changed]",
        ),
    )
    .unwrap();
    let changed = wait_for("changed: ");
    assert!(changed.contains("overview.typ"), "{changed}");
    let rebuilt = wait_for("rebuilt ");
    assert!(
        rebuilt.starts_with("rebuilt 4 of 20 documents"),
        "only the overviews: {rebuilt}"
    );
    let _ = child.kill();
    let _ = child.wait();
    // The report was kept, and the manifest still lists everything.
    assert_eq!(
        std::fs::read(out.join("demo/en/report.pdf")).unwrap(),
        report_before
    );
    assert_eq!(manifest(&out)["artifacts"].as_array().unwrap().len(), 20);
}

/// `deca watch` running in a folder, its status lines read as they come.
struct Watch {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    fn start(dir: &std::path::Path, args: &[&str]) -> Watch {
        let mut child = bin()
            .current_dir(dir)
            .arg("watch")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        Watch {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The next line starting with `prefix` (generous: the suite builds in parallel).
    fn wait_for(&mut self, prefix: &str) -> String {
        loop {
            match self.lines.recv_timeout(Duration::from_secs(120)) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(line) => self.seen.push(line),
                Err(_) => panic!(
                    "watch printed no {prefix:?} line in 120 s; it printed {:?}",
                    self.seen
                ),
            }
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Each published file's inode: a rebuilt file is a new file moved into place.
#[cfg(unix)]
fn inodes(out: &std::path::Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    files_under(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "pdf" || x == "docx"))
        .map(|p| {
            let ino = std::fs::metadata(out.join(&p)).unwrap().ino();
            (p.to_string_lossy().to_string(), ino)
        })
        .collect()
}

/// Issue 13: a one-finding edit rebuilt all documents.
#[cfg(unix)]
#[test]
fn watch_rebuilds_only_the_documents_an_edit_affects() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let mut w = Watch::start(tmp.path(), &["demo", "--out", out.to_str().unwrap(), "-q"]);
    assert!(
        w.wait_for("rebuilt ")
            .starts_with("rebuilt 20 of 20 documents")
    );
    let before = inodes(&out);
    // One finding's English text.
    edit(
        &tmp.path().join("demo/findings.yaml"),
        "against 50% in villages [@stats-office].",
        "against 50% in villages [@stats-office]. The gap is widest in the highlands.",
    );
    let status = w.wait_for("rebuilt ");
    let after = inodes(&out);
    let rebuilt: Vec<&String> = after.keys().filter(|p| before[*p] != after[*p]).collect();
    assert!(
        status.starts_with(&format!("rebuilt {} of 20 documents", rebuilt.len())),
        "{status}: {rebuilt:?}"
    );
    assert!(
        rebuilt.contains(&&"demo/en/report.pdf".to_string()),
        "{rebuilt:?}"
    );
    // The Spanish documents and the overviews do not contain the text: not rebuilt.
    for p in after
        .keys()
        .filter(|p| p.contains("/es/") || p.contains("overview"))
    {
        assert_eq!(before[p], after[p], "{p} was rebuilt");
    }
    assert!(rebuilt.len() < 10, "{rebuilt:?}");
}

/// What watch leaves in the output folder after edits equals a clean build, byte for byte.
#[test]
fn an_incremental_rebuild_equals_a_clean_build_byte_for_byte() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let mut w = Watch::start(tmp.path(), &["demo", "--out", out.to_str().unwrap(), "-q"]);
    w.wait_for("rebuilt ");
    let clean_equals_watch = |name: &str| {
        let clean = tmp.path().join(name);
        BuildCmd::new(tmp.path(), "demo").out(&clean).ok();
        assert!(snapshot(&out) == snapshot(&clean), "{name} differs");
    };
    edit(
        &tmp.path().join("demo/findings.yaml"),
        "Digital payments grew fast.",
        "Digital payments grew fast, in towns first.",
    );
    w.wait_for("rebuilt ");
    clean_equals_watch("clean1");
    // A template change, then a recommendation's Spanish text.
    let dir = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&dir).unwrap();
    let onepager = String::from_utf8(
        deca::templates::TemplateSet::builtin()
            .get("typst/onepager.typ")
            .unwrap()
            .bytes
            .to_vec(),
    )
    .unwrap();
    std::fs::write(
        dir.join("onepager.typ"),
        onepager + "\n#text(size: 6pt)[draft]\n",
    )
    .unwrap();
    w.wait_for("rebuilt ");
    edit(
        &tmp.path().join("demo/recommendations.yaml"),
        "es: Las billeteras cerradas mantienen altos los costos.",
        "es: Las billeteras cerradas mantienen altos los costos y frenan la competencia.",
    );
    w.wait_for("rebuilt ");
    clean_equals_watch("clean2");
}

/// CPU time (seconds) of a process and its descendants, and how many of their threads run.
#[cfg(target_os = "linux")]
fn tree_activity(root: u32) -> (f64, usize) {
    let stat = |path: &std::path::Path| std::fs::read_to_string(path).ok();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields = |s: &str| -> Vec<String> {
        s[s.rfind(')').unwrap() + 2..]
            .split(' ')
            .map(str::to_string)
            .collect()
    };
    let mut pids = vec![root];
    let mut i = 0;
    while i < pids.len() {
        for e in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if let Some(s) = stat(&e.path().join("stat"))
                && fields(&s)[1] == pids[i].to_string()
                && !pids.contains(&pid)
            {
                pids.push(pid);
            }
        }
        i += 1;
    }
    let tick = 100.0; // USER_HZ on Linux
    let (mut cpu, mut running) = (0.0, 0);
    for pid in pids {
        let Some(s) = stat(std::path::Path::new(&format!("/proc/{pid}/stat"))) else {
            continue;
        };
        let f = fields(&s);
        cpu += (f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap()) / tick;
        for t in std::fs::read_dir(format!("/proc/{pid}/task"))
            .into_iter()
            .flatten()
            .flatten()
        {
            if stat(&t.path().join("stat")).is_some_and(|s| fields(&s)[0] == "R") {
                running += 1;
            }
        }
    }
    (cpu, running)
}

/// Issue 14: under watch, a timed-out compile kept spinning after every rebuild.
#[cfg(target_os = "linux")]
#[test]
fn a_template_that_loops_forever_under_watch_leaves_nothing_running() {
    let tmp = fixture(None);
    let out = tmp.path().join("out");
    let mut w = Watch::start(
        tmp.path(),
        &[
            "demo",
            "--kind",
            "overview",
            "--lang",
            "en",
            "--format",
            "pdf",
            "--timeout",
            "2",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
    );
    assert!(
        w.wait_for("rebuilt ")
            .starts_with("rebuilt 1 of 1 document")
    );
    let dir = tmp.path().join("demo/templates/typst");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("overview.typ"),
        "#let n = 0\n#while true { n += 1 }\n",
    )
    .unwrap();
    w.wait_for("rebuild failed");
    let (cpu0, _) = tree_activity(w.pid());
    let mut idle_samples = 0;
    for _ in 0..10 {
        std::thread::sleep(Duration::from_millis(200));
        if tree_activity(w.pid()).1 == 0 {
            idle_samples += 1;
        }
    }
    let (cpu1, _) = tree_activity(w.pid());
    assert!(
        idle_samples > 0,
        "a thread of watch or its workers kept running"
    );
    assert!(
        cpu1 - cpu0 < 0.5,
        "watch and its workers used {:.1} s of CPU in 2 s while idle",
        cpu1 - cpu0
    );
}

/// Issue 10: the overflow amount was always "about 260 mm (~63 lines)".
#[test]
fn the_overflow_amount_grows_with_the_text() {
    let amount = |sentences: usize| -> (u32, u32, String) {
        let tmp = fixture(None);
        lengthen_rationale(tmp.path(), VILLAGE_RATIONALE, sentences);
        let o = BuildCmd::new(tmp.path(), "demo")
            .arg("--recommendation")
            .arg("village-access")
            .lang("en")
            .format("pdf")
            .arg("--out")
            .arg("out")
            .run();
        assert_eq!(o.status.code(), Some(1), "{sentences} sentences fit");
        let err = stderr(&o);
        let after = err.split("overflows by about ").nth(1).expect("an amount");
        let mm: u32 = after.split(" mm").next().unwrap().parse().unwrap();
        let lines: u32 = after
            .split("(~")
            .nth(1)
            .unwrap()
            .split(" line")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        (mm, lines, err)
    };
    let (a, la, _) = amount(50);
    let (b, lb, _) = amount(55);
    let (c, lc, err) = amount(90);
    assert!(a < b && b < c, "{a} mm, {b} mm, {c} mm");
    assert!(la < lb && lb < lc, "{la}, {lb}, {lc} lines");
    // Five more sentences of about a line each read as a handful of lines, not a page.
    assert!((3..=12).contains(&(lb - la)), "{la} → {lb} lines");
    assert!(err.contains("from field `rationale` on"), "{err}");
    assert!(err.contains("^ its text crosses the page end"), "{err}");
}

/// Issue 13: a tailored brief compiled the whole report first, every time.
#[test]
fn a_tailored_brief_with_a_warm_cache_does_not_compile_the_report() {
    let tmp = peru();
    let cache = tmp.path().join("cache");
    let brief = |out: &str| -> Vec<serde_json::Value> {
        let o = bin()
            .current_dir(tmp.path())
            .env("DECA_CACHE_DIR", &cache)
            .args([
                "build",
                "peru",
                "--priority",
                "integrity",
                "--lang",
                "es",
                "--json",
                "--out",
                out,
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let source = |events: &[serde_json::Value]| {
        events
            .iter()
            .find(|e| e["event"] == "page-map")
            .map(|e| e["source"].as_str().unwrap().to_string())
    };
    let compiles =
        |events: &[serde_json::Value]| events.last().unwrap()["typst-compiles"].as_u64().unwrap();
    let cold = brief("cold");
    assert_eq!(source(&cold).as_deref(), Some("compiled"));
    let warm = brief("warm");
    assert_eq!(source(&warm).as_deref(), Some("cache"));
    // Warm: the brief once, at the text scale the last build set it at, and its chart
    // pictures for the Word file. Cold: the report's layout compile besides, and a second
    // compile of the brief, whose small print would stand alone at full size.
    assert_eq!(compiles(&warm), 2);
    assert_eq!(compiles(&cold), 4);
    // The PDF was set a step smaller, and says so; the Word file was not.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("warm/manifest.json")).unwrap())
            .unwrap();
    let scales: Vec<(String, Option<f64>)> = manifest["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["format"].as_str().unwrap().to_string(),
                a["text-scale"].as_f64(),
            )
        })
        .collect();
    assert_eq!(
        scales,
        [("docx".to_string(), None), ("pdf".to_string(), Some(0.96))]
    );
    assert_eq!(
        std::fs::read(tmp.path().join("cold/SHA256SUMS")).unwrap(),
        std::fs::read(tmp.path().join("warm/SHA256SUMS")).unwrap()
    );
}

/// Issue 13: one-pagers and overviews whose inputs did not change compile once, at the scale
/// the last build found, and come out byte for byte as with no cache. Marenland's one-pagers
/// shrink, grow and reach the floor, so every way a fit ends is cached.
#[test]
fn a_warm_fit_cache_compiles_each_document_once_and_changes_no_byte() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &crate::fixture::marenland_dir(),
        &tmp.path().join("marenland"),
    );
    let cache = tmp.path().join("cache");
    let build = |out: &str, cache: &Path| -> (u64, String) {
        let o = BuildCmd::new(tmp.path(), "marenland")
            .format("pdf")
            .arg("--json")
            .arg("--out")
            .arg(out)
            .env("DECA_CACHE_DIR", cache.to_str().unwrap())
            .ok();
        let finished: serde_json::Value =
            serde_json::from_str(stdout(&o).lines().last().unwrap()).unwrap();
        let sums = std::fs::read_to_string(tmp.path().join(out).join("SHA256SUMS")).unwrap();
        (finished["typst-compiles"].as_u64().unwrap(), sums)
    };
    let (cold, cold_sums) = build("cold", &cache);
    let documents = cold_sums.lines().count() as u64;
    assert!(
        cold > documents,
        "fitting took {cold} compiles for {documents} documents"
    );
    let (warm, warm_sums) = build("warm", &cache);
    assert_eq!(warm, documents, "a warm cache compiles each document once");
    assert_eq!(warm_sums, cold_sums);
    let (_, off_sums) = build("off", Path::new("off"));
    assert_eq!(off_sums, cold_sums, "the same files without a cache");
    // A cached scale is kept only while it still fits: with every entry claiming the largest
    // step, the documents that do not fit there are fitted again, to the same result.
    let entries: Vec<_> = std::fs::read_dir(cache.join("fit")).unwrap().collect();
    assert!(entries.len() >= 2, "{} entries", entries.len());
    for e in entries {
        std::fs::write(e.unwrap().path(), "1.12\n").unwrap();
    }
    let (hinted, hinted_sums) = build("hinted", &cache);
    assert_eq!(hinted_sums, cold_sums);
    assert!(
        hinted > documents,
        "the wrong hints cost compiles ({hinted})"
    );
}

/// `--emit typst DIR`: each document as sources the stock Typst compiles.
#[test]
fn emitted_sources_compile_with_the_stock_typst() {
    let tmp = fixture(None);
    BuildCmd::new(tmp.path(), "demo")
        .arg("--priority")
        .arg("integrity")
        .lang("en")
        .format("pdf")
        .arg("--emit")
        .arg("typst")
        .arg("emitted")
        .arg("--out")
        .arg("out")
        .ok();
    let doc = tmp.path().join("emitted/demo/en/brief-integrity");
    for f in [
        "typst/brief.typ",
        "typst/common/theme.typ",
        "ir.json",
        "pages.json",
    ] {
        assert!(doc.join(f).is_file(), "{f} missing");
    }
    assert!(
        tmp.path()
            .join("emitted/fonts/carlito/Carlito-Regular.ttf")
            .is_file()
    );
    let script = std::fs::read_to_string(doc.join("compile.sh")).unwrap();
    assert!(
        script.contains(" && typst compile --root . --font-path fonts --font-path ../../../fonts --ignore-system-fonts --creation-timestamp "),
        "{script}"
    );
    assert!(
        script
            .trim_end()
            .ends_with("typst/brief.typ brief-integrity.pdf"),
        "{script}"
    );
    // The prebuilt compiler, when installed (PyPI `typst`), gives the same pages.
    let python = std::env::var("DECA_TYPST_PYTHON")
        .unwrap_or_else(|_| "/root/.cache/deca-verify/venv/bin/python".into());
    let program = "import typst, sys; typst.compile('typst/brief.typ', output='stock.pdf', root='.', font_paths=['fonts', '../../../fonts'], ignore_system_fonts=True)";
    let Ok(o) = std::process::Command::new(&python)
        .args(["-c", program])
        .current_dir(&doc)
        .output()
    else {
        eprintln!("skipped: no Python with the `typst` package at {python}");
        return;
    };
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pages = manifest(&tmp.path().join("out"))["artifacts"][0]["pages"].clone();
    if have(&["pdfinfo"]) {
        let o = std::process::Command::new("pdfinfo")
            .arg(doc.join("stock.pdf"))
            .output()
            .unwrap();
        let info = String::from_utf8_lossy(&o.stdout);
        assert!(
            info.contains(&format!("Pages:           {pages}\n")),
            "{info}"
        );
    }
}

/// The checked-load cache: a clean load's trees are kept, the next build of the same bytes
/// reads them, and nothing it makes differs from a build without a cache.
#[test]
fn a_kept_clean_load_changes_no_byte_and_a_damaged_one_is_read_again() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &crate::fixture::marenland_dir(),
        &tmp.path().join("marenland"),
    );
    let cache = tmp.path().join("cache");
    let build = |out: &str, cache: &Path| -> String {
        BuildCmd::new(tmp.path(), "marenland")
            .format("pdf")
            .arg("--kind")
            .arg("onepager")
            .arg("--out")
            .arg(out)
            .env("DECA_CACHE_DIR", cache.to_str().unwrap())
            .ok();
        std::fs::read_to_string(tmp.path().join(out).join("SHA256SUMS")).unwrap()
    };
    let entries = || -> Vec<std::path::PathBuf> {
        let mut e: Vec<_> = std::fs::read_dir(cache.join("checked"))
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        e.sort();
        e
    };
    let cold = build("cold", &cache);
    assert!(!cold.is_empty());
    let kept = entries();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].extension().is_some_and(|x| x == "trees"));
    let bytes = std::fs::read(&kept[0]).unwrap();
    let written = || std::fs::metadata(&kept[0]).unwrap().modified().unwrap();
    let first = written();
    assert_eq!(
        build("warm", &cache),
        cold,
        "the same files from kept trees"
    );
    assert_eq!(entries(), kept, "a hit keeps nothing new");
    assert_eq!(written(), first, "a hit does not write its entry again");
    assert_eq!(
        build("off", Path::new("off")),
        cold,
        "the same files without a cache"
    );
    // A damaged entry is no entry: the data is parsed and checked again, and kept again.
    std::fs::write(&kept[0], b"damaged").unwrap();
    assert_eq!(build("damaged", &cache), cold);
    assert_eq!(std::fs::read(&kept[0]).unwrap(), bytes, "kept again, whole");
    // Other bytes are another load: checked in full, kept beside the first.
    let findings = tmp.path().join("marenland/findings.yaml");
    let text = std::fs::read_to_string(&findings).unwrap();
    std::fs::write(&findings, text.replacen("title:", "title: ", 1)).unwrap();
    build("edited", &cache);
    assert_eq!(entries().len(), 2);
    // An edit that breaks the data is reported, whatever the cache holds.
    std::fs::write(&findings, text.replacen("title:", "titel:", 1)).unwrap();
    let o = BuildCmd::new(tmp.path(), "marenland")
        .format("pdf")
        .arg("--out")
        .arg("broken")
        .env("DECA_CACHE_DIR", cache.to_str().unwrap())
        .run();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("unknown field `titel`"),
        "{}",
        stderr(&o)
    );
}
