#!/bin/sh
# deca's benchmark (see bench/bench.py): builds deca in release mode, makes a Python venv with
# the prebuilt Typst compiler (PyPI `typst` 0.15.x) when there is none, and prints every figure
# in one run. Options after `--` go to bench.py (e.g. `-- --runs 9 --edits 20 --skip ir`).
# DECA_BENCH_VENV picks another venv (one with `typst` installed is reused as is).
set -eu
cd "$(dirname "$0")/.."
venv="${DECA_BENCH_VENV:-bench/.venv}"
if ! "$venv/bin/python" -c "import typst" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "typst>=0.15,<0.16"
fi
cargo build --release --locked --quiet
target="${CARGO_TARGET_DIR:-target}"
[ "${1:-}" = "--" ] && shift
exec "$venv/bin/python" bench/bench.py --deca "$target/release/deca" --python "$venv/bin/python" "$@"
