//! Test-only fault injection for the publish step, so the integration tests can drive a kill or
//! a failure at an exact point instead of racing a timer. Not for users: it exists so the
//! rollback and the recovery of killed runs are tested deterministically.
//!
//! `DECA_TEST_FAULT=<action>@<point>`, where the action is
//! - `kill`: the process kills itself (SIGKILL), leaving everything as a real kill would;
//! - `fail`: the step fails with an I/O error;
//! - `full`: the step fails as a full disk would (ENOSPC);
//!
//! and the point is `staged` (start of the publish), `manifest` (writing the manifest into
//! staging), `aside` (the old manifest set aside), `placed-N` (after the Nth document moved
//! into place), `removed` (stale documents moved away) or `sums` (SHA256SUMS in place, the
//! manifest not yet).

/// The variable that arms a fault.
pub(crate) const VAR: &str = "DECA_TEST_FAULT";

/// Fires the armed fault if it is set for `point`.
pub(super) fn at(point: &str) -> std::io::Result<()> {
    let Ok(spec) = std::env::var(VAR) else {
        return Ok(());
    };
    let Some((action, armed)) = spec.split_once('@') else {
        return Ok(());
    };
    if armed != point {
        return Ok(());
    }
    match action {
        "kill" => kill(),
        "fail" => Err(std::io::Error::other(format!(
            "injected failure at {point}"
        ))),
        "full" => Err(disk_full()),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn disk_full() -> std::io::Error {
    std::io::Error::from_raw_os_error(libc::ENOSPC)
}

#[cfg(not(unix))]
fn disk_full() -> std::io::Error {
    std::io::Error::from(std::io::ErrorKind::StorageFull)
}

fn kill() -> std::io::Result<()> {
    #[cfg(unix)]
    #[allow(unsafe_code)]
    // SAFETY: kill(2) on our own pid has no memory-safety preconditions.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    std::process::abort()
}
