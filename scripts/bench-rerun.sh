#!/usr/bin/env bash
# Measures what a nightly re-run costs when nothing changed: a full `run` into a fresh state,
# then the same run again over the same feeds and state. Prints both times and their ratio
# (acceptance: the second run takes at most 15% of the first).
#
#   scripts/bench-rerun.sh [FEEDS] [ITEMS]      (defaults 2000 feeds x 50 items, 1000 vendors)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${SHARED_DIR:-../shared}"
feeds="${1:-2000}"; items="${2:-50}"
tool=.build/release/vendor-risk
[ -x "$tool" ] || swift build -c release
work=$(mktemp -d /tmp/vendor-risk-rerun.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 "$shared/tools/gen_bench_corpus.py" --feeds "$feeds" --items "$items" --vendors 1000 --seed 1 --out "$work/corpus" >/dev/null
vendors="$work/corpus/vendors.csv"
[ -f "$work/corpus/vendors-contract.csv" ] && vendors="$work/corpus/vendors-contract.csv"
run() {
    local start end
    start=$(date +%s.%N)
    "$tool" run --feeds "$work/corpus/feeds" --vendors "$vendors" --state "$work/state.sqlite" \
        --output "$work/out" --as-of "$1" --quiet || [ $? -eq 3 ]
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}
first=$(run 2025-11-01T00:00:00Z)
second=$(run 2025-11-02T00:00:00Z)
ratio=$(echo "scale=3; $second / $first" | bc)
echo "first run:  ${first}s ($feeds feeds x $items items)"
echo "second run: ${second}s (nothing changed)"
echo "rerun: ratio ${ratio} (limit 0.15)"
