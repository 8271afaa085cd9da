//! deca's Typst world. It serves exactly: the template files in effect (from memory), the
//! document's IR as `/ir.json`, the report's page map as `/pages.json`, the assessment's
//! images under `/assets/`, the bundled fonts, and a fixed date. There is no file system, no package, no network and no clock behind it:
//! anything else a template asks for is denied.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::templates::TemplateSet;

/// Fonts shared by every compilation: the bundled ones plus any in template folders.
pub struct Fonts {
    /// Typst's index of the fonts, for looking families and styles up.
    pub book: LazyHash<FontBook>,
    /// The fonts themselves: the book's indices point into this list.
    pub fonts: Vec<Font>,
}

impl Fonts {
    /// Bundled fonts, plus `fonts/*.ttf|otf` from the templates in effect.
    pub fn new(templates: &TemplateSet) -> Fonts {
        let (_, bundled) = crate::fonts::bundled();
        let mut fonts = bundled.clone();
        for (path, file) in &templates.files {
            let lower = path.to_lowercase();
            if lower.starts_with("fonts/") && (lower.ends_with(".ttf") || lower.ends_with(".otf")) {
                fonts.extend(Font::iter(Bytes::new(file.bytes.to_vec())));
            }
        }
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }
}

/// What is shared across documents: library, fonts, templates, and the templates parsed.
pub struct Shared {
    /// Typst's standard library, built once.
    pub library: LazyHash<Library>,
    /// The bundled fonts and those in the template folders.
    pub fonts: Fonts,
    /// The template files in effect.
    pub templates: TemplateSet,
    /// Templates parsed once for every document: they do not change within a session.
    sources: Mutex<HashMap<FileId, Source>>,
}

impl Shared {
    /// Everything documents share for this template set, with its fonts loaded.
    pub fn new(templates: TemplateSet) -> Shared {
        Shared {
            library: LazyHash::new(Library::default()),
            fonts: Fonts::new(&templates),
            templates,
            sources: Mutex::new(HashMap::new()),
        }
    }
}

/// The files of one compilation besides the templates.
pub struct Inputs {
    /// Served as `/ir.json`.
    pub ir: Bytes,
    /// Served as `/pages.json`.
    pub pages: Bytes,
    /// Served under `/assets/` (keys are the paths after it).
    pub assets: Arc<HashMap<String, Bytes>>,
}

/// One compilation's world.
pub struct DecaWorld {
    shared: Arc<Shared>,
    main: FileId,
    inputs: Inputs,
    today: Datetime,
}

/// The file id of a virtual path in the project root.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("deca's own virtual paths are valid");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl DecaWorld {
    /// A world whose main file is `main` (a template path such as `typst/report.typ`).
    pub fn new(shared: Arc<Shared>, main: &str, inputs: Inputs, today: Datetime) -> Self {
        DecaWorld {
            shared,
            main: file_id(&format!("/{main}")),
            inputs,
            today,
        }
    }

    /// The template path (under templates/) of a file id, when it is a template.
    pub fn template_path(id: FileId) -> Option<String> {
        let rooted = id.get();
        if !matches!(rooted.root(), VirtualRoot::Project) {
            return None;
        }
        Some(rooted.vpath().get_without_slash().to_string())
    }

    /// Where a template file comes from (built-in or an override folder).
    pub fn template_origin(&self, path: &str) -> Option<crate::templates::Origin> {
        self.shared.templates.get(path).map(|f| f.origin.clone())
    }

    fn bytes(&self, id: FileId) -> FileResult<Bytes> {
        let rooted = id.get();
        if let VirtualRoot::Package(spec) = rooted.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!(
                    "packages are not available: deca works offline and serves no packages ({spec})"
                )
                .into(),
            ))));
        }
        let path = rooted.vpath().get_with_slash();
        match path {
            "/ir.json" => return Ok(self.inputs.ir.clone()),
            "/pages.json" => return Ok(self.inputs.pages.clone()),
            _ => {}
        }
        if let Some(b) = path
            .strip_prefix("/assets/")
            .and_then(|p| self.inputs.assets.get(p))
        {
            return Ok(b.clone());
        }
        match self
            .shared
            .templates
            .get(rooted.vpath().get_without_slash())
        {
            Some(f) => Ok(Bytes::new(f.bytes.to_vec())),
            None => Err(FileError::AccessDenied),
        }
    }
}

impl World for DecaWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let mut cache = self.shared.sources.lock().expect("source cache lock");
        if let Some(s) = cache.get(&id) {
            return Ok(s.clone());
        }
        let path = id.get().vpath().get_with_slash().to_string();
        if !path.ends_with(".typ") {
            return Err(FileError::NotSource);
        }
        let bytes = self.bytes(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        let source = Source::new(id, text.to_string());
        cache.insert(id, source.clone());
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.bytes(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
