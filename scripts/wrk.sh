#!/usr/bin/env bash
# Over the wire: the bare handler, #[cors] and actix-cors 0.7.2, served by ONE server
# (examples/bench_server.rs, one worker, 127.0.0.1 only) and driven by wrk, interleaved:
# A/B/C/D/E, A/B/C/D/E, ... so that load from other processes weighs on every case alike.
#
#   scripts/wrk.sh                      # 3 rounds x 5 cases x 5 s, ~1.5 min after the build
#   ROUNDS=5 DURATION=10 scripts/wrk.sh
#
# Prints, per case, requests/s and server CPU per request (utime+stime of the server process
# from /proc/PID/stat, before and after each run, divided by the requests wrk completed),
# medians over the rounds with their range, and ratios to the bare GET. The server is
# stopped (by its PID) when the script exits. See BENCHMARKS.md.
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
BIN=${CARGO_TARGET_DIR:-target}/release/examples/bench_server

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

# Medians over the rounds, [min-max], and ratios of the medians to the bare GET (and, for
# #[cors], to actix-cors): requests/s higher is better, CPU per request lower is better.
echo
awk -v rounds="$ROUNDS" '
function median(a, n,    i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{
    if (!($1 in count)) name[++cases] = $1
    k = ++count[$1]; rps[$1, k] = $3; cpu[$1, k] = $4; usr[$1, k] = $5
}
END {
    printf "%-21s %24s %21s %21s | %-17s %-17s %s\n", "median of " rounds " rounds", "req/s [min-max]",
        "us CPU/req [min-max]", "us user/req [min-max]", "to bare: req/s", "CPU  user", "to actix-cors: CPU user"
    for (c = 1; c <= cases; c++) {
        n = name[c]; m = count[n]
        for (k = 1; k <= m; k++) { r[k] = rps[n, k]; u[k] = cpu[n, k]; s[k] = usr[n, k] }
        mr[n] = median(r, m); mu[n] = median(u, m); ms[n] = median(s, m)
        line[n] = sprintf("%-21s %7.0f [%6.0f-%6.0f] %6.2f [%5.2f-%5.2f] %6.2f [%5.2f-%5.2f]", n,
            mr[n], r[1], r[m], mu[n], u[1], u[m], ms[n], s[1], s[m])
    }
    for (c = 1; c <= cases; c++) {
        n = name[c]; twin = n; sub(/^cors-/, "actix-cors-", twin)
        vs = (n ~ /^cors-/ && (twin in mu)) ? sprintf("%.2fx %.2fx", mu[n] / mu[twin], ms[n] / ms[twin]) : ""
        printf "%s | %5.2fx            %5.2fx %5.2fx     %s\n", line[n], mr[n] / mr["bare-get"],
            mu[n] / mu["bare-get"], ms[n] / ms["bare-get"], vs
    }
}' "$RESULTS"
