#!/usr/bin/env bash
# Checks the data and builds the documents with a JSON event log, failing on the first
# problem (pipefail: a failed `deca build` fails this script even though `tee` succeeded).
# Environment: DATA (default data), OUT (default output), SHARD (K/N, optional: this job's
# share of the documents), DECA_ARGS (more build flags, e.g. `--profile lima`).
# On GitHub Actions deca annotates every problem on the pull request's diff.
set -euo pipefail

data="${DATA:-data}"
out="${OUT:-output}"
args=()
if [ -n "${SHARD:-}" ]; then
  args+=(--shard "$SHARD")
fi
if [ -n "${DECA_ARGS:-}" ]; then
  read -r -a extra <<<"$DECA_ARGS"
  args+=("${extra[@]}")
fi

deca check "$data" --format github
# Date the documents by the commit, so a rebuild of the same commit is byte-identical.
if [ -z "${SOURCE_DATE_EPOCH:-}" ] && git rev-parse --git-dir >/dev/null 2>&1; then
  SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"
  export SOURCE_DATE_EPOCH
fi
deca build "$data" --out "$out" "${args[@]}" --json | tee "$out.events.jsonl"
