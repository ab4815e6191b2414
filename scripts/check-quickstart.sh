#!/usr/bin/env bash
# Runs `cors-check` against the quickstart example, as a browser on its page's origin would ask,
# and checks each verdict (exit 0 = a browser allows it, 1 = a browser blocks it); then probes
# it with the origins a careless server lets through (`--probe`: exit 0 = no finding).
# Used by .ci/run; needs ports 8080 and 8081 on 127.0.0.1 free (the quickstart's fixed ports).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --example quickstart -p actix-route-cors
cargo build -q -p cors-check
source scripts/target-dir.sh
check=$TARGET_DIR/debug/cors-check
"$TARGET_DIR/debug/examples/quickstart" >/tmp/quickstart-check.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && break
  sleep 0.2
done

page=http://127.0.0.1:8081
failures=0
total=0
expect() {
  local want=$1; shift
  local got=0
  total=$((total + 1))
  "$check" "$@" >/tmp/cors-check.out 2>&1 || got=$?
  if [ "$got" = "$want" ]; then
    echo "ok   (exit $got) cors-check $*"
  else
    echo "FAIL (exit $got, expected $want) cors-check $*"; cat /tmp/cors-check.out
    failures=$((failures + 1))
  fi
}
expect 0 http://127.0.0.1:8080/public --origin "$page"
expect 0 http://127.0.0.1:8080/items --origin "$page"
expect 0 http://127.0.0.1:8080/me --origin "$page" --credentials
expect 0 http://127.0.0.1:8080/items/7 --origin "$page" --method PUT \
  --header 'content-type: application/json' --header 'x-request-id: 1' --data '{"name":"fig"}'
expect 1 http://127.0.0.1:8080/items/7 --origin "$page" --method PUT \
  --header 'content-type: application/json' --header 'x-forbidden: 1' --data '{}'
expect 1 http://127.0.0.1:8080/partner --origin "$page"
expect 1 http://127.0.0.1:8080/items --origin https://evil.example
expect 0 --probe http://127.0.0.1:8080/me --origin "$page"
echo "$((total - failures)) passed, $failures failed"
[ "$failures" = 0 ]
