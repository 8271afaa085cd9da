//! Printing diagnostics: short (`file:line:col: error: message`), human (codespan snippets
//! with a caret and hints), JSON for tools, and GitHub Actions annotations.

use super::*;

/// One line per problem, like a compiler's short format.
pub fn render_short(diags: &[Diagnostic]) -> String {
    let mut s = String::new();
    for d in diags {
        let sev = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match d.position() {
            Some(pos) => s.push_str(&format!("{pos}: {sev}: {}", d.message)),
            None => s.push_str(&format!("{sev}: {}", d.message)),
        }
        if let Some(hint) = &d.hint {
            s.push_str(&format!(" (hint: {hint})"));
        }
        s.push('\n');
    }
    s
}

/// GitHub Actions workflow commands, one line per problem: `::error file=F,line=L,col=C,
/// endLine=…,endColumn=…,title=deca::message`, the hint on a second line of the message.
pub fn render_github(diags: &[Diagnostic]) -> String {
    // The escapes GitHub's runner undoes: `%`, CR and LF everywhere, and `:` and `,` in
    // properties, which would otherwise end them.
    fn data(s: &str) -> String {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    for d in diags {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(path) = d.path() {
            props.push(format!(
                "file={}",
                property(&path.display().to_string().replace('\\', "/"))
            ));
        }
        if let Some(loc) = &d.location {
            let (line, col) = loc.line_col();
            let (end_line, end_col) = loc.file.line_col(loc.end);
            props.push(format!("line={line},col={col}"));
            props.push(format!("endLine={end_line},endColumn={end_col}"));
        }
        props.push("title=deca".to_string());
        let mut message = d.message.clone();
        if let Some(h) = &d.hint {
            message.push_str(&format!("\nhint: {h}"));
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            data(&message)
        ));
    }
    out
}

/// Whether to annotate for GitHub Actions without being asked: its runner sets
/// `GITHUB_ACTIONS=true` in every step.
pub fn on_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// The JSON form of one diagnostic, also used by `deca build --json` events.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// `error` or `warning`.
    pub severity: Severity,
    /// What is wrong, as [`Diagnostic::message`].
    pub message: String,
    /// The file's path as shown to the user, when the problem is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line of the start, when there is a position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column of the start, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// 1-based line of the end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    /// 1-based column of the end, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<usize>,
    /// The short label under the caret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Other places worth showing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonRelated>,
}

/// The JSON form of a second place a diagnostic points at.
#[derive(Debug, Serialize)]
pub struct JsonRelated {
    /// What is there: "first defined here".
    pub message: String,
    /// The file's path as shown to the user.
    pub file: String,
    /// 1-based line of the place's start.
    pub line: usize,
    /// 1-based column of the place's start, in characters.
    pub column: usize,
}

impl Diagnostic {
    /// The JSON form of this diagnostic: positions as 1-based lines and character columns.
    pub fn to_json(&self) -> JsonDiagnostic {
        let (line, column, end_line, end_column) = match &self.location {
            Some(loc) => {
                let (l, c) = loc.line_col();
                let (el, ec) = loc.file.line_col(loc.end);
                (Some(l), Some(c), Some(el), Some(ec))
            }
            None => (None, None, None, None),
        };
        JsonDiagnostic {
            severity: self.severity,
            message: self.message.clone(),
            file: self.path().map(|p| p.display().to_string()),
            line,
            column,
            end_line,
            end_column,
            label: self.label.clone(),
            hint: self.hint.clone(),
            related: self
                .related
                .iter()
                .map(|r| {
                    let (line, column) = r.location.line_col();
                    JsonRelated {
                        message: r.message.clone(),
                        file: r.location.file.path.display().to_string(),
                        line,
                        column,
                    }
                })
                .collect(),
        }
    }
}

/// Renders diagnostics as a pretty JSON array.
pub fn render_json(diags: &[Diagnostic]) -> String {
    let list: Vec<JsonDiagnostic> = diags.iter().map(Diagnostic::to_json).collect();
    serde_json::to_string_pretty(&list).expect("diagnostics serialize to JSON") + "\n"
}

/// Renders diagnostics for people into a string (no colour): the snippet form.
pub fn render_plain(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let (files, cs) = to_codespan(d);
        let _ = term::emit_to_string(&mut out, &config(), &files, &cs);
    }
    out
}

/// Prints diagnostics to standard error for a person, in colour on a terminal (unless
/// NO_COLOR): the one way commands report a problem.
pub fn report(diags: &[Diagnostic]) {
    eprint_human(diags, crate::ui::color_stderr());
}

/// Prints diagnostics for people on standard error, coloured when `color` is set.
pub fn eprint_human(diags: &[Diagnostic], color: bool) {
    use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
    use codespan_reporting::term::{Styles, StylesWriter};
    if !color {
        eprint!("{}", render_plain(diags));
        return;
    }
    let stream = StandardStream::stderr(ColorChoice::Always);
    let mut lock = stream.lock();
    let styles = Styles::default();
    for d in diags {
        let (files, cs) = to_codespan(d);
        let mut w = StylesWriter::new(&mut lock, &styles);
        let _ = term::emit_to_write_style(&mut w, &config(), &files, &cs);
    }
    let _ = lock.flush();
}

fn config() -> Config {
    Config {
        chars: Chars::ascii(),
        ..Config::default()
    }
}

type Files = SimpleFiles<String, Arc<str>>;

/// Builds codespan's view of one diagnostic: the files it points into and its labels.
fn to_codespan(d: &Diagnostic) -> (Files, CsDiagnostic<usize>) {
    let mut files = SimpleFiles::new();
    let mut ids: Vec<(*const SourceFile, usize)> = Vec::new();
    let mut id_of = |f: &Arc<SourceFile>, files: &mut Files| {
        let key = Arc::as_ptr(f);
        if let Some((_, id)) = ids.iter().find(|(k, _)| *k == key) {
            *id
        } else {
            let id = files.add(f.path.display().to_string(), f.text.clone());
            ids.push((key, id));
            id
        }
    };
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let mut message = d.message.clone();
    let mut labels = Vec::new();
    if let Some(loc) = &d.location {
        let id = id_of(&loc.file, &mut files);
        let mut label = Label::primary(id, visible_range(loc));
        if let Some(l) = &d.label {
            label = label.with_message(l.clone());
        }
        labels.push(label);
    } else if let Some(file) = &d.file {
        message = format!("{}: {message}", file.display());
    }
    for r in &d.related {
        let id = id_of(&r.location.file, &mut files);
        labels
            .push(Label::secondary(id, visible_range(&r.location)).with_message(r.message.clone()));
    }
    let mut cs = CsDiagnostic::new(severity)
        .with_message(message)
        .with_labels(labels);
    if let Some(h) = &d.hint {
        cs = cs.with_notes(vec![format!("hint: {h}")]);
    }
    (files, cs)
}

/// A range of at least one character, so the caret is visible even for an empty span.
fn visible_range(loc: &Location) -> std::ops::Range<usize> {
    let text = &loc.file.text;
    if loc.end > loc.start {
        return loc.start..loc.end;
    }
    let next = text[loc.start..].chars().next().map_or(0, char::len_utf8);
    loc.start..loc.start + next
}
