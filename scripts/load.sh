#!/usr/bin/env bash
# Sustained mixed load against the quickstart server.
#
# Builds and starts `examples/quickstart` (it listens on 127.0.0.1:8080 and 127.0.0.1:8081
# only), then drives it with wrk for DURATION seconds (60 by default) with a rotation of allowed,
# denied and hostile requests: allowed GET, disallowed origin, allowed preflight, denied
# preflight, an 8 KiB origin, a 64 KiB Access-Control-Request-Headers, non-UTF-8 bytes in Origin
# and in Access-Control-Request-Headers, repeated Origin fields, a control byte in Origin,
# 10,000 Access-Control-Request-Headers fields, and a GET of the public route without Origin.
#
# Each request kind gets its own wrk thread, so every response is checked against the status
# and the Access-Control-Allow-Origin its kind must get; the counts per status and per kind are
# printed at the end. The server's resident memory (VmRSS) is sampled before the load, every
# 10 seconds during it, and after it. The script fails if any response was unexpected or wrk
# reported a socket error, and it always stops the server it started (by its PID).
#
#   bash scripts/load.sh               # 60 s
#   DURATION=10 bash scripts/load.sh   # a shorter run
#
# The server and wrk run under `nice -n 19`: the load is a soak test, not a benchmark, and must
# not disturb other work on the machine. Installs wrk from Debian's packages if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-60}
API=127.0.0.1:8080
WORK=$(mktemp -d)
PIDFILE=$WORK/quickstart.pid
# The quickstart logs every refused request at `info` on stderr: under load that is thousands
# of lines a second (about 200 MB in 60 s), so its stderr goes to a file in a temporary folder,
# not to the terminal; its size and its longest line are printed at the end, then it is deleted.
SERVER_LOG=$WORK/quickstart.stderr

say() { printf '==> %s\n' "$*"; }

stop_server() {
  if [[ -s $PIDFILE ]]; then
    local pid
    pid=$(cat "$PIDFILE")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
      done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

if ! command -v wrk >/dev/null 2>&1; then
  say "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq wrk >/dev/null
fi

say "building the quickstart (release)"
nice -n 19 cargo build --release --example quickstart

say "starting the quickstart on $API"
source scripts/target-dir.sh
nice -n 19 "$TARGET_DIR/release/examples/quickstart" >"$WORK/quickstart.stdout" 2>"$SERVER_LOG" &
echo $! >"$PIDFILE"
PID=$(cat "$PIDFILE")
for i in $(seq 100); do
  if (exec 3<>"/dev/tcp/${API%:*}/${API#*:}") 2>/dev/null; then
    break
  fi
  if ! kill -0 "$PID" 2>/dev/null || [[ $i == 100 ]]; then
    echo "the quickstart did not start:" >&2
    cat "$SERVER_LOG" >&2
    exit 1
  fi
  sleep 0.1
done

# The wrk script: one request kind per thread (set by `setup`), raw requests (so that fields
# can repeat and hold any byte), and a check of every response.
cat >"$WORK/load.lua" <<'LUA'
local page = "http://127.0.0.1:8081"
local big_origin = "https://" .. string.rep("a", 8192 - 8)
local big_list = string.rep("x-request-id, ", 65536 / 14 + 1):sub(1, 65536)
local preflight = "OPTIONS /items/7 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n" ..
  "Access-Control-Request-Method: PUT\r\n"

-- name, raw request, expected status, expected Access-Control-Allow-Origin (false: none)
kinds = {
  { "allowed GET", "GET /items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: " .. page .. "\r\n\r\n",
    200, page },
  { "disallowed origin", "GET /items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n" ..
    "Origin: https://evil.example\r\n\r\n", 200, false },
  { "allowed preflight", preflight .. "Origin: " .. page .. "\r\n" ..
    "Access-Control-Request-Headers: content-type, x-request-id\r\n\r\n", 204, page },
  { "denied preflight", preflight .. "Origin: " .. page .. "\r\n" ..
    "Access-Control-Request-Headers: x-forbidden\r\n\r\n", 403, false },
  { "8 KiB origin", "GET /items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: " .. big_origin ..
    "\r\n\r\n", 200, false },
  { "64 KiB ACRH", preflight .. "Origin: " .. page .. "\r\n" ..
    "Access-Control-Request-Headers: " .. big_list .. "\r\n\r\n", 403, false },
  { "non-UTF-8 origin", "GET /items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: " .. page ..
    "\128\255\r\n\r\n", 200, false },
  { "non-UTF-8 ACRH", preflight .. "Origin: " .. page .. "\r\n" ..
    "Access-Control-Request-Headers: content-type, x-\200\255\r\n\r\n", 403, false },
  { "repeated Origin", "GET /items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: " .. page ..
    "\r\nOrigin: " .. page .. "\r\n\r\n", 200, false },
  -- Refused by the HTTP parser before any route (400), which then closes the connection.
  { "control byte in origin", "GET /items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: " .. page ..
    "\1\r\nConnection: close\r\n\r\n", 400, false },
  -- More fields than the HTTP parser takes (431), which then closes the connection.
  { "10,000 ACRH fields", preflight .. "Origin: " .. page .. "\r\n" ..
    string.rep("Access-Control-Request-Headers: a\r\n", 10000) .. "Connection: close\r\n\r\n",
    431, false },
  { "public, no Origin", "GET /public HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n", 200, "*" },
}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("kind", #threads)
end

function init(args)
  counts = {}
  bad = 0
  first_bad = ""
  raw = kinds[kind][2]
end

function request()
  return raw
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  local k = kinds[kind]
  local acao = headers["access-control-allow-origin"] or headers["Access-Control-Allow-Origin"]
  if status ~= k[3] or (k[4] and acao ~= k[4]) or (not k[4] and acao ~= nil) then
    bad = bad + 1
    if first_bad == "" then
      first_bad = "status " .. status .. ", ACAO " .. tostring(acao)
    end
  end
end

function done(summary, latency, requests)
  local by_status, unexpected = {}, 0
  io.write(string.format("%-24s %8s  %s\n", "kind", "expected", "responses by status"))
  for _, t in ipairs(threads) do
    local k = kinds[t:get("kind")]
    local c, parts = t:get("counts"), {}
    for status, n in pairs(c) do
      table.insert(parts, status .. ": " .. n)
      by_status[status] = (by_status[status] or 0) + n
    end
    table.sort(parts)
    local b = t:get("bad")
    unexpected = unexpected + b
    io.write(string.format("%-24s %8d  %s%s\n", k[1], k[3], table.concat(parts, ", "),
      b > 0 and ("  UNEXPECTED " .. b .. " (first: " .. t:get("first_bad") .. ")") or ""))
  end
  local parts = {}
  for status, n in pairs(by_status) do table.insert(parts, status .. ": " .. n) end
  table.sort(parts)
  io.write("all statuses: " .. table.concat(parts, ", ") .. "\n")
  local e = summary.errors
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write("responses: " .. summary.requests .. "\n")
  io.write("unexpected: " .. unexpected .. "\n")
end
LUA

KINDS=12
RSS_START=$(rss_kb "$PID")
say "server PID $PID, VmRSS before the load: ${RSS_START} kB"
say "wrk: $KINDS threads (one per request kind), $((KINDS * 2)) connections, ${DURATION}s"
(
  for _ in $(seq $((DURATION / 10))); do
    sleep 10
    kill -0 "$PID" 2>/dev/null && echo "    VmRSS $(rss_kb "$PID") kB"
  done
) &
SAMPLER=$!
nice -n 19 wrk -t "$KINDS" -c "$((KINDS * 2))" -d "${DURATION}s" --timeout 10s \
  -s "$WORK/load.lua" "http://$API" | tee "$WORK/wrk.out"
wait "$SAMPLER" || true

if ! kill -0 "$PID" 2>/dev/null; then
  echo "the server died during the load:" >&2
  tail -20 "$SERVER_LOG" >&2
  exit 1
fi
RSS_END=$(rss_kb "$PID")
say "VmRSS before the load: ${RSS_START} kB, after it: ${RSS_END} kB"
stop_server
LONGEST=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$SERVER_LOG")
say "server stderr: $(wc -l <"$SERVER_LOG") lines, $(wc -c <"$SERVER_LOG") bytes, the longest line ${LONGEST} bytes"

grep -q '^unexpected: 0$' "$WORK/wrk.out" || {
  echo "FAIL: unexpected responses" >&2
  exit 1
}
grep -q '^socket errors: connect 0, read 0, write 0, timeout 0$' "$WORK/wrk.out" || {
  echo "FAIL: socket errors" >&2
  exit 1
}
# A refusal quotes at most 128 bytes of the request: no log line grows with the input.
((LONGEST <= 1024)) || {
  echo "FAIL: a log line of $LONGEST bytes" >&2
  exit 1
}
say "OK: every response had the status and Access-Control-Allow-Origin its kind must get"
