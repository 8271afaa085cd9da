//! Benchmark: wall time and peak memory of the full build of the bundled data, and of one
//! tailored brief, each measured over several runs of the release binary, side by side.
//!
//! `cargo bench --bench build` (set DECA_BENCH_RUNS to change the number of runs).

use std::process::Command;
use std::time::Instant;

/// Runs the binary once; returns (seconds, peak resident memory in MiB).
// The child is reaped by `wait4` below, which also reports its peak memory.
#[allow(clippy::zombie_processes)]
fn measure(args: &[&str]) -> (f64, f64) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_deca"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .spawn()
        .expect("failed to start deca");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for the child we spawned, with valid pointers.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(waited, pid, "wait4 failed");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "deca failed: {args:?}"
    );
    // ru_maxrss is in KiB on Linux.
    (secs, usage.ru_maxrss as f64 / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("DECA_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let out = tempfile::tempdir().expect("temporary folder");
    let full_out = out.path().join("full");
    let brief_out = out.path().join("brief");
    let full: Vec<&str> = vec![
        "build",
        "data",
        "--quiet",
        "--out",
        full_out.to_str().expect("utf-8 path"),
    ];
    let brief: Vec<&str> = vec![
        "build",
        "data/peru",
        "--priority",
        "integrity",
        "--lang",
        "es",
        "--quiet",
        "--out",
        brief_out.to_str().expect("utf-8 path"),
    ];
    // Warm the file cache once, then alternate the two so load affects both alike.
    measure(&full);
    let (mut full_t, mut full_m, mut brief_t, mut brief_m) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        let (t, m) = measure(&full);
        full_t.push(t);
        full_m.push(m);
        let (t, m) = measure(&brief);
        brief_t.push(t);
        brief_m.push(m);
    }
    let documents =
        std::fs::read_to_string(full_out.join("SHA256SUMS")).map_or(0, |s| s.lines().count());
    println!(
        "deca build benchmark, {runs} runs each, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "full build ({documents} documents): median {:.2} s (min {:.2} s), peak memory {:.0} MiB",
        median(full_t.clone()),
        full_t.iter().cloned().fold(f64::INFINITY, f64::min),
        full_m.iter().cloned().fold(0.0, f64::max)
    );
    println!(
        "tailored brief (2 documents): median {:.2} s (min {:.2} s), peak memory {:.0} MiB",
        median(brief_t.clone()),
        brief_t.iter().cloned().fold(f64::INFINITY, f64::min),
        brief_m.iter().cloned().fold(0.0, f64::max)
    );
    println!(
        "full build / tailored brief, wall time: {:.1}x",
        median(full_t) / median(brief_t)
    );
}
