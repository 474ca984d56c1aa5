#!/usr/bin/env bash
# The record parsers against the crates issue 24 names: the XML scanner
# (src/corpus/formats/xml/scan.rs, compiled as it is) against quick-xml and html5ever's
# tokenizer on every XML file of web-dev and web-dev-2 (the same tree? how fast?), and the
# HTTP header reading of WARC records (src/corpus/formats/warc/headers.rs, compiled as it
# is) against httparse on web-dev's
# pages wrapped in responses. A separate crate (bench/parsers), so the program does not
# depend on what it is measured against. Figures go to BENCHMARKS.md by hand.
#   bench/parsers.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-50}
shared=../shared/corpus
[ -d "$shared/web-dev" ] || { echo "no $shared/web-dev: the web-dev corpus is in ../shared" >&2; exit 2; }
cargo build -q --release --manifest-path bench/parsers/Cargo.toml --target-dir target/parsers
exe=target/parsers/release/parsers-bench
mapfile -t xml < <(find "$shared/web-dev" "$shared/web-dev-2" -type f \( -name '*.xml' -o -name '*.rss' -o -name '*.dat' \) | sort)
mapfile -t pages < <(find "$shared/web-dev" "$shared/web-dev-2" -type f -name '*.html' | sort)
"$exe" xml "$reps" "${xml[@]}" 2> >(cut -c1-240 >&2)
"$exe" http "$reps" "${pages[@]}"
