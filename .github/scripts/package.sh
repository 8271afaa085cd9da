#!/usr/bin/env bash
# Builds deca for one target and packs it as a release asset, the way the release workflow
# does:
#   .github/scripts/package.sh TARGET [DIST]
# writes DIST/deca-vVERSION-TARGET.tar.gz (.zip for Windows) and, beside it, a .sha256 file
# in `sha256sum -c` format naming the archive as downloaded. The archive holds one folder:
# the binary, README.md, the fonts' licences and a man page per command.
# DECA_BINARY=path skips `cargo build` and packs that binary instead (the tests do this).
set -euo pipefail

target="${1:?usage: package.sh TARGET [DIST]}"
dist="${2:-dist}"
cd "$(dirname "$0")/../.."

version="v$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
exe=""
case "$target" in *windows*) exe=".exe" ;; esac

if [ -n "${DECA_BINARY:-}" ]; then
  binary="$DECA_BINARY"
else
  cargo build --release --locked --target "$target"
  binary="${CARGO_TARGET_DIR:-target}/$target/release/deca$exe"
fi

name="deca-$version-$target"
mkdir -p "$dist"
dist="$(cd "$dist" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/licenses"
cp "$binary" "$stage/$name/deca$exe"
cp README.md "$stage/$name/"
for font in templates/fonts/*/; do
  cp "$font/LICENSE.txt" "$stage/$name/licenses/$(basename "$font")-LICENSE.txt"
done
# Man pages come from the binary itself; a cross-compiled one that cannot run here ships
# without them rather than failing the release.
if "$stage/$name/deca$exe" --version >/dev/null 2>&1; then
  "$stage/$name/deca$exe" man "$stage/$name/man" >/dev/null 2>&1
fi

cd "$stage"
case "$target" in
  *windows*)
    archive="$name.zip"
    if command -v 7z >/dev/null 2>&1; then
      7z a -tzip -bd "$dist/$archive" "$name" >/dev/null
    else
      zip -qr "$dist/$archive" "$name"
    fi
    ;;
  *)
    archive="$name.tar.gz"
    tar -czf "$dist/$archive" "$name"
    ;;
esac
cd "$dist"
sha256sum "$archive" > "$archive.sha256"
cat "$archive.sha256"
