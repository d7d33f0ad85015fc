#!/bin/sh
# Matching scale: the same feeds analysed with 1,000 and with 100,000 vendors.
#
#   scripts/bench-matching.sh [ROUNDS]      (after `swift build -c release`)
#
# Corpus: ../shared/tools/gen_bench_corpus.py --vendors 1000 --seed 1 (its feeds and vendors.csv),
# and the vendors.csv of --vendors 100000 --seed 1 (a superset: its first 1,000 rows are the same;
# generated with one tiny feed, since only the catalogue is used). Each round runs
# `vendor-risk analyze DIR --format jsonl --timings` once per catalogue in one process and reads the
# timings line: catalogue build, matching (tokenising + automaton over title, summary, content of
# every item) and the whole analysis. Prints medians and the matching ratio (goal: <= 1.3).
set -eu
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
TOOL=${TOOL:-.build/release/vendor-risk}
GEN=${GEN:-../shared/tools/gen_bench_corpus.py}
[ -f "$GEN" ] || GEN=/work/shared/tools/gen_bench_corpus.py
WORK=${TMPDIR:-/tmp}/vendor-risk-bench-matching
mkdir -p "$WORK"
[ -f "$WORK/v1k/vendors.csv" ] || python3 "$GEN" --vendors 1000 --seed 1 --out "$WORK/v1k" -q
[ -f "$WORK/v100k/vendors.csv" ] || python3 "$GEN" --vendors 100000 --seed 1 --feeds 1 --items 1 --out "$WORK/v100k" -q
head -n 1001 "$WORK/v100k/vendors.csv" | cmp -s - "$WORK/v1k/vendors.csv" \
  || { echo "bench: the 100,000-vendor catalogue does not start with the 1,000-vendor one" >&2; exit 2; }
python3 - "$TOOL" "$WORK" "$ROUNDS" <<'PY'
import re, statistics, subprocess, sys
tool, work, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
feeds = work + "/v1k/feeds"
res = {"1k": [], "100k": []}
for r in range(rounds):
    for key in ("1k", "100k"):
        p = subprocess.run([tool, "analyze", feeds, "--vendors", f"{work}/v{key}/vendors.csv",
                            "--format", "jsonl", "--timings"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            sys.exit(f"bench: analyze failed ({p.returncode}): {p.stderr[-500:]}")
        line = [l for l in p.stderr.splitlines() if l.startswith("timings:")][-1]
        f = lambda name: float(re.search(name + r" ([0-9.]+) ms", line).group(1))
        res[key].append({"build": f("catalogue build"), "match": f("matching"),
                         "analysis": f(r"analysis \(matching \+ rules\)"),
                         "items": int(re.search(r"items (\d+)", line).group(1)),
                         "mentions": int(re.search(r"\((\d+) mentions\)", line).group(1))})
med = {k: {m: statistics.median(x[m] for x in v) for m in ("build", "match", "analysis")} for k, v in res.items()}
items = res["1k"][0]["items"]
print(f"corpus: {items} items in {feeds}; {rounds} rounds, medians")
print(f"{'vendors':>8} {'build ms':>10} {'matching ms':>12} {'analysis ms':>12} {'mentions':>9}")
for k, n in (("1k", 1000), ("100k", 100000)):
    print(f"{n:>8} {med[k]['build']:>10.1f} {med[k]['match']:>12.1f} {med[k]['analysis']:>12.1f} {res[k][0]['mentions']:>9}")
ratio = med["100k"]["match"] / med["1k"]["match"]
print(f"matching-scale: 100k/1k matching time = {ratio:.2f} (goal <= 1.30); "
      f"analysis ratio {med['100k']['analysis'] / med['1k']['analysis']:.2f}")
PY
