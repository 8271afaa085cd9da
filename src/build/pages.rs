//! The report's page map during a run: one cell per assessment and language, filled once.
//!
//! When the run builds the report, the report fills the cell and the documents citing its
//! pages wait for it. Otherwise the first document that needs the map learns it — from watch's
//! memory, the on-disk cache (see `pagecache`), or a layout-only compile of the report, in that
//! order — while the others wait for that one.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};

use super::pagecache;
use super::prepare::Prepared;
use crate::edition::Kind;
use crate::render::PageMap;

/// Where a page map came from, for the `page-map` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MapSource {
    /// The report built in this run.
    Report,
    /// Kept in memory from an earlier run (watch).
    Memory,
    /// The on-disk cache.
    Cache,
    /// A layout-only compile of the report.
    Compiled,
}

impl MapSource {
    pub(super) fn name(self) -> &'static str {
        match self {
            MapSource::Report => "report",
            MapSource::Memory => "memory",
            MapSource::Cache => "cache",
            MapSource::Compiled => "compiled",
        }
    }
}

enum State {
    Empty,
    /// A task is learning the map.
    Learning,
    /// Known (`None`: the report failed).
    Ready(Option<Arc<PageMap>>),
}

/// A language's report page map, filled once.
pub(super) struct Cell {
    pub assessment: String,
    pub lang: String,
    /// The map's key by the assessment's inputs (found without planning the report).
    pub inputs_key: String,
    /// Whether this run builds the report, which then fills the cell.
    pub report_in_run: bool,
    state: Mutex<State>,
    ready: Condvar,
}

impl Cell {
    pub(super) fn new(p: &Prepared, lang: &str, report_in_run: bool) -> Cell {
        Cell {
            assessment: p.assessment.name.clone(),
            lang: lang.to_string(),
            inputs_key: pagecache::inputs_key(&p.inputs_digest, lang),
            report_in_run,
            state: Mutex::new(State::Empty),
            ready: Condvar::new(),
        }
    }

    /// Fills the cell; the first fill wins.
    pub(super) fn set(&self, map: Option<Arc<PageMap>>) {
        let mut s = self.state.lock().expect("cell lock");
        if !matches!(*s, State::Ready(_)) {
            *s = State::Ready(map);
            self.ready.notify_all();
        }
    }

    /// The map: waits for the report of this run, or learns it with `learn` (in one task
    /// only; the others wait for it).
    pub(super) fn get(&self, learn: impl FnOnce() -> Option<Arc<PageMap>>) -> Option<Arc<PageMap>> {
        let mut s = self.state.lock().expect("cell lock");
        loop {
            match &*s {
                State::Ready(m) => return m.clone(),
                State::Empty if !self.report_in_run => {
                    *s = State::Learning;
                    drop(s);
                    let map = learn();
                    self.set(map.clone());
                    return map;
                }
                State::Empty | State::Learning => s = self.ready.wait(s).expect("cell lock"),
            }
        }
    }
}

/// Maps learnt or made during a run, by every key they are known under: watch keeps them.
#[derive(Default)]
pub(super) struct Learnt {
    maps: Mutex<Vec<(Vec<String>, Arc<PageMap>)>>,
}

impl Learnt {
    pub(super) fn add(&self, keys: Vec<String>, map: Arc<PageMap>) {
        for k in &keys {
            pagecache::store(k, &map);
        }
        self.maps.lock().expect("learnt lock").push((keys, map));
    }

    /// Moves what was learnt into `memory`.
    pub(super) fn into_memory(self, memory: &mut HashMap<String, Arc<PageMap>>) {
        for (keys, map) in self.maps.into_inner().expect("learnt lock") {
            for k in keys {
                memory.insert(k, map.clone());
            }
        }
    }
}

/// The key of a report's map by its own IR.
pub(super) fn report_key(p: &Prepared, report_ir: &[u8]) -> String {
    pagecache::key(&p.digests[&Kind::Report], report_ir)
}
