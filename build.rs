//! Build script: embeds the built-in templates (Typst files and locale files) and zips the
//! built-in reference Word document, kept in the repository as readable XML, into a .docx.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn files_under(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(root, &p, out);
        } else {
            out.push(p.strip_prefix(root).expect("under root").to_path_buf());
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let templates = manifest.join("templates");
    println!("cargo:rerun-if-changed=templates");

    // 1. Built-in templates: every file under templates/typst and templates/locales.
    let mut files = Vec::new();
    for sub in ["typst", "locales"] {
        files_under(&templates, &templates.join(sub), &mut files);
    }
    let mut code = String::from(
        "/// Built-in template files: (path under templates/, contents).\npub(super) static BUILTIN: &[(&str, &[u8])] = &[\n",
    );
    for f in &files {
        let rel = f.to_string_lossy().replace('\\', "/");
        let abs = templates.join(f);
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.to_string_lossy()
        ));
    }
    code.push_str("];\n");
    fs::write(out_dir.join("builtin_templates.rs"), code).expect("write builtin_templates.rs");

    // 2. The reference .docx, zipped deterministically from templates/docx/reference/.
    let ref_dir = templates.join("docx").join("reference");
    let mut parts = Vec::new();
    files_under(&ref_dir, &ref_dir, &mut parts);
    parts.sort_by_key(|p| {
        let s = p.to_string_lossy().replace('\\', "/");
        // [Content_Types].xml first, as Word and LibreOffice expect.
        (s != "[Content_Types].xml", s)
    });
    let file = fs::File::create(out_dir.join("reference.docx")).expect("create reference.docx");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for p in &parts {
        let name = p.to_string_lossy().replace('\\', "/");
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(&fs::read(ref_dir.join(p)).expect("read reference part"))
            .expect("zip write");
    }
    zip.finish().expect("finish reference.docx");
}
