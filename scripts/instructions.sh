#!/usr/bin/env bash
# Instructions per request of bench cases, counted by callgrind (deterministic: the same binary
# and inputs give the same count whatever else the machine does).
#
#   scripts/instructions.sh [BENCH_BINARY] CASE...    e.g. scripts/instructions.sh cors-allowed bare-get
#
# BENCH_BINARY defaults to the `cors` bench of cors-benches, built in release (`cargo bench
# --no-run`). Each case runs under `valgrind --tool=callgrind` with `--profile-time 1`,
# collecting only inside the bench's `run` (the timed loop and the building of its requests);
# the instructions of the closures that build the requests (the callees of `run` other than
# the runtime's `block_on`) are subtracted, and the rest is divided by the number of requests
# (the calls of those closures). Needs valgrind (callgrind_annotate) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -gt 0 && -x "$1" ]]; then
    bin=$1
    shift
else
    bin=$(cargo bench -p cors-benches --bench cors --no-run --message-format=json 2>/dev/null |
        python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "cors" and m.get("executable"):
        print(m["executable"])')
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for case in "$@"; do
    valgrind --tool=callgrind --callgrind-out-file="$out/$case" --toggle-collect='cors::run*' \
        "$bin" --bench --profile-time 1 "^request/$case\$" >/dev/null 2>&1
    callgrind_annotate --inclusive=yes --tree=calling "$out/$case" 2>/dev/null | python3 -c '
import re, sys
case = sys.argv[1]
total = made = requests = 0
in_run = False
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) .*PROGRAM TOTALS", line)
    if m:
        total = int(m.group(1).replace(",", ""))
    if re.search(r"\*\s+\?\?\?:cors::run \[", line):
        in_run = True
        continue
    if in_run:
        if not line.strip():
            break
        m = re.match(r"\s*([\d,]+) \(.*>\s+\?\?\?:(.*) \(([\d,]+)x\)", line)
        if m and "block_on" not in m.group(2) and "__r" not in m.group(2):
            made += int(m.group(1).replace(",", ""))
            requests = max(requests, int(m.group(3).replace(",", "")))
if not requests:
    sys.exit(f"{case}: no request counted (is the case name right?)")
print(f"{case:<32} {(total - made) / requests:>8.0f}  ({requests} requests)")
' "$case"
done
