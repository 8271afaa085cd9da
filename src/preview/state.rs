//! What the preview knows at one moment: the loaded session (or the errors that stopped it),
//! a generation number that changes with every save, the documents compiled for it, and the
//! report page maps other documents print. A save reloads the data, recompiles the documents
//! someone is looking at, and only then tells the pages, so their refresh is instant.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::events::Events;
use super::render::{DocId, Rendered, Session};
use crate::cli::BuildArgs;
use crate::diag::{DResult, Diagnostic};
use crate::render::typst::PageMap;

/// A compile's result, shared with the requests that show it.
pub(super) type Outcome = Arc<DResult<Rendered>>;

pub(super) struct Inner {
    pub generation: u64,
    pub session: Result<Arc<Session>, Arc<Vec<Diagnostic>>>,
    cache: HashMap<DocId, Outcome>,
    /// Page maps by `assessment/lang`, with the generation they were computed at.
    maps: HashMap<String, (u64, Option<PageMap>)>,
    /// Documents a page has asked for: recompiled first after a save.
    pub shown: BTreeSet<DocId>,
}

pub(super) struct State {
    pub args: BuildArgs,
    pub inner: Mutex<Inner>,
    /// One compile at a time: the machine's cores go to it, and no document is made twice.
    compiling: Mutex<()>,
    pub events: Events,
}

/// Whether a changed file is one deca reads (not an editor's swap or backup file).
pub(super) fn relevant(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    if name.starts_with('.') || name.ends_with('~') {
        return false;
    }
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "typ" | "png" | "jpg" | "jpeg" | "svg" | "docx" | "toml")
    )
}

fn map_key(id: &DocId) -> String {
    id.0.splitn(3, '/').take(2).collect::<Vec<_>>().join("/")
}

impl State {
    pub(super) fn new(args: BuildArgs) -> State {
        State {
            args,
            inner: Mutex::new(Inner {
                generation: 0,
                session: Err(Arc::new(Vec::new())),
                cache: HashMap::new(),
                maps: HashMap::new(),
                shown: BTreeSet::new(),
            }),
            compiling: Mutex::new(()),
            events: Events::default(),
        }
    }

    /// Reloads data and templates after a save, recompiles what is shown, then tells the pages.
    pub(super) fn reload(&self) {
        let session = Session::load(&self.args).map(Arc::new).map_err(Arc::new);
        let (generation, shown) = {
            let mut inner = self.inner.lock().expect("preview state");
            inner.generation += 1;
            inner.session = session;
            inner.cache.clear();
            (inner.generation, inner.shown.clone())
        };
        for id in &shown {
            self.document(id);
        }
        self.events.send(generation);
        // The fast path used the last page maps; check them now, and redo what they change.
        for id in &shown {
            self.refresh_map(id, generation);
        }
    }

    /// The session of this moment.
    pub(super) fn session(&self) -> (u64, Result<Arc<Session>, Arc<Vec<Diagnostic>>>) {
        let inner = self.inner.lock().expect("preview state");
        (inner.generation, inner.session.clone())
    }

    /// The compiled document, compiling it when this generation has not yet.
    pub(super) fn document(&self, id: &DocId) -> Option<(u64, Outcome)> {
        let _turn = self.compiling.lock().expect("compile lock");
        let (generation, session, cached, map) = {
            let mut inner = self.inner.lock().expect("preview state");
            inner.shown.insert(id.clone());
            let map = inner.maps.get(&map_key(id)).map(|(_, m)| m.clone());
            (
                inner.generation,
                inner.session.clone(),
                inner.cache.get(id).cloned(),
                map,
            )
        };
        if let Some(c) = cached {
            return Some((generation, c));
        }
        let session = session.ok()?;
        let map = match map {
            Some(m) => m,
            None => match session.report_pages(id) {
                Ok(m) => {
                    let mut inner = self.inner.lock().expect("preview state");
                    inner.maps.insert(map_key(id), (generation, m.clone()));
                    m
                }
                Err(d) => {
                    return Some((generation, self.store(generation, id, Err(d))));
                }
            },
        };
        let result = session.document(id, map.as_ref());
        Some((generation, self.store(generation, id, result)))
    }

    fn store(&self, generation: u64, id: &DocId, result: DResult<Rendered>) -> Outcome {
        let outcome = Arc::new(result);
        let mut inner = self.inner.lock().expect("preview state");
        if inner.generation == generation {
            inner.cache.insert(id.clone(), outcome.clone());
        }
        outcome
    }

    /// Recomputes a document's report page map for this generation; when it changed, the
    /// documents printing it are recompiled and the pages told again.
    fn refresh_map(&self, id: &DocId, generation: u64) {
        let key = map_key(id);
        let (session, old) = {
            let inner = self.inner.lock().expect("preview state");
            match inner.maps.get(&key) {
                Some((g, _)) if *g == generation => return,
                Some((_, m)) => (inner.session.clone(), m.clone()),
                None => return,
            }
        };
        let Ok(session) = session else { return };
        let Ok(new) = session.report_pages(id) else {
            return;
        };
        let changed = new != old;
        let shown = {
            let mut inner = self.inner.lock().expect("preview state");
            if inner.generation != generation {
                return;
            }
            inner.maps.insert(key.clone(), (generation, new));
            if changed {
                inner.cache.retain(|d, _| map_key(d) != key);
            }
            inner.shown.clone()
        };
        if changed {
            for d in shown.iter().filter(|d| map_key(d) == key) {
                self.document(d);
            }
            self.events.send(generation);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_not_changes() {
        assert!(relevant(Path::new("data/peru/findings.yaml")));
        assert!(relevant(Path::new("data/templates/typst/onepager.typ")));
        assert!(relevant(Path::new("deca.toml")));
        assert!(!relevant(Path::new("data/peru/.findings.yaml.swp")));
        assert!(!relevant(Path::new("data/peru/findings.yaml~")));
        assert!(!relevant(Path::new("output/manifest.json")));
    }

    #[test]
    fn a_page_map_belongs_to_an_assessment_and_language() {
        assert_eq!(
            map_key(&DocId("peru/es/onepager-rural-access".into())),
            "peru/es"
        );
    }
}
