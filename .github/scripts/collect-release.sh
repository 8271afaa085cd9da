#!/usr/bin/env bash
# Lays out a release's document assets from a merged output folder:
#   collect-release.sh OUTPUT RELEASE
# Each document becomes RELEASE/<assessment>-<lang>-<name>.<ext> (the names users download),
# deca-documents.zip keeps the tree with its own manifest.json and SHA256SUMS, and
# RELEASE/SHA256SUMS lists every asset under its flat name, so `sha256sum -c SHA256SUMS`
# passes in a folder of downloaded assets. Binaries copied into RELEASE first are listed too.
set -euo pipefail

output="${1:?usage: collect-release.sh OUTPUT RELEASE}"
release="${2:?usage: collect-release.sh OUTPUT RELEASE}"
mkdir -p "$release"
release="$(cd "$release" && pwd)"

# The tree must be whole before it is published.
(cd "$output" && sha256sum --quiet -c SHA256SUMS)

while IFS= read -r -d '' file; do
  rel="${file#"$output"/}"
  flat="${rel//\//-}"
  if [ -e "$release/$flat" ]; then
    echo "error: two documents flatten to the same asset name \`$flat\`" >&2
    exit 1
  fi
  cp "$file" "$release/$flat"
done < <(find "$output" -type f \( -name '*.pdf' -o -name '*.docx' \) -print0 | sort -z)

cp "$output/manifest.json" "$release/manifest.json"
rm -f "$release/deca-documents.zip"
(cd "$output" && zip -qrX "$release/deca-documents.zip" . -x '.*')

cd "$release"
rm -f SHA256SUMS
sums="$(mktemp)"
find . -maxdepth 1 -type f -printf '%f\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > "$sums"
mv "$sums" SHA256SUMS
chmod 0644 SHA256SUMS
sha256sum --quiet -c SHA256SUMS
echo "$(wc -l < SHA256SUMS) assets in $release"
