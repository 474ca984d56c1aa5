#!/usr/bin/env bash
# Indexing speed on real web pages and record files: ../shared/corpus/web-dev copied N times
# (default 10), indexed three times, each build's wall time and peak memory printed
# (GNU time), then the same for its html/ pages alone and its records/ alone. Input sizes
# are the files' bytes. Figures go to BENCHMARKS.md by hand.
#   bench/web-dev.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
src=../shared/corpus/web-dev
[ -d "$src" ] || { echo "no $src: the web-dev corpus is in ../shared" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for part in all html records; do
  mkdir -p "$work/$part"
  for i in $(seq 1 "$n"); do
    if [ "$part" = all ]; then cp -r "$src" "$work/all/copy$i"; else cp -r "$src/$part" "$work/$part/copy$i"; fi
  done
  bytes=$(find "$work/$part" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
  echo "== $part x$n: $(find "$work/$part" -type f | wc -l) files, $((bytes / 1000000)) MB"
  for run in 1 2 3; do
    rm -rf "$work/index"
    /usr/bin/time -f "build $run: %e s wall, %U s user, %M KB peak" \
      target/release/corpus-search index --corpus "$work/$part" --index "$work/index" 2>&1 \
      | grep -E "^indexed|^build"
  done
done
