#!/usr/bin/env bash
# Over the wire: the bare handler, #[cors] and actix-cors 0.7.2, served by ONE server
# (examples/bench_server.rs, one worker, 127.0.0.1 only) and driven by wrk, interleaved:
# A/B/C/D/E, A/B/C/D/E, ... so that load from other processes weighs on every case alike.
#
#   scripts/wrk.sh                      # 3 rounds x 5 cases x 5 s, ~1.5 min after the build
#   ROUNDS=5 DURATION=10 scripts/wrk.sh
#
# Prints, per case, requests/s and server CPU per request (utime+stime of the server process
# from /proc/PID/stat, before and after each run, divided by the requests wrk completed) as
# medians over the rounds, and ratios taken within each round (to the bare GET, and #[cors]
# to actix-cors) as medians with their range. The server is stopped (by its PID) when the
# script exits. See BENCHMARKS.md.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-2}
THREADS=${THREADS:-1}
PORT=${PORT:-8099}
ORIGIN=https://app.example.com

cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk is missing: installing Debian's package" >&2
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y wrk; }
fi

cargo build --release --example bench_server
source scripts/target-dir.sh
BIN=$TARGET_DIR/release/examples/bench_server

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

# Wait (up to 10 s) for the server to accept connections.
for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "the server exited:" >&2
        cat "$WORK/server.log" >&2
        exit 1
    fi
    sleep 0.1
done

BASE="http://127.0.0.1:$PORT"
PREFLIGHT_HEADERS=(-H "Origin: $ORIGIN" -H "Access-Control-Request-Method: GET"
    -H "Access-Control-Request-Headers: content-type,x-request-id")

# wrk sends GET unless a script says otherwise.
printf 'wrk.method = "OPTIONS"\n' >"$WORK/options.lua"

# name | method | path
CASES=(
    "bare-get|GET|/bare/items"
    "cors-get|GET|/cors/items"
    "actix-cors-get|GET|/actix-cors/items"
    "cors-preflight|OPTIONS|/cors/items"
    "actix-cors-preflight|OPTIONS|/actix-cors/items"
)

wrk_args() { # method path -> wrk arguments
    if [[ $1 == OPTIONS ]]; then
        printf '%s\n' -s "$WORK/options.lua" "${PREFLIGHT_HEADERS[@]}" "$BASE$2"
    else
        printf '%s\n' -H "Origin: $ORIGIN" "$BASE$2"
    fi
}

# Each case answers as expected before anything is timed.
if command -v curl >/dev/null 2>&1; then
    check() { # expected-status expected-ACAO curl-args...
        local status=$1 acao=$2 out
        shift 2
        out=$(curl -s -o /dev/null -D - "$@")
        grep -q "^HTTP/1.1 $status" <<<"$out" || { echo "unexpected status for $*: $out" >&2; exit 1; }
        if [[ -n $acao ]]; then
            grep -qi "^access-control-allow-origin: $acao"$'\r'"\$" <<<"$out" || {
                echo "unexpected Access-Control-Allow-Origin for $*: $out" >&2
                exit 1
            }
        fi
    }
    check 200 "" -H "Origin: $ORIGIN" "$BASE/bare/items"
    check 200 "$ORIGIN" -H "Origin: $ORIGIN" "$BASE/cors/items"
    check 200 "$ORIGIN" -H "Origin: $ORIGIN" "$BASE/actix-cors/items"
    check 204 "$ORIGIN" -X OPTIONS "${PREFLIGHT_HEADERS[@]}" "$BASE/cors/items"
    check 200 "$ORIGIN" -X OPTIONS "${PREFLIGHT_HEADERS[@]}" "$BASE/actix-cors/items"
fi

cpu_ticks() { # "utime stime" of the server, all threads, in clock ticks
    # Fields after the command name (which ends with ')'): utime is the 12th, stime the 13th.
    sed 's/.*) //' "/proc/$SERVER_PID/stat" | awk '{ print $12, $13 }'
}
TICKS_PER_SECOND=$(getconf CLK_TCK)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$THREADS -c$CONNECTIONS, $ROUNDS rounds x ${DURATION}s per case, server: 1 worker"

# Warm-up: one second per case, not recorded.
for case in "${CASES[@]}"; do
    IFS='|' read -r _ method path <<<"$case"
    mapfile -t args < <(wrk_args "$method" "$path")
    wrk -t1 -c"$CONNECTIONS" -d1s "${args[@]}" >/dev/null
done

RESULTS="$WORK/results"
: >"$RESULTS"
for round in $(seq "$ROUNDS"); do
    for case in "${CASES[@]}"; do
        IFS='|' read -r name method path <<<"$case"
        mapfile -t args < <(wrk_args "$method" "$path")
        before=$(cpu_ticks)
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "${args[@]}")
        after=$(cpu_ticks)
        if grep -q "Non-2xx or 3xx" <<<"$out"; then
            echo "$name: wrk saw error statuses:" >&2
            echo "$out" >&2
            exit 1
        fi
        requests=$(awk '/requests in/ { print $1 }' <<<"$out")
        rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
        # CPU per request, microseconds: user+system, and user alone (the application's part;
        # system time is mostly the sockets', the same for every case).
        read -r cpu_us user_us < <(awk -v b="$before" -v a="$after" -v hz="$TICKS_PER_SECOND" \
            -v n="$requests" 'BEGIN {
                split(b, x, " "); split(a, y, " ")
                printf "%.3f %.3f\n", (y[1] - x[1] + y[2] - x[2]) / hz * 1e6 / n, (y[1] - x[1]) / hz * 1e6 / n
            }')
        printf 'round %d  %-22s %10.0f req/s  %7s us CPU/req (user %s)\n' "$round" "$name" "$rps" \
            "$cpu_us" "$user_us"
        echo "$name $round $rps $cpu_us $user_us" >>"$RESULTS"
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Per case: medians over the rounds with [min-max]; then ratios taken within each round (to the
# bare GET of the same round, and for #[cors] to actix-cors in the same round), as medians over
# the rounds with [min-max]: load that comes and goes then weighs on both sides of a ratio.
# Requests/s: higher is better; CPU per request: lower is better.
echo
awk -v rounds="$ROUNDS" '
function sort(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
}
function median(a, n) { sort(a, n); return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
function stat(a, n,    m) { m = median(a, n); return sprintf("%5.2f [%4.2f-%4.2f]", m, a[1], a[n]) }
{
    if (!($1 in count)) name[++cases] = $1
    k = ++count[$1]; rps[$1, $2] = $3; cpu[$1, $2] = $4; usr[$1, $2] = $5; round[$1, k] = $2
}
END {
    printf "%-21s %9s %9s %9s | %-19s %-19s %-19s | %-19s %s\n", "median of " rounds, "req/s",
        "us CPU", "us user", "req/s to bare", "CPU to bare", "user to bare",
        "CPU to actix-cors", "user to actix-cors"
    for (c = 1; c <= cases; c++) {
        n = name[c]; m = count[n]
        twin = n; sub(/^cors-/, "actix-cors-", twin); has_twin = (n ~ /^cors-/ && (twin in count))
        for (k = 1; k <= m; k++) {
            r = round[n, k]
            a[k] = rps[n, r]; b[k] = cpu[n, r]; u[k] = usr[n, r]
            qr[k] = rps[n, r] / rps["bare-get", r]; qc[k] = cpu[n, r] / cpu["bare-get", r]
            qu[k] = usr[n, r] / usr["bare-get", r]
            if (has_twin) { tc[k] = cpu[n, r] / cpu[twin, r]; tu[k] = usr[n, r] / usr[twin, r] }
        }
        line = sprintf("%-21s %9.0f %9.2f %9.2f | %s %s %s |", n, median(a, m), median(b, m),
            median(u, m), stat(qr, m), stat(qc, m), stat(qu, m))
        if (has_twin) line = line sprintf(" %s %s", stat(tc, m), stat(tu, m))
        print line
    }
}' "$RESULTS"
