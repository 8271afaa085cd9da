//! The build's side of the worker processes: a small pool of persistent `deca` workers (see
//! `worker`), each compiling one job at a time.
//!
//! A job waits for its answer with a deadline (`--timeout`) while the worker's resident memory
//! is checked against `--max-memory` every 50 ms; a worker past either is killed and reaped at
//! once, and a new one is started when the next job needs it. So a runaway template costs one
//! process, never a thread that spins on, and the build reports it as an error of that
//! document. Idle workers wait on their input; dropping the pool closes it, and they exit.

use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use super::protocol::{
    self, FromWorker, Job, JobFailure, JobOutput, SessionSpec, ToWorker, ToWorkerRef,
};

/// The hidden subcommand that turns `deca` into a worker.
pub const WORKER_COMMAND: &str = "__typst-worker";

/// How often a waiting job checks the worker's memory.
const CHECK_EVERY: Duration = Duration::from_millis(50);

/// Why a job produced no answer.
#[derive(Debug)]
pub(super) enum Stopped {
    /// The worker answered with a failure.
    Failed(JobFailure),
    /// It ran past the deadline and was killed.
    Timeout,
    /// It used more memory than allowed and was killed (or could not allocate).
    Memory,
    /// It died otherwise; what it printed last.
    Crashed(String),
    /// No worker could be started.
    Spawn(io::Error),
}

/// A running worker.
struct Worker {
    child: Child,
    input: ChildStdin,
    output: ChildStdout,
    errors: ChildStderr,
    /// Sessions installed in it, most recent last.
    sessions: Vec<[u8; 32]>,
    /// Documents it compiled lately, most recent last: its caches may still hold them.
    recent: Vec<String>,
}

struct State {
    idle: Vec<Worker>,
    /// Workers alive, idle or busy.
    live: usize,
}

/// A pool of at most `size` workers.
pub(super) struct Pool {
    exe: PathBuf,
    size: usize,
    max_memory: u64,
    evict_age: usize,
    /// `--font-path` folders, which workers load as the build does.
    font_paths: Vec<PathBuf>,
    state: Mutex<State>,
    freed: Condvar,
}

impl Pool {
    /// A pool that starts workers from `exe` (the `deca` binary) as jobs need them; each
    /// worker drops cached results unused for `evict_age` jobs after every job.
    pub(super) fn new(
        exe: PathBuf,
        size: usize,
        max_memory: u64,
        evict_age: usize,
        font_paths: Vec<PathBuf>,
    ) -> Pool {
        Pool {
            exe,
            size: size.max(1),
            max_memory,
            evict_age,
            font_paths,
            state: Mutex::new(State {
                idle: Vec::new(),
                live: 0,
            }),
            freed: Condvar::new(),
        }
    }

    /// Runs a job in a worker that has (or is given) its session, within `timeout`; the
    /// worker that compiled `document` last is preferred, when idle.
    pub(super) fn run(
        &self,
        session: &SessionSpec,
        job: &Job,
        timeout: Duration,
        document: Option<&str>,
    ) -> Result<JobOutput, Stopped> {
        let mut worker = self.acquire(document)?;
        if let Some(d) = document {
            worker.recent.retain(|x| x != d);
            worker.recent.push(d.to_string());
            if worker.recent.len() > 64 {
                worker.recent.remove(0);
            }
        }
        let deadline = Instant::now() + timeout;
        match self.exchange(&mut worker, session, job, deadline) {
            Ok(answer) => {
                self.release(worker);
                match answer {
                    FromWorker::Done(result) => (*result).map_err(Stopped::Failed),
                }
            }
            Err(stopped) => {
                self.discard(worker);
                Err(stopped)
            }
        }
    }

    /// Asks every idle worker to drop cached results older than `max_age` jobs.
    pub(super) fn evict(&self, max_age: usize) {
        let mut state = self.state.lock().expect("pool lock");
        let mut dead = Vec::new();
        for (i, w) in state.idle.iter_mut().enumerate() {
            if protocol::write(&mut w.input, &ToWorker::Evict(max_age)).is_err() {
                dead.push(i);
            }
        }
        for i in dead.into_iter().rev() {
            let w = state.idle.remove(i);
            state.live -= 1;
            reap(w);
        }
    }

    /// Process ids of the workers alive now (for tests and diagnostics).
    pub(super) fn live(&self) -> usize {
        self.state.lock().expect("pool lock").live
    }

    fn acquire(&self, document: Option<&str>) -> Result<Worker, Stopped> {
        let mut state = self.state.lock().expect("pool lock");
        loop {
            let known = document.and_then(|d| {
                state
                    .idle
                    .iter()
                    .position(|w| w.recent.iter().any(|x| x == d))
            });
            if let Some(i) = known {
                return Ok(state.idle.swap_remove(i));
            }
            if let Some(w) = state.idle.pop() {
                return Ok(w);
            }
            if state.live < self.size {
                state.live += 1;
                drop(state);
                return self.spawn().map_err(|e| {
                    let mut state = self.state.lock().expect("pool lock");
                    state.live -= 1;
                    self.freed.notify_one();
                    Stopped::Spawn(e)
                });
            }
            state = self.freed.wait(state).expect("pool lock");
        }
    }

    fn release(&self, mut worker: Worker) {
        drain(&mut worker.errors);
        self.state.lock().expect("pool lock").idle.push(worker);
        self.freed.notify_one();
    }

    fn discard(&self, worker: Worker) {
        reap(worker);
        self.state.lock().expect("pool lock").live -= 1;
        self.freed.notify_one();
    }

    fn spawn(&self) -> io::Result<Worker> {
        let mut command = Command::new(&self.exe);
        command
            .arg(WORKER_COMMAND)
            .arg("--max-memory")
            .arg(self.max_memory.to_string())
            .arg("--evict-age")
            .arg(self.evict_age.to_string());
        for dir in &self.font_paths {
            command.arg("--font-path").arg(dir);
        }
        // Several workers already keep the cores busy with one document each; Typst's own
        // threads within a worker would only take turns with them (measured on Peru: about 2%
        // more CPU and 3% more wall time). A lone worker keeps them, for one document's wall
        // time.
        if self.size > 1 && std::env::var_os("RAYON_NUM_THREADS").is_none() {
            command.env("RAYON_NUM_THREADS", "1");
        }
        // The folders are passed as arguments: the variable would be read again.
        let mut child = command
            .env_remove("DECA_FONT_PATH")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let (Some(input), Some(output), Some(errors)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("the worker's pipes are missing"));
        };
        set_nonblocking(&errors);
        Ok(Worker {
            child,
            input,
            output,
            errors,
            sessions: Vec::new(),
            recent: Vec::new(),
        })
    }

    fn exchange(
        &self,
        w: &mut Worker,
        session: &SessionSpec,
        job: &Job,
        deadline: Instant,
    ) -> Result<FromWorker, Stopped> {
        let sent = (|| {
            if !w.sessions.contains(&session.id) {
                protocol::write(&mut w.input, &ToWorkerRef::Install(session))?;
                w.sessions.push(session.id);
                if w.sessions.len() > 2 {
                    w.sessions.remove(0);
                }
            }
            protocol::write(&mut w.input, &ToWorkerRef::Run(job))
        })();
        if sent.is_err() {
            return Err(self.died(w));
        }
        let mut header = [0u8; 8];
        self.read_until(w, &mut header, deadline)?;
        let len = protocol::frame_len(header).map_err(|e| Stopped::Crashed(e.to_string()))?;
        let mut payload = vec![0u8; len];
        self.read_until(w, &mut payload, deadline)?;
        protocol::decode(&payload).map_err(|e| Stopped::Crashed(e.to_string()))
    }

    /// Fills `buf` from the worker's output, stopping it at the deadline or the memory cap.
    fn read_until(&self, w: &mut Worker, buf: &mut [u8], deadline: Instant) -> Result<(), Stopped> {
        let mut filled = 0;
        while filled < buf.len() {
            let now = Instant::now();
            if now >= deadline {
                return Err(Stopped::Timeout);
            }
            let wait = (deadline - now).min(CHECK_EVERY);
            if !readable(&w.output, wait) {
                if resident_bytes(w.child.id()).is_some_and(|r| r > self.max_memory) {
                    return Err(Stopped::Memory);
                }
                continue;
            }
            match w.output.read(&mut buf[filled..]) {
                Ok(0) => return Err(self.died(w)),
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(self.died(w)),
            }
        }
        Ok(())
    }

    /// Why a worker whose pipe closed is gone.
    fn died(&self, w: &mut Worker) -> Stopped {
        let status = w.child.wait().ok();
        let mut said = String::new();
        let _ = w.errors.read_to_string(&mut said);
        if said.contains("memory allocation of") || said.contains("out of memory") {
            return Stopped::Memory;
        }
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            // Killed from outside with SIGKILL: on Linux, most likely the OOM killer.
            if status.and_then(|s| s.signal()) == Some(libc::SIGKILL) {
                return Stopped::Memory;
            }
        }
        let last = said
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string();
        Stopped::Crashed(match (last.is_empty(), status) {
            (false, _) => last,
            (true, Some(s)) => format!("the worker exited with {s}"),
            (true, None) => "the worker vanished".into(),
        })
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let idle = std::mem::take(&mut self.state.get_mut().expect("pool lock").idle);
        for w in idle {
            let Worker {
                mut child, input, ..
            } = w;
            // End of input: the worker finishes and exits.
            drop(input);
            let _ = child.wait();
        }
    }
}

/// Kills a worker and waits for it, so no process outlives its job.
fn reap(mut w: Worker) {
    let _ = w.child.kill();
    let _ = w.child.wait();
}

/// Reads and discards what a worker printed, so its error pipe never fills.
fn drain(errors: &mut ChildStderr) {
    let mut buf = [0u8; 4096];
    while let Ok(n) = errors.read(&mut buf) {
        if n == 0 {
            break;
        }
    }
}

fn set_nonblocking(f: &impl AsRawFd) {
    #[allow(unsafe_code)]
    // SAFETY: fcntl on a file descriptor this process owns.
    unsafe {
        let fd = f.as_raw_fd();
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
    }
}

/// Waits up to `wait` for data (or the end) on a pipe.
fn readable(f: &impl AsRawFd, wait: Duration) -> bool {
    let mut fd = libc::pollfd {
        fd: f.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = wait.as_millis().clamp(1, i32::MAX as u128) as i32;
    #[allow(unsafe_code)]
    // SAFETY: one valid pollfd for the duration of the call.
    let n = unsafe { libc::poll(&mut fd, 1, ms) };
    n > 0
}

/// Resident memory of a process, from /proc (Linux).
fn resident_bytes(pid: u32) -> Option<u64> {
    let statm = std::fs::read_to_string(format!("/proc/{pid}/statm")).ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    #[allow(unsafe_code)]
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page).ok()?)
}
