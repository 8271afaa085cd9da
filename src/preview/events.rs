//! Server-sent events: each open page holds one response stream, and every rebuild writes
//! `event: rebuilt` with the generation to all of them. A stream that fails to write (the tab
//! was closed) is dropped.

use std::io::Write;
use std::sync::Mutex;

#[derive(Default)]
pub(super) struct Events {
    streams: Mutex<Vec<Box<dyn Write + Send>>>,
}

impl Events {
    /// Takes over a connection whose `text/event-stream` headers were sent.
    pub(super) fn add(&self, mut stream: Box<dyn Write + Send>, generation: u64) {
        // Reconnect quickly after a restart of deca, and say where things stand now.
        let hello = format!("retry: 500\nevent: rebuilt\ndata: {generation}\n\n");
        if stream.write_all(hello.as_bytes()).is_ok() && stream.flush().is_ok() {
            self.streams.lock().expect("event streams").push(stream);
        }
    }

    /// Tells every page that generation `generation` is ready.
    pub(super) fn send(&self, generation: u64) {
        let message = format!("event: rebuilt\ndata: {generation}\n\n");
        self.streams
            .lock()
            .expect("event streams")
            .retain_mut(|s| s.write_all(message.as_bytes()).is_ok() && s.flush().is_ok());
    }
}
