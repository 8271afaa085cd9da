//! `deca init DIR --country NAME`: a new assessment folder with placeholder content that passes
//! `deca check`, schema modelines for editors, and a README for its authors.

use crate::diag::{Diagnostic, report};
use std::path::Path;

use crate::cli::InitArgs;
use crate::exit;

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn files(country: &str, date: &str) -> Vec<(&'static str, String)> {
    let c = yaml_string(country);
    let modeline =
        |kind: &str| format!("# yaml-language-server: $schema=../schema/{kind}.schema.json\n");
    vec![
        (
            "assessment.yaml",
            format!(
                r#"{}country: {c}
title: {t}
subtitle: Opportunities and risks in the digital ecosystem
date: {date}
languages: [en]
status: Draft. The findings and recommendations are placeholders to be replaced by the assessment team.
team:
  - name: Assessment team
    role: Authors
method:
  summary: |
    Describe how the assessment was made: desk research, consultations and interviews.
  interviews: 0
  focus-groups: 0
  fieldwork:
    start: {date}
    end: {date}
pillars:
  - id: infrastructure
    number: 1
    title: Digital Infrastructure and Adoption
  - id: society
    number: 2
    title: Digital Society, Rights, and Governance
  - id: economy
    number: 3
    title: Digital Economy
executive-summary: |
  Summarise the assessment in a few paragraphs. Cite sources like this [@example-source].
keywords: [{c}, Digital Ecosystem Country Assessment]
"#,
                modeline("assessment"),
                t = yaml_string(&format!("{country} Digital Ecosystem Country Assessment")),
            ),
        ),
        (
            "priorities.yaml",
            format!(
                "{}priorities:\n  - id: first-priority\n    title: First priority\n    description: |\n      Describe one priority of the country office.\n",
                modeline("priorities")
            ),
        ),
        (
            "findings.yaml",
            format!(
                r#"{}findings:
  - id: first-finding
    number: 1
    pillar: infrastructure
    title: State the first finding in one sentence.
    summary: |
      Summarise the finding in one paragraph.
    body: |
      Write the finding in full, citing sources [@example-source].
    priorities: [first-priority]
    indicators: [example-indicator]
    sources: [example-source]
"#,
                modeline("findings")
            ),
        ),
        (
            "recommendations.yaml",
            format!(
                r#"{}recommendations:
  - id: first-recommendation
    number: 1
    title: State the first recommendation as an action
    summary: Say in one sentence what should be done.
    rationale: |
      Explain why it matters.
    actions:
      - A first concrete action.
    actors:
      - Who should act
    timeframe: Short term (1–2 years)
    findings: [first-finding]
    priorities: [first-priority]
    pillar: infrastructure
"#,
                modeline("recommendations")
            ),
        ),
        (
            "indicators.yaml",
            format!(
                r#"{}indicators:
  - id: example-indicator
    label: Example indicator
    unit: "%"
    format: percent
    chart: bar
    categories: [Urban, Rural]
    axis: Area
    series:
      - label: "2024"
        values: [60.0, 30.0]
    source: example-source
    note: Replace with a real indicator and its source.
"#,
                modeline("indicators")
            ),
        ),
        (
            "sources.yaml",
            format!(
                r#"{}sources:
  - id: example-source
    publisher: Example publisher
    title: Example source title
    year: 2024
    url: https://example.org/
    accessed: {date}
    cite-as: Example 2024
"#,
                modeline("sources")
            ),
        ),
        (
            "theme.yaml",
            format!(
                "{}colors:\n  primary: \"#002F6C\"\n  accent: \"#BA0C2F\"\nfonts:\n  heading: Carlito\n  body: Caladea\n",
                modeline("theme")
            ),
        ),
        (
            "README.md",
            format!(
                r#"# {country} — assessment data

This folder is a Digital Ecosystem Country Assessment for deca. Each file holds one part:

- `assessment.yaml` — title, date, languages, method, pillars, executive summary
- `priorities.yaml` — the country office's priorities (each gets a brief)
- `findings.yaml` — the key findings, numbered 1, 2, 3...
- `recommendations.yaml` — the recommendations (each gets a one-page summary)
- `indicators.yaml` — figures drawn as charts, with their sources
- `sources.yaml` — everything cited, cited in text as `[@source-id]`
- `theme.yaml` — brand colours, fonts and logo

Text fields take a plain string, or one string per language:

```yaml
title:
  en: Weak capacity to implement digital policy
  es: Débil capacidad para implementar la política digital
```

Check your edits with `deca check {slug}` and build the documents with `deca build {slug}`.
An editor with YAML language server support (VS Code's YAML extension, for one) completes and
checks fields as you type, through the schema named on each file's first line.
"#,
                slug = "THIS_FOLDER"
            ),
        ),
    ]
}

/// A folder beside `taken`, named after the country, that does not exist yet (numbered when
/// the plain name is taken too), so the hint can be followed as written.
fn free_folder(taken: &Path, country: &str) -> std::path::PathBuf {
    let parent = taken.parent().unwrap_or(Path::new(""));
    let stem = match slug(country) {
        s if s.is_empty() => "assessment".to_string(),
        s => s,
    };
    (1..)
        .map(|n| match n {
            1 => parent.join(&stem),
            n => parent.join(format!("{stem}-{n}")),
        })
        .find(|p| !p.exists())
        .expect("some numbered folder is free")
}

pub(super) fn run(args: &InitArgs) -> u8 {
    let dir = &args.dir;
    if dir.exists() && std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_some()) {
        report(&[
            Diagnostic::error(format!("`{}` exists and is not empty", dir.display())).hint(
                format!(
                    "choose a new folder, e.g. {}",
                    free_folder(dir, &args.country).display()
                ),
            ),
        ]);
        return exit::USAGE;
    }
    if args.country.trim().is_empty() {
        report(&[Diagnostic::error("--country must not be empty")]);
        return exit::USAGE;
    }
    let today = time::OffsetDateTime::now_utc().date();
    let date = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let shown = dir.display().to_string();
    for (name, text) in files(&args.country, &date) {
        let text = text.replace("THIS_FOLDER", &shown);
        if let Err(e) = crate::atomic::write(&dir.join(name), text.as_bytes()) {
            report(&[Diagnostic::error(format!(
                "failed to write `{}` ({e})",
                dir.join(name).display()
            ))]);
            return exit::FAILED;
        }
    }
    // The schemas the modelines point to, beside the assessment folders.
    let schema_dir = dir.parent().unwrap_or(Path::new(".")).join("schema");
    for (name, text) in crate::model::schema::all() {
        let path = schema_dir.join(&name);
        if !path.exists()
            && let Err(e) = crate::atomic::write(&path, text.as_bytes())
        {
            report(&[Diagnostic::error(format!(
                "failed to write `{}` ({e})",
                path.display()
            ))]);
            return exit::FAILED;
        }
    }
    println!("created {} for {}", dir.display(), args.country);
    println!("next: edit the YAML files, then run `deca check {shown}` and `deca build {shown}`");
    exit::OK
}
