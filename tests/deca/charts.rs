//! Every chart kind the schema accepts draws, in the PDF and in the PNG the DOCX carries, with
//! its words where a reader looks for them: the unit titles the value axis and `axis` titles
//! the category axis, whichever way the bars run. The kinds come from the schema itself, so a
//! new kind without a drawing in the Marenland fixture fails here.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use deca::edition::{Kind, Paper};
use deca::i18n::Locale;
use deca::ir::{Block, Chart};
use deca::model::raw::ChartKind;
use deca::plan::{Ctx, Target};
use deca::render::Raster;
use deca::render::typst::{Moment, RasterCache, Session, Typst, TypstRaster};
use deca::templates::TemplateSet;

use crate::fixture::{marenland_build, marenland_dir};
use crate::support::*;

/// How a kind lays out its two axes. The match has no wildcard: a new kind does not compile
/// until this test says how it is drawn.
#[derive(Debug, PartialEq)]
enum Layout {
    /// Categories side by side along the bottom, values up the side.
    Vertical,
    /// Categories stacked down the left, values along the bottom.
    Horizontal,
}

fn layout(kind: ChartKind) -> Layout {
    match kind {
        ChartKind::Bar | ChartKind::Line => Layout::Vertical,
        ChartKind::HorizontalBar => Layout::Horizontal,
    }
}

/// The chart kinds the data schema accepts, as written in YAML.
fn schema_kinds() -> BTreeSet<String> {
    fn strings(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(s)) = m.get("const") {
                    out.insert(s.clone());
                }
                if let Some(serde_json::Value::Array(a)) = m.get("enum") {
                    out.extend(a.iter().filter_map(|x| x.as_str().map(str::to_string)));
                }
                m.values().for_each(|x| strings(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let schema = serde_json::to_value(schemars::schema_for!(ChartKind)).unwrap();
    let mut out = BTreeSet::new();
    strings(&schema, &mut out);
    out
}

fn kind_of(name: &str) -> ChartKind {
    serde_json::from_value(serde_json::Value::String(name.to_string())).unwrap()
}

/// The Marenland report's charts, planned by the library exactly as `deca build` plans them,
/// with the backend that draws them.
struct Planned {
    session: Arc<Session>,
    typst: Arc<Typst>,
    report: deca::ir::Document,
    /// Each figure's chart and alt text, in document order.
    figures: Vec<(Chart, String)>,
    shell: serde_json::Value,
}

fn planned() -> &'static Planned {
    static P: std::sync::OnceLock<Planned> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        let dir = marenland_dir();
        let loaded = deca::model::load(&dir, Path::new("marenland"));
        let a = loaded.assessment.expect("Marenland is valid");
        let templates = TemplateSet::builtin();
        let (locale, _) = Locale::load(&templates, "en").unwrap();
        let ctx = Ctx {
            a: &a,
            locale: &locale,
            paper: Paper::A4,
        };
        let doc = deca::plan::document(
            &ctx,
            &Target {
                kind: Kind::Report,
                item: None,
            },
        );
        let mut figures = Vec::new();
        deca::ir::visit(&doc.blocks, &mut |b| {
            let mut take = |f: &deca::ir::Figure| {
                if let Some(c) = &f.chart {
                    figures.push(((**c).clone(), f.alt.clone()));
                }
            };
            match b {
                Block::Figure(f) => take(f),
                Block::FigureRow { figures } => figures.iter().for_each(&mut take),
                _ => {}
            }
        });
        let mut shell = serde_json::to_value(&doc).unwrap();
        shell["blocks"] = serde_json::json!([]);
        let day = Moment {
            year: 2025,
            month: 6,
            day: 30,
            hour: 0,
            minute: 0,
            second: 0,
        };
        let session = Session::new(templates, a.assets.clone(), day, Vec::new());
        Planned {
            session: Arc::new(session),
            typst: Arc::new(Typst::in_process(std::time::Duration::from_secs(60))),
            report: doc,
            figures,
            shell,
        }
    })
}

#[test]
fn the_fixture_draws_every_kind_the_schema_accepts() {
    let drawn: BTreeSet<String> = planned()
        .figures
        .iter()
        .map(|(c, _)| c.kind.clone())
        .collect();
    assert_eq!(
        drawn,
        schema_kinds(),
        "tests/fixtures/marenland/indicators.yaml must hold a chart of every kind the schema accepts"
    );
    for (c, _) in &planned().figures {
        // Every kind is also drawn as the test knows it.
        let _ = layout(kind_of(&c.kind));
    }
    assert!(
        planned()
            .figures
            .iter()
            .any(|(c, _)| c.kind == "line" && c.series.len() >= 3),
        "the fixture has a line chart with several series"
    );
    assert!(
        planned()
            .figures
            .iter()
            .any(|(c, _)| c.kind == "bar" && c.series.len() >= 2),
        "the fixture has grouped bars"
    );
}

/// One word of a PDF with its page and position (points from the top left).
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    x: f64,
    y: f64,
    text: String,
}

fn pdf_words(pdf: &Path) -> Vec<Word> {
    let o = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success());
    let html = String::from_utf8_lossy(&o.stdout);
    let attr = |tag: &str, name: &str| -> f64 {
        let k = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[k..k + tag[k..].find('"').unwrap()].parse().unwrap()
    };
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let close = rest.find('>').unwrap();
            let text = rest[close + 1..].trim_end_matches("</word>");
            out.push(Word {
                page,
                x: attr(rest, "xMin"),
                y: attr(rest, "yMin"),
                text: text
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&amp;", "&"),
            });
        }
    }
    out
}

/// The first word of the first run of `words` that reads `phrase`.
fn find<'a>(words: &'a [Word], phrase: &str) -> Option<&'a Word> {
    let want: Vec<&str> = phrase.split_whitespace().collect();
    (0..words.len())
        .find(|&i| {
            want.iter()
                .enumerate()
                .all(|(k, w)| words.get(i + k).is_some_and(|x| x.text == *w))
        })
        .map(|i| &words[i])
}

#[test]
fn every_kind_draws_in_the_pdf_with_its_axis_titles_where_they_belong() {
    if !have(&["pdftotext"]) {
        return;
    }
    let words = pdf_words(&marenland_build().join("marenland/en/report.pdf"));
    for (n, (chart, _)) in planned().figures.iter().enumerate() {
        let name = format!("figure {} ({}, {})", n + 1, chart.kind, chart.title);
        // The number and title sit above the chart; the chart is what lies below them on the
        // page, above the figure's source line.
        let caption = format!("FIGURE {} {}", n + 1, chart.title);
        let cap = find(&words, &caption).unwrap_or_else(|| panic!("{name}: no caption"));
        // The chart's words: below the caption, within the text column (the figure's source
        // and notes sit in the side column), and no lower than a chart can reach.
        let above: Vec<Word> = {
            let text_width = planned().shell["page"]["text-width"].as_f64().unwrap();
            let column_right = cap.x + text_width * 72.0 / 25.4;
            words
                .iter()
                .filter(|w| w.page == cap.page)
                .filter(|w| w.y > cap.y + 1.0 && w.y < cap.y + 230.0 && w.x < column_right)
                .cloned()
                .collect()
        };
        let at = |phrase: &str| {
            find(&above, phrase).unwrap_or_else(|| {
                panic!(
                    "{name}: {phrase:?} is not drawn; the chart reads {:?}",
                    above.iter().map(|w| w.text.as_str()).collect::<Vec<_>>()
                )
            })
        };
        let unit = at(&chart.unit);
        let axis = at(chart
            .axis
            .as_deref()
            .expect("every fixture chart has an axis title"));
        let first = at(&chart.categories[0]);
        let last = at(chart.categories.last().unwrap());
        for s in &chart.series {
            for label in &s.labels {
                at(label);
            }
            if chart.series.len() > 1 {
                at(&s.label);
            }
        }
        match layout(kind_of(&chart.kind)) {
            Layout::Vertical => {
                assert!(unit.y < first.y, "{name}: the unit is not above the plot");
                assert!(
                    axis.y > first.y,
                    "{name}: the category title is not under the categories"
                );
                assert!(
                    (first.y - last.y).abs() < 2.0 && first.x < last.x,
                    "{name}: the categories do not run along the bottom"
                );
            }
            Layout::Horizontal => {
                assert!(
                    axis.y < first.y,
                    "{name}: the category title is not above the categories"
                );
                assert!(unit.y > last.y, "{name}: the unit is not under the bars");
                assert!(
                    first.y < last.y,
                    "{name}: the categories do not run down the side"
                );
            }
        }
    }
}

/// Each picture of a DOCX body with its alt text, as (alt, media bytes).
fn docx_pictures(docx: &[u8]) -> Vec<(String, Vec<u8>)> {
    let parts = zip_parts(docx);
    let doc = String::from_utf8_lossy(&parts["word/document.xml"]).into_owned();
    let rels = String::from_utf8_lossy(&parts["word/_rels/document.xml.rels"]).into_owned();
    let value = |s: &str, name: &str| -> String {
        let k = s.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        quick_xml::escape::unescape(&s[k..k + s[k..].find('"').unwrap()])
            .unwrap()
            .into_owned()
    };
    let mut out = Vec::new();
    for (i, _) in doc.match_indices("<wp:docPr ") {
        let tag = &doc[i..i + doc[i..].find('>').unwrap()];
        let alt = if tag.contains("descr=\"") {
            value(tag, "descr")
        } else {
            String::new()
        };
        let blip = i + doc[i..].find("<a:blip ").unwrap();
        let id = value(&doc[blip..blip + doc[blip..].find('>').unwrap()], "r:embed");
        let rel = rels.find(&format!("Id=\"{id}\"")).unwrap();
        let start = rels[..rel].rfind("<Relationship ").unwrap();
        let target = value(
            &rels[start..start + rels[start..].find('>').unwrap()],
            "Target",
        );
        out.push((alt, parts[&format!("word/{target}")].clone()));
    }
    out
}

#[test]
fn every_kind_draws_in_the_docx_picture_with_its_axis_titles() {
    let p = planned();
    let docx = std::fs::read(marenland_build().join("marenland/en/report.docx")).unwrap();
    let pictures = docx_pictures(&docx);
    for (chart, alt) in &p.figures {
        let name = format!("{} chart {:?}", chart.kind, chart.title);
        let (_, png) = pictures
            .iter()
            .find(|(a, _)| a == alt)
            .unwrap_or_else(|| panic!("{name}: no picture with its alt text in the DOCX"));
        // The picture is the chart template's drawing of this chart: draw it again, read the
        // words it sets, and check the DOCX carries exactly that image.
        let mut shell = p.shell.clone();
        shell["chart"] = serde_json::to_value(chart).unwrap();
        let compiled = deca::render::typst::compile_here(
            &p.session,
            "typst/chart-image.typ",
            &serde_json::to_vec(&shell).unwrap(),
            None,
        )
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let text = deca::render::typst::page_texts(&compiled).join(" ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for want in [Some(&chart.unit), chart.axis.as_ref()]
            .into_iter()
            .flatten()
        {
            assert!(
                text.contains(want.as_str()),
                "{name}: the picture lacks {want:?}: {text}"
            );
        }
        for c in &chart.categories {
            assert!(text.contains(c.as_str()), "{name}: the picture lacks {c:?}");
        }
        let raster = TypstRaster {
            typst: p.typst.clone(),
            session: p.session.clone(),
            cache: Arc::new(RasterCache::new()),
        };
        let again = raster.chart(&p.report, chart).unwrap();
        assert!(
            again.bytes == *png,
            "{name}: the DOCX picture is not the chart's drawing"
        );

        // And it is a picture of something: mostly white paper, with the series painted in
        // the theme's colours.
        let (pixels, width) = decode_rgb(png);
        let ink = pixels.iter().filter(|p| p.iter().any(|c| *c < 200)).count();
        assert!(
            ink * 50 > pixels.len() && ink * 2 < pixels.len(),
            "{name}: {ink} of {} pixels are drawn",
            pixels.len()
        );
        assert!(width > 300, "{name}: the picture is {width} px wide");
        let near = |rgb: [u8; 3]| {
            pixels
                .iter()
                .filter(|p| {
                    p.iter()
                        .zip(rgb)
                        .all(|(a, b)| (*a as i32 - b as i32).abs() <= 3)
                })
                .count()
        };
        assert!(
            near([0x0B, 0x5D, 0x4B]) > 200,
            "{name}: no series in the primary colour"
        );
        if chart.series.len() > 1 {
            assert!(
                near([0xE0, 0x7A, 0x1F]) > 200,
                "{name}: no second series in the accent colour"
            );
        }
    }
}

/// A PNG's pixels as RGB, and its width.
fn decode_rgb(png: &[u8]) -> (Vec<[u8; 3]>, u32) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let px = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|c| match channels {
            1 | 2 => [c[0], c[0], c[0]],
            _ => {
                // Transparent pixels show the white page they sit on.
                if channels == 4 && c[3] < 128 {
                    [255, 255, 255]
                } else {
                    [c[0], c[1], c[2]]
                }
            }
        })
        .collect();
    (px, info.width)
}
