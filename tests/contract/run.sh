#!/usr/bin/env bash
# The API's contract, checked by a client nobody here wrote: schemathesis (pinned, from PyPI,
# in a virtual environment of its own under target/) generates requests from
# /api/openapi.json and runs every check it has (--checks all) against `serve` on the seeds
# and on ../shared/corpus/rmrb-199801. Any finding fails the run.
#
# The rules the description states in words (a query's grammar, dates, one `by` with
# compare/normalize) are kept by tests/contract/hooks.py; read it before adding a rule there.
# The seed is fixed so a run is repeatable; CONTRACT_SEED=N tries others, CONTRACT_EXAMPLES=N
# more cases per operation. Needs target/release/corpus-search (`cargo test --release` or
# `cargo build --release --tests --bins` builds it).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

version=4.32.5
examples=${CONTRACT_EXAMPLES:-40}
seed=${CONTRACT_SEED:-20261206}
bin=target/release/corpus-search
venv=target/contract-venv

if [ ! -x "$bin" ]; then
  echo "no $bin: build it first with cargo build --release --tests --bins" >&2
  exit 1
fi
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q " $version\$"; then
  echo "installing schemathesis $version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

check() {
  local name=$1 corpus=$2
  echo "== contract: $name"
  "$bin" index --corpus "$corpus" --index "$work/$name.idx" >/dev/null 2>"$work/$name.index.log" ||
    { cat "$work/$name.index.log" >&2; return 1; }
  "$bin" serve --index "$work/$name.idx" --addr 127.0.0.1:0 --quiet 2>"$work/$name.serve.log" &
  server=$!
  local url=""
  for _ in $(seq 100); do
    url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$work/$name.serve.log")
    [ -n "$url" ] && break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    cat "$work/$name.serve.log" >&2
    return 1
  fi
  local status=0
  # Run from the scratch directory: schemathesis keeps a cache (.schemathesis/) where it runs.
  (cd "$work" && SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$root/tests/contract" \
    "$root/$venv/bin/schemathesis" run "$url/api/openapi.json" --checks all \
    --max-examples "$examples" --seed "$seed" --workers 2 --no-color \
    --generation-database none) || status=$?
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=""
  return $status
}

check seeds seeds
rmrb=../shared/corpus/rmrb-199801
if [ -d "$rmrb" ]; then
  check rmrb-199801 "$rmrb"
elif [ -n "${CORPUS_SEARCH_REQUIRE_SHARED:-}" ]; then
  echo "$rmrb is required (CORPUS_SEARCH_REQUIRE_SHARED is set) but absent" >&2
  exit 1
else
  echo "skipping rmrb-199801: $rmrb is absent"
fi
echo "== contract: no findings"
