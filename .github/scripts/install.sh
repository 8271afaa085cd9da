#!/usr/bin/env bash
# Installs a released deca binary, checking its checksum first:
#   install.sh VERSION [BIN_DIR]
# e.g. `install.sh v0.2.0 ~/.local/bin`. Picks the archive for this machine (Linux or macOS,
# x86_64 or arm64). The composite action (action.yml) uses it too. DECA_REPOSITORY
# (owner/name) and DECA_DOWNLOAD_BASE (a base URL, file:// works) override where it downloads.
set -euo pipefail

version="${1:?usage: install.sh VERSION [BIN_DIR]}"
bin_dir="${2:-$HOME/.local/bin}"
repository="${DECA_REPOSITORY:-deca-project/deca}"
base="${DECA_DOWNLOAD_BASE:-https://github.com/$repository/releases/download/$version}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  *)
    echo "error: no prebuilt deca for $(uname -s) $(uname -m)" >&2
    echo "  = hint: cargo install --locked --git https://github.com/$repository deca" >&2
    exit 1
    ;;
esac
target="${DECA_TARGET:-$target}"
archive="deca-$version-$target.tar.gz"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
curl --fail --silent --show-error --location --retry 3 -o "$archive" "$base/$archive"
curl --fail --silent --show-error --location --retry 3 -o "$archive.sha256" "$base/$archive.sha256"
if command -v sha256sum >/dev/null 2>&1; then
  sha256sum -c "$archive.sha256" >/dev/null
else
  shasum -a 256 -c "$archive.sha256" >/dev/null
fi
tar -xzf "$archive"
mkdir -p "$bin_dir"
install -m 0755 "deca-$version-$target/deca" "$bin_dir/deca"
echo "installed $("$bin_dir/deca" --version) into $bin_dir"
