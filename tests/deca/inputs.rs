//! Nothing leaked: every input deca opens (data, templates, the reference document) must be a
//! regular file inside its folder; links out, devices and FIFOs are refused at once, with
//! bounded memory, and never shown; a hostile reference document is sanitised. And every path
//! a build is given is checked: wrong ones are usage errors, a misspelt assessment file is
//! named, and everything that shapes output (SOURCE_DATE_EPOCH too) is in the inputs hash.

use std::path::Path;

use crate::support::*;

/// Runs deca with its heap capped (so reading a device without a bound dies instead of eating
/// the machine) and a deadline (so a blocking read fails the test instead of hanging it).
#[cfg(unix)]
fn run_bounded(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (std::process::Output, std::time::Duration) {
    use std::os::unix::process::CommandExt;
    use std::time::{Duration, Instant};
    let mut c = bin();
    c.current_dir(dir)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    #[allow(unsafe_code)]
    // SAFETY: setrlimit is async-signal-safe; the closure allocates nothing.
    unsafe {
        c.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            libc::setrlimit(libc::RLIMIT_DATA, &limit);
            Ok(())
        });
    }
    let started = Instant::now();
    let mut child = c.spawn().unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("deca {args:?} still ran after 10 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (child.wait_with_output().unwrap(), started.elapsed())
}

#[cfg(unix)]
// The unsafe call sits inside `assert_eq!`, where a lint attribute cannot go.
#[allow(unsafe_code)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[cfg(unix)]
fn link(target: &str, at: &Path) {
    let _ = std::fs::remove_file(at);
    std::os::unix::fs::symlink(target, at).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn a_link_to_proc_self_environ_is_refused_and_never_shown() {
    let canary = format!("deca-canary-{}", std::process::id());
    let env = [("DECA_CANARY", canary.as_str())];
    let tmp = fixture(None);
    link("/proc/self/environ", &tmp.path().join("demo/sources.yaml"));
    let expected_tail = "/environ`, outside the assessment folder\n = hint: copy the file into the assessment folder instead of linking to it\n\n";
    for args in [
        &["check", "demo"][..],
        &["check", "demo", "--format", "json"],
        &["build", "demo", "--out", "out"],
        &["build", "demo", "--out", "out", "--json"],
    ] {
        let (o, _) = run_bounded(tmp.path(), args, &env);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            !all.contains(&canary),
            "{args:?} printed the environment: {all}"
        );
        assert!(
            !all.contains("PATH="),
            "{args:?} printed the environment: {all}"
        );
        if !args.iter().any(|a| a.contains("json")) {
            let err = stderr(&o);
            assert!(
                err.starts_with("error: demo/sources.yaml: access denied: `demo/sources.yaml` resolves to `/proc/")
                    && err.contains(expected_tail),
                "{args:?}: {err}"
            );
        }
    }
    assert!(!tmp.path().join("out").exists());

    // The same link as a template, and as the reference document (a path the user typed, so
    // it may lie anywhere, but its content is never shown).
    let tmp = fixture(None);
    std::fs::create_dir_all(tmp.path().join("demo/templates/locales")).unwrap();
    link(
        "/proc/self/environ",
        &tmp.path().join("demo/templates/locales/en.yaml"),
    );
    let (o, _) = run_bounded(tmp.path(), &["build", "demo", "--out", "out"], &env);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("error: demo/templates/locales/en.yaml: access denied: `demo/templates/locales/en.yaml` resolves to `/proc/"), "{err}");
    assert!(!err.contains(&canary) && !stdout(&o).contains(&canary));
    std::fs::remove_file(tmp.path().join("demo/templates/locales/en.yaml")).unwrap();
    let (o, _) = run_bounded(
        tmp.path(),
        &[
            "build",
            "demo",
            "--out",
            "out",
            "--reference-docx",
            "/proc/self/environ",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(1));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains(&canary), "{all}");
    assert!(
        all.contains("error: reference document /proc/self/environ: is not a valid Word file"),
        "{all}"
    );
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_at_once_with_bounded_memory() {
    type Setup = fn(&Path);
    let cases: [(&str, Setup, &[&str], &str); 7] = [
        (
            "data file linked to /dev/zero",
            |d| link("/dev/zero", &d.join("demo/sources.yaml")),
            &[],
            "error: demo/sources.yaml: access denied: `demo/sources.yaml` resolves to `/dev/zero`, outside the assessment folder\n = hint: copy the file into the assessment folder instead of linking to it\n\n",
        ),
        (
            "data file that is a FIFO",
            |d| {
                std::fs::remove_file(d.join("demo/sources.yaml")).unwrap();
                mkfifo(&d.join("demo/sources.yaml"));
            },
            &[],
            "error: demo/sources.yaml: failed to read file (it is a FIFO, not a regular file)\n = hint: deca reads only regular files; put the file itself at this path\n\n",
        ),
        (
            "data file linked to a FIFO in the folder",
            |d| {
                mkfifo(&d.join("demo/pipe"));
                link("pipe", &d.join("demo/sources.yaml"));
            },
            &[],
            "error: demo/sources.yaml: failed to read file (it is a FIFO, not a regular file)\n = hint: deca reads only regular files; put the file itself at this path\n\n",
        ),
        (
            "template that is a FIFO",
            |d| {
                std::fs::create_dir_all(d.join("demo/templates/typst")).unwrap();
                mkfifo(&d.join("demo/templates/typst/overview.typ"));
            },
            &[],
            "error: demo/templates/typst/overview.typ: failed to read template (it is a FIFO, not a regular file)\n = hint: deca reads only regular files; put the file itself at this path\n\n",
        ),
        (
            "template linked to /dev/zero",
            |d| {
                std::fs::create_dir_all(d.join("demo/templates/typst")).unwrap();
                link("/dev/zero", &d.join("demo/templates/typst/overview.typ"));
            },
            &[],
            "error: demo/templates/typst/overview.typ: access denied: `demo/templates/typst/overview.typ` resolves to `/dev/zero`, outside the templates folder\n = hint: copy the file into the templates folder instead of linking to it\n\n",
        ),
        (
            "reference document /dev/zero",
            |_| {},
            &["--reference-docx", "/dev/zero"],
            "error: /dev/zero: failed to read the reference document (it is a character device, not a regular file)\n = hint: deca reads only regular files; put the file itself at this path\n\n",
        ),
        (
            "reference document that is a FIFO",
            |d| mkfifo(&d.join("ref.docx")),
            &["--reference-docx", "ref.docx"],
            "error: ref.docx: failed to read the reference document (it is a FIFO, not a regular file)\n = hint: deca reads only regular files; put the file itself at this path\n\n",
        ),
    ];
    for (name, setup, flags, expected) in cases {
        let tmp = fixture(None);
        setup(tmp.path());
        let mut args = vec!["build", "demo", "--out", "out", "-q"];
        args.extend_from_slice(flags);
        let (o, took) = run_bounded(tmp.path(), &args, &[]);
        eprintln!("{name}: refused in {took:?}");
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert_eq!(stderr(&o), expected, "{name}");
        assert!(
            !tmp.path().join("out").exists(),
            "{name}: something was written"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_font_folder_holding_a_fifo_and_a_device_does_not_block() {
    let tmp = fixture(None);
    let fonts = tmp.path().join("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    mkfifo(&fonts.join("pipe.ttf"));
    link("/dev/zero", &fonts.join("zero.otf"));
    let (o, took) = run_bounded(
        tmp.path(),
        &[
            "build",
            "demo",
            "-q",
            "--kind",
            "overview",
            "--format",
            "pdf",
            "--out",
            "out",
            "--font-path",
            "fonts",
        ],
        &[],
    );
    eprintln!("font folder: built in {took:?}");
    // Neither is a font deca can read: both are skipped, as unreadable files are.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(tmp.path().join("out/demo/en/overview.pdf").exists());
}

/// The letterhead fixture with hostile additions: a tracking pixel linked from the header
/// logo, a `file:` hyperlink, an OLE object, a macro project referenced from the header's
/// relationships, and an INCLUDETEXT field in the footer.
fn hostile_letterhead() -> Vec<u8> {
    let bytes = std::fs::read(root().join("tests/fixtures/reference/letterhead.docx")).unwrap();
    let mut parts = zip_parts(&bytes);
    let text = |parts: &std::collections::BTreeMap<String, Vec<u8>>, n: &str| {
        String::from_utf8(parts[n].clone()).unwrap()
    };
    let header = text(&parts, "word/header1.xml")
        .replace(
            r#"<a:blip r:embed="rId1"></a:blip>"#,
            r#"<a:blip r:embed="rId1" r:link="rId2"></a:blip>"#,
        )
        .replace(
            "</w:p></w:hdr>",
            r#"<w:r><w:object><o:OLEObject Type="Embed" ProgID="Package" r:id="rId3"/></w:object></w:r><w:hyperlink r:id="rId4"><w:r><w:t>records</w:t></w:r></w:hyperlink></w:p></w:hdr>"#,
        );
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let rels = text(&parts, "word/_rels/header1.xml.rels").replace(
        "</Relationships>",
        &format!(
            r#"<Relationship Id="rId2" Type="{rel}/image" Target="https://tracker.example/pixel.png" TargetMode="External"/><Relationship Id="rId3" Type="{rel}/oleObject" Target="embeddings/oleObject1.bin"/><Relationship Id="rId4" Type="{rel}/hyperlink" Target="file:///etc/passwd" TargetMode="External"/><Relationship Id="rId5" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>"#
        ),
    );
    let footer = text(&parts, "word/footer1.xml").replace(
        "<w:r><w:rPr></w:rPr><w:t xml:space=\"preserve\">{{date}}",
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> INCLUDETEXT "https://evil.example/x.docx" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Included </w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr></w:rPr><w:t xml:space="preserve">{{date}}"#,
    );
    assert!(header.contains("rId2") && footer.contains("INCLUDETEXT"));
    parts.insert("word/header1.xml".into(), header.into_bytes());
    parts.insert("word/_rels/header1.xml.rels".into(), rels.into_bytes());
    parts.insert("word/footer1.xml".into(), footer.into_bytes());
    parts.insert(
        "word/embeddings/oleObject1.bin".into(),
        b"\xd0\xcf\x11\xe0ole".to_vec(),
    );
    parts.insert(
        "word/vbaProject.bin".into(),
        b"\xd0\xcf\x11\xe0vba".to_vec(),
    );
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in &parts {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut z, bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn a_hostile_reference_document_is_sanitised_with_one_warning() {
    let tmp = fixture(None);
    std::fs::write(tmp.path().join("hostile.docx"), hostile_letterhead()).unwrap();
    let o = BuildCmd::new(tmp.path(), "demo")
        .loud()
        .kind("overview")
        .lang("en")
        .format("docx")
        .arg("--reference-docx")
        .arg("hostile.docx")
        .arg("--out")
        .arg("out")
        .ok();
    let err = stderr(&o);
    let warning = "warning: reference document hostile.docx: removed what deca never copies into documents: OLE objects (word/embeddings/oleObject1.bin, word/header1.xml); external links (`file:///etc/passwd` in word/header1.xml, `https://tracker.example/pixel.png` in word/header1.xml); fields other than page, date, property and reference fields (INCLUDETEXT in word/footer1.xml); macros (word/vbaProject.bin)\n = hint: external links, embedded objects, controls, macros, custom XML, attached templates and fields other than page, date, property and reference fields are always removed; styles, images, page setup and fields such as PAGE and NUMPAGES are kept\n";
    assert!(err.contains(warning), "{err}");
    assert_eq!(
        err.matches("warning: reference document").count(),
        1,
        "{err}"
    );

    let parts = zip_parts(&std::fs::read(tmp.path().join("out/demo/en/overview.docx")).unwrap());
    for (name, bytes) in &parts {
        assert!(
            !name.contains("vbaProject") && !name.contains("embeddings"),
            "{name} was copied"
        );
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_xml(name, bytes);
            let t = String::from_utf8_lossy(bytes);
            for bad in [
                "tracker.example",
                "/etc/passwd",
                "OLEObject",
                "INCLUDETEXT",
                "evil.example",
                "vbaProject",
            ] {
                assert!(!t.contains(bad), "{name} holds {bad}");
            }
        }
    }
    let header_rels = String::from_utf8_lossy(&parts["word/_rels/header1.xml.rels"]);
    assert!(!header_rels.contains("External"), "{header_rels}");
    let header = String::from_utf8_lossy(&parts["word/header1.xml"]);
    assert!(
        header.contains(r#"<a:blip r:embed="rId1">"#),
        "the logo went: {header}"
    );
    assert!(
        header.contains("<w:hyperlink><w:r><w:t xml:space=\"preserve\">records</w:t>"),
        "{header}"
    );
    assert!(parts.contains_key("word/media/image1.png"), "the logo went");
    let footer = String::from_utf8_lossy(&parts["word/footer1.xml"]);
    assert!(
        footer.contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"),
        "PAGE went: {footer}"
    );
    assert!(
        footer.contains(r#"<w:t xml:space="preserve">Included </w:t>"#),
        "the field's text went: {footer}"
    );
}

#[test]
fn paths_that_cannot_work_are_usage_errors() {
    let tmp = fixture(None);
    std::fs::write(tmp.path().join("a-file"), "").unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["--templates", "missing"],
            "error: --templates folder `missing` does not exist\n = hint: give a folder of template overrides; `deca templates export DIR` writes one\n\n",
        ),
        (
            &["--reference-docx", "missing.docx"],
            "error: --reference-docx file `missing.docx` does not exist\n = hint: give a .docx saved by Word or LibreOffice\n\n",
        ),
        (
            &["--out", "a-file"],
            "error: --out must name a folder (`a-file` is a file)\n = hint: give a folder for the documents, e.g. --out output\n\n",
        ),
        (
            &["--out", "a-file/docs"],
            "error: --out must name a folder (`a-file` is a file, so `a-file/docs` cannot be created)\n = hint: give a folder for the documents, e.g. --out output\n\n",
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["build", "demo", "-q"];
        args.extend_from_slice(flags);
        let o = run(tmp.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{flags:?}");
        assert_eq!(stderr(&o), expected, "{flags:?}");
    }
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn a_misspelt_or_misplaced_assessment_file_is_reported() {
    let tmp = fixture(None);
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::rename(tmp.path().join("demo"), data.join("demo")).unwrap();
    copy_dir(&data.join("demo"), &data.join("kenya"));
    std::fs::rename(
        data.join("kenya/assessment.yaml"),
        data.join("kenya/assesment.yaml"),
    )
    .unwrap();
    let o = run(tmp.path(), &["check", "data"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("warning: `data/kenya` holds YAML files but no assessment.yaml; it is skipped\n = hint: did you mean assessment.yaml? the folder holds `assesment.yaml`\n"),
        "{}",
        stderr(&o)
    );
    let o = BuildCmd::new(tmp.path(), "data").kind("overview").run();
    assert_eq!(o.status.code(), Some(0));

    std::fs::create_dir_all(data.join("kenya/assessment.yaml")).unwrap();
    let o = BuildCmd::new(tmp.path(), "data")
        .arg("--out")
        .arg("out2")
        .run();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: `data/kenya/assessment.yaml` is a folder; it must be the assessment's YAML file\n = hint: move the folder away and put the assessment file at this path\n\n"
    );
}

#[test]
fn source_date_epoch_is_part_of_the_inputs_hash() {
    let tmp = fixture(None);
    let hash = |epoch: &str, out: &str| {
        let o = bin()
            .current_dir(tmp.path())
            .args(["build", "demo", "-q", "--kind", "overview", "--out", out])
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        manifest(&tmp.path().join(out))["inputs-sha256"].clone()
    };
    assert_ne!(hash("1700000000", "a"), hash("1800000000", "b"));
    assert_eq!(hash("1700000000", "c"), hash("1700000000", "d"));
}
