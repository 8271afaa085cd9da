//! `deca preview` in a real browser (issue 15, item 2): headless Chromium, driven through
//! ChromeDriver's WebDriver API, loads the page; the test saves a data file and the open page
//! shows the new text by itself. Also: data errors with file:line, the fit scale of a shrunk
//! one-pager, and the downloads. Skips with a message without Chromium and ChromeDriver
//! (`.ci/run` installs them).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::*;

/// A child process that is stopped when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A WebDriver session in headless Chromium.
struct Browser {
    base: String,
    session: String,
    _driver: Running,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let port = free_port();
        let driver = Running(
            Command::new("chromedriver")
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let chromium = String::from_utf8(
            Command::new("sh")
                .args(["-c", "command -v chromium"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        // As root, Chromium needs --no-sandbox; the network flags keep it from reaching out.
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.trim(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--user-data-dir={}", profile.path().display()),
                    "--window-size=1200,1000",
                ],
            },
        }}});
        let created: Value = ureq::post(&format!("{base}/session"))
            .send_json(caps)
            .unwrap()
            .into_json()
            .unwrap();
        let session = created["value"]["sessionId"].as_str().unwrap().to_string();
        Browser {
            base,
            session,
            _driver: driver,
            _profile: profile,
        }
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}/{path}", self.base, self.session);
        let v: Value = ureq::post(&url)
            .send_json(body)
            .unwrap()
            .into_json()
            .unwrap();
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.post("url", json!({ "url": url }));
    }

    /// Runs JavaScript in the page and returns its result.
    fn js(&self, script: &str) -> Value {
        self.post("execute/sync", json!({ "script": script, "args": [] }))
    }

    fn text(&self, selector: &str) -> String {
        let script = format!(
            "const e = document.querySelector({selector:?}); return e ? e.textContent : '';"
        );
        self.js(&script).as_str().unwrap_or_default().to_string()
    }

    /// Waits until `selector`'s text satisfies `ok`; returns how long that took.
    fn wait_for(&self, selector: &str, what: &str, ok: impl Fn(&str) -> bool) -> Duration {
        let started = Instant::now();
        loop {
            let text = self.text(selector);
            if ok(&text) {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the page never showed {what}; {selector} holds: {text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
    }
}

/// Starts `deca preview` on a folder; returns it with the URL it printed.
fn preview(dir: &Path, args: &[&str]) -> (Running, String) {
    let mut child = bin()
        .current_dir(dir)
        .arg("preview")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_string();
    (Running(child), url)
}

#[test]
fn a_save_shows_in_the_open_page_by_itself() {
    if !have(&["chromium", "chromedriver"]) {
        eprintln!("skipped: the preview's browser test needs chromium and chromedriver");
        return;
    }
    let tmp = fixture(None);
    let (_deca, url) = preview(tmp.path(), &["demo"]);
    let browser = Browser::start();
    browser.go(&format!("{url}?doc=demo%2Fen%2Fonepager-village-access"));

    // The list of documents, and the selected one's pages with their text.
    browser.wait_for("#pages", "the one-pager", |t| {
        t.contains("Fund shared rural networks.")
    });
    let listed =
        browser.js("return [...document.querySelectorAll('nav a')].map(a => a.textContent)");
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 10, "{listed:?}");
    assert!(
        listed.contains(&"Recommendation 1: Connect the villages"),
        "{listed:?}"
    );
    browser.wait_for("body", "the page image", |_| {
        browser.js(
            "return [...document.querySelectorAll('#pages img')].map(i => i.complete && i.naturalWidth > 0)",
        ) == json!([true])
    });

    // Save a change; the page updates without being reloaded.
    browser.js("window.stillTheSamePage = true; return null;");
    let recommendations = tmp.path().join("demo/recommendations.yaml");
    edit(
        &recommendations,
        "Fund shared rural networks.",
        "Fund shared rural networks by 2027.",
    );
    let took = browser.wait_for("#pages", "the saved text", |t| {
        t.contains("Fund shared rural networks by 2027.")
    });
    eprintln!("the page showed the save after {} ms", took.as_millis());
    assert_eq!(
        browser.js("return window.stillTheSamePage === true"),
        json!(true)
    );

    // A data error appears in the page at its file and line, with the snippet.
    let findings = tmp.path().join("demo/findings.yaml");
    let good = std::fs::read_to_string(&findings).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/invalid/unknown-field/findings.yaml"),
        &findings,
    )
    .unwrap();
    browser.wait_for("#problems", "the data error", |t| {
        t.contains(
            "demo/findings.yaml:5:5: error: unknown field `titel` in finding 1 (`rural-gap`)",
        ) && t.contains("^^^^^ unknown field")
    });
    std::fs::write(&findings, good).unwrap();
    browser.wait_for("#problems", "the error gone", str::is_empty);

    // A one-pager shrunk to fit says so.
    lengthen_rationale(tmp.path(), VILLAGE_RATIONALE, 45);
    browser.wait_for("#scale", "the fit scale", |t| {
        t.starts_with("shrunk to ") && t.ends_with("% to fit one page")
    });

    // The downloads are the current PDF and DOCX.
    let links =
        browser.js("return [...document.querySelectorAll('#downloads a')].map(a => a.href)");
    let links: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    let mut pdf = Vec::new();
    std::io::Read::read_to_end(
        &mut ureq::get(links[0]).call().unwrap().into_reader(),
        &mut pdf,
    )
    .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let mut docx = Vec::new();
    let response = ureq::get(links[1]).call().unwrap();
    assert_eq!(
        response.header("Content-Disposition"),
        Some("attachment; filename=\"demo-en-onepager-village-access.docx\"")
    );
    std::io::Read::read_to_end(&mut response.into_reader(), &mut docx).unwrap();
    let paragraphs = docx_paragraphs(&docx);
    assert!(
        paragraphs
            .iter()
            .any(|(_, t)| t.contains("Fund shared rural networks by 2027.")),
        "{paragraphs:?}"
    );
}

#[test]
fn the_server_listens_on_loopback_only_and_prints_its_port() {
    let tmp = fixture(None);
    let (_deca, url) = preview(tmp.path(), &["demo"]);
    let port: u16 = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let page = ureq::get(&url).call().unwrap().into_string().unwrap();
    assert!(page.contains("<title>deca preview</title>"));
    // Not reachable on another address of the machine: it is bound to 127.0.0.1 alone.
    assert!(std::net::TcpStream::connect(("127.0.0.2", port)).is_err());
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let tmp = fixture(None);
    let o = run(tmp.path(), &["preview", "demo", "--port", &port]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!("error: failed to listen on 127.0.0.1:{port} (")),
        "{err}"
    );
    assert!(
        err.ends_with("\n = hint: leave out --port to take a free one\n\n"),
        "{err}"
    );
}

/// A file the preview serves, once the server has compiled it.
fn download(url: &str, doc: &str, format: &str) -> Vec<u8> {
    let file_url = format!("{url}download?doc={doc}&format={format}");
    let started = Instant::now();
    loop {
        // The first request compiles the document; until then the server may still be loading.
        match ureq::get(&file_url).call() {
            Ok(r) => {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
                return bytes;
            }
            Err(e) => {
                assert!(started.elapsed() < Duration::from_secs(30), "{e}");
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
}

/// A brief whose PDF is set smaller (so its small print does not stand alone on a last page)
/// has a Word file at full size, in the preview as in the build: the Word file's styles, where
/// every type size is, are the same part.
#[test]
fn a_previewed_briefs_word_file_is_the_built_one() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("data/peru"), &tmp.path().join("peru"));
    let (_deca, url) = preview(tmp.path(), &["peru"]);
    let previewed = download(&url, "peru/es/brief-integrity", "docx");
    let out = tmp.path().join("out");
    let o = BuildCmd::new(tmp.path(), "peru")
        .arg("--priority")
        .arg("integrity")
        .lang("es")
        .arg("--json")
        .out(&out)
        .ok();
    let scale = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|e| e["event"] == "artifact" && e["path"] == "peru/es/brief-integrity.pdf")
        .map(|e| e["text-scale"].clone());
    assert_eq!(scale, Some(json!(0.96)), "the PDF is set smaller");
    let built = std::fs::read(out.join("peru/es/brief-integrity.docx")).unwrap();
    let (previewed, built) = (zip_parts(&previewed), zip_parts(&built));
    assert_eq!(
        String::from_utf8_lossy(&previewed["word/styles.xml"]),
        String::from_utf8_lossy(&built["word/styles.xml"])
    );
}

/// The preview prepares assessments as `deca build` does: a PDF previewed with a letterhead
/// reference takes the letterhead's paper (US Letter), as the built PDF does.
#[test]
fn the_preview_takes_a_letterheads_paper_like_the_build() {
    let tmp = fixture(None);
    let letterhead = root().join("tests/fixtures/reference/letterhead.docx");
    let letterhead = letterhead.to_str().unwrap();
    let (_deca, url) = preview(tmp.path(), &["demo", "--reference-docx", letterhead]);
    let previewed = download(&url, "demo/en/brief-integrity", "pdf");
    let out = tmp.path().join("out");
    BuildCmd::new(tmp.path(), "demo")
        .arg("--reference-docx")
        .arg(letterhead)
        .kind("brief")
        .lang("en")
        .format("pdf")
        .out(&out)
        .ok();
    let built = std::fs::read(out.join("demo/en/brief-integrity.pdf")).unwrap();
    // US Letter is 612 × 792 pt; A4 would be 595.28 × 841.89.
    for (name, pdf) in [("previewed", &previewed), ("built", &built)] {
        let text = String::from_utf8_lossy(pdf);
        assert!(
            text.contains("/MediaBox[0 0 612 792]"),
            "{name} PDF is not on Letter"
        );
    }
}
