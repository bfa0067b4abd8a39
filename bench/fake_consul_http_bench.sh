#!/usr/bin/env bash
# fake-consul's requests per second over loopback with keep-alive (issue 4 target: >= 20,000),
# measured with wrk against a release build. Prints wrk's report for a KV GET and a KV PUT.
#   bench/fake_consul_http_bench.sh [build/release/bin/fake-consul] [seconds] [connections]
set -euo pipefail
binary=${1:-build/release/bin/fake-consul}
seconds=${2:-10}
connections=${3:-16}
command -v wrk >/dev/null || { echo "wrk is missing: run .ci/setup" >&2; exit 1; }

log=$(mktemp)
"$binary" agent -dev -client 127.0.0.1 -http-port 0 -log-level info 2>"$log" &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log" "$script"' EXIT
for _ in $(seq 50); do
  port=$(grep -o 'address=127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f2 || true)
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "fake-consul did not start" >&2; cat "$log" >&2; exit 1; }

curl -s -X PUT --data 'value' "http://127.0.0.1:$port/v1/kv/bench/key" >/dev/null
echo "== GET /v1/kv/bench/key, $connections connections, ${seconds}s, one wrk thread (the other core serves)"
wrk -t1 -c"$connections" -d"${seconds}s" "http://127.0.0.1:$port/v1/kv/bench/key"
script=$(mktemp --suffix=.lua)
printf 'wrk.method = "PUT"\nwrk.body = "value"\n' > "$script"
echo "== PUT /v1/kv/bench/key"
wrk -t1 -c"$connections" -d"${seconds}s" -s "$script" "http://127.0.0.1:$port/v1/kv/bench/key"
