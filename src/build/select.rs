//! Which documents a build makes: the selection flags, checked against the assessment so a
//! misspelt id is a usage error with a suggestion rather than an empty build.

use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use crate::edition::{Kind, OutputFormat};
use crate::model::Assessment;
use crate::plan::Target;
use crate::suggest;

/// The documents and formats a run makes.
#[derive(Debug, Clone)]
pub(crate) struct Selection {
    pub kinds: Vec<Kind>,
    pub priorities: Vec<String>,
    pub recommendations: Vec<String>,
    pub langs: Vec<String>,
    pub formats: Vec<OutputFormat>,
}

impl Selection {
    /// From the flags. `--priority` alone means its briefs; `--recommendation` alone, its
    /// one-pagers; with `--kind` too, the kinds given.
    pub(crate) fn from_args(args: &BuildArgs) -> Selection {
        let mut kinds = args.kinds.clone();
        if kinds.is_empty() {
            if !args.priority.is_empty() {
                kinds.push(Kind::Brief);
            }
            if !args.recommendation.is_empty() {
                kinds.push(Kind::Onepager);
            }
        }
        if kinds.is_empty() {
            kinds = Kind::ALL.to_vec();
        }
        kinds.sort();
        kinds.dedup();
        let mut formats = args.formats.clone();
        if formats.is_empty() {
            formats = vec![OutputFormat::Pdf, OutputFormat::Docx];
        }
        formats.sort();
        formats.dedup();
        Selection {
            kinds,
            priorities: args.priority.clone(),
            recommendations: args.recommendation.clone(),
            langs: args.langs.clone(),
            formats,
        }
    }

    /// Every document, in every language and format.
    pub(crate) fn everything() -> Selection {
        Selection {
            kinds: Kind::ALL.to_vec(),
            priorities: Vec::new(),
            recommendations: Vec::new(),
            langs: Vec::new(),
            formats: vec![OutputFormat::Pdf, OutputFormat::Docx],
        }
    }

    /// Ids and languages must exist in the assessment.
    pub(crate) fn check(&self, a: &Assessment) -> Result<(), Diagnostic> {
        let unknown = |what: &str, flag: &str, given: &str, known: Vec<&str>| {
            let hint = match suggest::did_you_mean(given, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("{what}s of `{}`: {}", a.name, suggest::list(&known)),
            };
            Err(Diagnostic::error(format!("unknown {what} `{given}` for {flag}")).hint(hint))
        };
        for p in &self.priorities {
            if a.priority(p).is_none() {
                return unknown(
                    "priority",
                    "--priority",
                    p,
                    a.priorities.iter().map(|x| x.id.value.as_str()).collect(),
                );
            }
        }
        for r in &self.recommendations {
            if a.recommendation(r).is_none() {
                return unknown(
                    "recommendation",
                    "--recommendation",
                    r,
                    a.recommendations
                        .iter()
                        .map(|x| x.id.value.as_str())
                        .collect(),
                );
            }
        }
        for l in &self.langs {
            if !a.languages().contains(&l.as_str()) {
                return unknown("language", "--lang", l, a.languages());
            }
        }
        Ok(())
    }

    /// The languages to build, in the assessment's order.
    pub(crate) fn langs(&self, a: &Assessment) -> Vec<String> {
        a.languages()
            .into_iter()
            .filter(|l| self.langs.is_empty() || self.langs.iter().any(|x| x == l))
            .map(str::to_string)
            .collect()
    }

    /// Whether a document is selected.
    pub(crate) fn wants(&self, t: &Target) -> bool {
        if !self.kinds.contains(&t.kind) {
            return false;
        }
        match (t.kind, &t.item) {
            (Kind::Brief, Some(id)) => self.priorities.is_empty() || self.priorities.contains(id),
            (Kind::Onepager, Some(id)) => {
                self.recommendations.is_empty() || self.recommendations.contains(id)
            }
            _ => true,
        }
    }
}
