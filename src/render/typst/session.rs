//! What the documents of one assessment share in Typst — the templates in effect, the
//! images, the fixed date and the PDF standards — as the build keeps it, and as it is sent to
//! worker processes (only the templates that differ from the built-in ones travel).

use std::collections::BTreeMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::protocol;
use crate::templates::{Origin, TemplateSet};

/// What the documents of one assessment share: templates, images, date, PDF standards.
pub struct Session {
    pub(super) spec: Arc<protocol::SessionSpec>,
    /// The templates, to locate diagnostics and to emit documents for the Typst CLI.
    pub templates: TemplateSet,
    /// The assessment's images by path under `/assets/`.
    pub assets: BTreeMap<String, Vec<u8>>,
}

/// A date and time, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, from 1.
    pub day: u8,
    /// Hour, 0 to 23.
    pub hour: u8,
    /// Minute, 0 to 59.
    pub minute: u8,
    /// Second, 0 to 59.
    pub second: u8,
}

impl Session {
    /// A session for `templates` and `assets`, dated `today` (also the PDF creation date),
    /// claiming `standards` (deca's names: `ua-1`, `a-2a`, ...).
    pub fn new(
        templates: TemplateSet,
        assets: BTreeMap<String, Vec<u8>>,
        moment: Moment,
        standards: Vec<String>,
    ) -> Session {
        let builtin = TemplateSet::builtin();
        let overrides: Vec<(String, Vec<u8>)> = templates
            .files
            .iter()
            .filter(|(path, _)| path.starts_with("typst/") || path.starts_with("fonts/"))
            .filter(|(_, f)| f.origin != Origin::BuiltIn)
            .map(|(p, f)| (p.clone(), f.bytes.to_vec()))
            .collect();
        let removed: Vec<String> = builtin
            .files
            .keys()
            .filter(|p| !templates.files.contains_key(*p))
            .cloned()
            .collect();
        let mut spec = protocol::SessionSpec {
            id: [0; 32],
            overrides,
            removed,
            assets: assets.iter().map(|(p, b)| (p.clone(), b.clone())).collect(),
            today: (moment.year, moment.month, moment.day),
            timestamp: (
                moment.year,
                moment.month,
                moment.day,
                moment.hour,
                moment.minute,
                moment.second,
            ),
            standards,
        };
        spec.id = Sha256::digest(postcard::to_stdvec(&spec).expect("a session encodes")).into();
        Session {
            spec: Arc::new(spec),
            templates,
            assets,
        }
    }

    /// A digest of everything in the session: same digest, same output for the same IR.
    pub fn id(&self) -> [u8; 32] {
        self.spec.id
    }

    /// The fixed moment documents are dated with.
    pub fn moment(&self) -> Moment {
        let (year, month, day, hour, minute, second) = self.spec.timestamp;
        Moment {
            year,
            month,
            day,
            hour,
            minute,
            second,
        }
    }

    /// The PDF standards claimed, by deca's names.
    pub fn standards(&self) -> &[String] {
        &self.spec.standards
    }
}
