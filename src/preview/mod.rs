//! `deca preview [DIR]`: a local web page that lists the documents and shows the selected one's
//! pages, drawn from the same compile as its PDF, and updates by itself when data or templates
//! are saved. Loopback only; the port is printed. Data errors appear in the page with their
//! file:line and snippet; the PDF and DOCX of what is shown can be downloaded.
//!
//! HTTP is tiny_http (small, synchronous, no async runtime: a preview serves one person, and
//! deca's compiles are blocking work anyway), and updates are pushed with server-sent events,
//! which browsers reconnect by themselves and need no protocol library.

mod events;
mod page;
mod render;
mod state;

use crate::diag::{Diagnostic, report};
use std::sync::Arc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::cli::PreviewArgs;
use crate::exit;
use state::State;

/// Waits this long after a change for the rest of an editor's burst of writes.
const DEBOUNCE: Duration = Duration::from_millis(40);

pub(crate) fn run(args: &PreviewArgs) -> u8 {
    let server = match tiny_http::Server::http(("127.0.0.1", args.port)) {
        Ok(s) => s,
        Err(e) => {
            let mut d =
                Diagnostic::error(format!("failed to listen on 127.0.0.1:{} ({e})", args.port));
            if args.port != 0 {
                d = d.hint("leave out --port to take a free one");
            }
            report(&[d]);
            return exit::FAILED;
        }
    };
    let Some(port) = server.server_addr().to_ip().map(|a| a.port()) else {
        report(&[Diagnostic::error("failed to learn the preview's port")]);
        return exit::FAILED;
    };
    let state = Arc::new(State::new(args.build.clone()));
    state.reload();

    let watcher_state = state.clone();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let mut watcher =
        match notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(ev) = res
                && ev.paths.iter().any(|p| state::relevant(p))
            {
                let _ = tx.send(());
            }
        }) {
            Ok(w) => w,
            Err(e) => {
                report(&[Diagnostic::error(format!("failed to watch files ({e})"))]);
                return exit::FAILED;
            }
        };
    for path in render::Session::watched(&args.build) {
        if path.exists()
            && let Err(e) = watcher.watch(&path, RecursiveMode::Recursive)
        {
            report(&[Diagnostic::error(format!(
                "failed to watch `{}` ({e})",
                path.display()
            ))]);
            return exit::FAILED;
        }
    }
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            while rx.recv_timeout(DEBOUNCE).is_ok() {}
            watcher_state.reload();
        }
    });

    let url = format!("http://127.0.0.1:{port}/");
    println!(
        "previewing {} at {url} (Ctrl-C stops)",
        crate::ui::shown(&args.build.dir).display()
    );
    if args.open
        && let Err(e) = open::that_detached(&url)
    {
        report(&[Diagnostic::warning(format!(
            "failed to open a browser ({e}); open {url} yourself"
        ))]);
    }
    for request in server.incoming_requests() {
        let state = state.clone();
        std::thread::spawn(move || page::handle(&state, request));
    }
    drop(watcher);
    exit::OK
}
