//! The Typst worker process: `deca` re-executed with a hidden subcommand, compiling the jobs
//! the build sends over standard input and answering on standard output (see `protocol`).
//!
//! A thread cannot be stopped from outside, and a template can loop forever or allocate
//! without end; a process can be killed. So every compile runs here, where the build can
//! kill it at `--timeout`, and where the data limit (`RLIMIT_DATA`, from `--max-memory`)
//! makes a runaway allocation end this process rather than the build. Typst's caches stay
//! warm between jobs, and entries unused for a few jobs are evicted after each one, so memory
//! stays flat however many documents pass through.

use std::io::{self, BufReader, BufWriter};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::compile::{self, Session};
use super::protocol::{self, FromWorker, JobFailure, ToWorker, WireDiagnostic};

/// A build drops all of Typst's cached results after every job: measured on the bundled
/// data, documents share nothing worth keeping (CPU time is the same with no eviction at all),
/// and a worker's memory stays that of the document it compiles.
pub(crate) const BUILD_EVICT_AGE: usize = 0;
/// Watch keeps what the last rebuilds used, so a small edit re-lays out only what changed.
pub(crate) const WATCH_EVICT_AGE: usize = 64;
/// Sessions a worker keeps ready (documents of one assessment arrive together).
const SESSIONS: usize = 2;
/// Stack for compiling: deeply nested content recurses deeply in layout.
const STACK: usize = 64 * 1024 * 1024;

/// Runs the worker until its input ends; returns the exit code. After each job, cached
/// results unused for `evict_age` jobs are dropped.
pub(crate) fn main(max_memory: u64, evict_age: usize) -> u8 {
    limit_memory(max_memory);
    watch_parent();
    let served = std::thread::Builder::new()
        .name("typst-worker".into())
        .stack_size(STACK)
        .spawn(move || serve(evict_age))
        .map(std::thread::JoinHandle::join);
    match served {
        Ok(Ok(Ok(()))) => 0,
        Ok(Ok(Err(e))) => {
            eprintln!("deca worker: {e}");
            1
        }
        _ => 1,
    }
}

fn serve(evict_age: usize) -> io::Result<()> {
    let mut input = BufReader::new(io::stdin().lock());
    let mut output = BufWriter::new(io::stdout().lock());
    let mut sessions: Vec<([u8; 32], Result<Session, String>)> = Vec::new();
    while let Some(message) = protocol::read::<_, ToWorker>(&mut input)? {
        match message {
            ToWorker::Install(spec) => {
                if sessions.iter().any(|(id, _)| *id == spec.id) {
                    continue;
                }
                if sessions.len() >= SESSIONS {
                    drop(sessions.remove(0));
                    comemo::evict(0);
                }
                sessions.push((spec.id, Session::new(&spec)));
            }
            ToWorker::Run(job) => {
                let result = match sessions.iter().find(|(id, _)| *id == job.session) {
                    Some((_, Ok(session))) => {
                        catch_unwind(AssertUnwindSafe(|| compile::execute(session, &job)))
                            .unwrap_or_else(|panic| Err(crashed(&panic)))
                    }
                    Some((_, Err(e))) => Err(failure(format!("failed to set up Typst ({e})"))),
                    None => Err(failure("the build sent a job for an unknown session")),
                };
                protocol::write(&mut output, &FromWorker::Done(Box::new(result)))?;
                comemo::evict(evict_age);
                release_memory();
            }
            ToWorker::Evict(age) => comemo::evict(age),
        }
    }
    Ok(())
}

fn failure(message: impl Into<String>) -> JobFailure {
    JobFailure::Errors(vec![WireDiagnostic {
        error: true,
        message: message.into(),
        hints: Vec::new(),
        span: None,
    }])
}

fn crashed(panic: &Box<dyn std::any::Any + Send>) -> JobFailure {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("no message");
    let mut f = failure(format!("the Typst compiler crashed ({what})"));
    if let JobFailure::Errors(d) = &mut f {
        d[0].hints
            .push("this is a bug in Typst or deca; please report it with the template".into());
    }
    f
}

/// Gives freed memory back to the system, so a worker that laid out a long report does not
/// keep its peak for the rest of the build.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim only returns free memory at the top of glibc's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Caps the data this process may allocate: past it, an allocation fails and the process
/// ends, which the build reports as the template using too much memory.
fn limit_memory(bytes: u64) {
    #[cfg(unix)]
    {
        let limit = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        };
        #[allow(unsafe_code)]
        // SAFETY: setrlimit reads a valid struct; a failure leaves the limit unset, and the
        // build's resident-memory check still applies.
        unsafe {
            libc::setrlimit(libc::RLIMIT_DATA, &limit);
        }
    }
    #[cfg(not(unix))]
    let _ = bytes;
}

/// Ends this process when the build that started it is gone, even mid-compile.
// Both getppid calls are unsafe blocks; the second sits inside an `if` condition, where a
// lint attribute cannot go, so the allowance covers the function.
#[allow(unsafe_code)]
fn watch_parent() {
    #[cfg(unix)]
    {
        // SAFETY: getppid has no preconditions.
        let parent = unsafe { libc::getppid() };
        let _ = std::thread::Builder::new()
            .name("parent-watch".into())
            .stack_size(64 * 1024)
            .spawn(move || {
                loop {
                    std::thread::sleep(std::time::Duration::from_millis(250));
                    // SAFETY: as above.
                    if unsafe { libc::getppid() } != parent {
                        std::process::exit(1);
                    }
                }
            });
    }
}
