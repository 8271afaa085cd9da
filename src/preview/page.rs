//! The preview's HTTP routes and its one page:
//! - `/`: the page (list on the left, pages on the right, errors above them);
//! - `/view?doc=ID`: what the page shows for a document, as JSON;
//! - `/page?doc=ID&n=N&g=GEN`: one page as PNG;
//! - `/download?doc=ID&format=pdf|docx`: the current file;
//! - `/events`: server-sent events, one per rebuild.

use std::io::Cursor;

use serde_json::json;
use tiny_http::{Header, Request, Response, StatusCode};

use super::render::{DocId, page_png};
use super::state::State;
use crate::diag::{self, Diagnostic};

/// Pixels per point for page images: sharp on a high-density screen, small enough to be quick.
const ZOOM: f64 = 2.0;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn respond(request: Request, status: u16, kind: &str, body: Vec<u8>) {
    let len = body.len();
    let response = Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", kind),
            header("Cache-Control", "no-store"),
        ],
        Cursor::new(body),
        Some(len),
        None,
    );
    let _ = request.respond(response);
}

fn query(url: &str, key: &str) -> Option<String> {
    let (_, q) = url.split_once('?')?;
    q.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| decode(v))
    })
}

/// Percent-decoding of a query value (ids are ASCII; `+` is a space).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                Ok(b) => {
                    out.push(b);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(super) fn handle(state: &State, request: Request) {
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or("/");
    match path {
        "/" => respond(
            request,
            200,
            "text/html; charset=utf-8",
            PAGE.as_bytes().to_vec(),
        ),
        "/view" => {
            let body = view(state, query(&url, "doc").map(DocId));
            respond(
                request,
                200,
                "application/json",
                body.to_string().into_bytes(),
            );
        }
        "/page" => {
            let (Some(id), Some(n)) = (
                query(&url, "doc"),
                query(&url, "n").and_then(|n| n.parse::<usize>().ok()),
            ) else {
                return respond(request, 400, "text/plain", b"missing doc or n".to_vec());
            };
            let png = state
                .document(&DocId(id))
                .and_then(|(_, outcome)| match &*outcome {
                    Ok(r) => page_png(&r.doc, n, ZOOM),
                    Err(_) => None,
                });
            match png {
                Some(png) => respond(request, 200, "image/png", png),
                None => respond(request, 404, "text/plain", b"no such page".to_vec()),
            }
        }
        "/download" => download(state, request, &url),
        "/events" => {
            let response = Response::empty(200)
                .with_header(header("Content-Type", "text/event-stream"))
                .with_header(header("Cache-Control", "no-store"));
            let generation = state.session().0;
            let stream = request.upgrade("sse", response);
            state.events.add(Box::new(stream), generation);
        }
        _ => respond(request, 404, "text/plain", b"not found".to_vec()),
    }
}

fn download(state: &State, request: Request, url: &str) {
    let (Some(id), Some(format)) = (query(url, "doc"), query(url, "format")) else {
        return respond(
            request,
            400,
            "text/plain",
            b"missing doc or format".to_vec(),
        );
    };
    let id = DocId(id);
    let Some((_, outcome)) = state.document(&id) else {
        return respond(request, 409, "text/plain", b"the data has errors".to_vec());
    };
    let Ok(rendered) = &*outcome else {
        return respond(
            request,
            409,
            "text/plain",
            b"the document has errors".to_vec(),
        );
    };
    let stem = id.0.replace('/', "-");
    let (bytes, kind) = match format.as_str() {
        "pdf" => (rendered.pdf.clone(), "application/pdf"),
        "docx" => {
            let Ok(session) = state.session().1 else {
                return respond(request, 409, "text/plain", b"the data has errors".to_vec());
            };
            match session.docx(rendered) {
                Ok(b) => (
                    b,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ),
                Err(d) => {
                    return respond(
                        request,
                        500,
                        "text/plain",
                        diag::render_plain(&d).into_bytes(),
                    );
                }
            }
        }
        _ => {
            return respond(
                request,
                400,
                "text/plain",
                b"format is pdf or docx".to_vec(),
            );
        }
    };
    let response = Response::new(
        StatusCode(200),
        vec![
            header("Content-Type", kind),
            header(
                "Content-Disposition",
                &format!("attachment; filename=\"{stem}.{format}\""),
            ),
        ],
        Cursor::new(bytes.clone()),
        Some(bytes.len()),
        None,
    );
    let _ = request.respond(response);
}

/// Problems as the page lists them: place, message, hint, and the snippet as a terminal shows it.
fn problems(diags: &[Diagnostic]) -> serde_json::Value {
    diags
        .iter()
        .map(|d| {
            json!({
                "severity": if d.is_error() { "error" } else { "warning" },
                "position": d.position(),
                "message": d.message,
                "hint": d.hint,
                "snippet": diag::render_plain(std::slice::from_ref(d)),
            })
        })
        .collect()
}

/// What the page shows: the list, and the selected document's pages or its problems.
fn view(state: &State, asked: Option<DocId>) -> serde_json::Value {
    let (generation, session) = state.session();
    let session = match session {
        Ok(s) => s,
        Err(errors) => {
            return json!({
                "generation": generation,
                "documents": [],
                "doc": asked,
                "problems": problems(&errors),
            });
        }
    };
    let list = session.list();
    let id = asked
        .filter(|a| list.iter().any(|l| &l.id == a))
        .or_else(|| list.first().map(|l| l.id.clone()));
    let mut out = json!({
        "generation": generation,
        "documents": list,
        "doc": id,
        "problems": problems(&session.warnings),
    });
    let Some(id) = id else { return out };
    let Some((generation, outcome)) = state.document(&id) else {
        return out;
    };
    out["generation"] = json!(generation);
    match &*outcome {
        Ok(r) => {
            let mut all = session.warnings.clone();
            all.extend(r.warnings.iter().cloned());
            out["problems"] = problems(&all);
            let q = id.0.replace('/', "%2F");
            out["pages"] = r
                .doc
                .pages()
                .iter()
                .enumerate()
                .map(|(n, page)| {
                    let size = page.frame.size();
                    json!({
                        "src": format!("/page?doc={q}&n={n}&g={generation}"),
                        "width": size.x.to_pt(),
                        "height": size.y.to_pt(),
                        "text": r.texts.get(n).cloned().unwrap_or_default(),
                    })
                })
                .collect();
            out["scale"] = json!(r.scale);
            out["pdf"] = json!(format!("/download?doc={q}&format=pdf"));
            out["docx"] = json!(format!("/download?doc={q}&format=docx"));
        }
        Err(d) => {
            let mut all = session.warnings.clone();
            all.extend(d.iter().cloned());
            out["problems"] = problems(&all);
        }
    }
    out
}

const PAGE: &str = include_str!("page.html");
