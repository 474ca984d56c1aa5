#!/usr/bin/env bash
# Compares what two builds of corpus-search print for the commands of queries.tsv, on the
# seeds and on ../shared/corpus/rmrb-199801: proof that a refactor changed no output.
#   tests/compat/outputs.sh OLD_BINARY NEW_BINARY
# Each binary builds its own index of each corpus (one reading thread, so that articles keep
# the walk's order and ties rank alike); every command's stdout must be byte for
# byte the same. Exit status 1 lists the commands that differ, with the first differing line.
set -euo pipefail
cd "$(dirname "$0")/../.."
old=$1 new=$2
rmrb=../shared/corpus/rmrb-199801
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for bin in old new; do
  exe=${!bin}
  "$exe" index --corpus seeds --threads 1 --index "$work/$bin-seeds" 2>/dev/null
  [ -d "$rmrb" ] && "$exe" index --corpus "$rmrb" --threads 1 --index "$work/$bin-rmrb" 2>/dev/null
done
n=0 differ=0
while IFS=$'\t' read -r corpus args; do
  case "$corpus" in ''|'#'*) continue ;; esac
  [ "$corpus" = rmrb ] && [ ! -d "$rmrb" ] && { echo "skip (no $rmrb): $args"; continue; }
  eval "set -- $args"
  n=$((n + 1))
  for bin in old new; do
    exe=${!bin}
    "$exe" "$@" --index "$work/$bin-$corpus" >"$work/$bin.out" 2>/dev/null || echo "exit $?" >>"$work/$bin.out"
  done
  if cmp -s "$work/old.out" "$work/new.out"; then
    echo "same   $corpus: $args ($(wc -c <"$work/new.out") bytes)"
  else
    differ=$((differ + 1))
    echo "DIFFER $corpus: $args"
    diff <(tr ',' '\n' <"$work/old.out") <(tr ',' '\n' <"$work/new.out") | head -4 | sed 's/^/    /' || true
  fi
done < tests/compat/queries.tsv
echo "$n commands, $differ differ"
[ "$differ" -eq 0 ]
