#!/usr/bin/env bash
# Differential check of engine/config/cts's decoding against CTS v0.9.0's decodeConfig run with
# the libraries it pins. Manual (not part of CTest): it needs Go and three Debian packages:
#   apt-get install golang-go golang-github-hashicorp-hcl-dev \
#     golang-github-mitchellh-mapstructure-dev golang-github-mitchellh-reflectwalk-dev
# Usage: run.sh BUILD_DIR [SEEDS] [INPUTS_PER_SEED]   (BUILD_DIR has built baton_cts_config)
set -euo pipefail
build=$(cd "${1:?usage: run.sh BUILD_DIR [SEEDS] [INPUTS_PER_SEED]}" && pwd)
seeds=${2:-3}
count=${3:-5000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$work/gocache" go build -o "$work/reference" "$here/cts_decode.go"
sanitize=()
if grep -q '^BATON_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then sanitize=(-fsanitize=address,undefined); fi
c++ -std=c++20 -O1 "${sanitize[@]}" -I"$root" "$here/cts_driver.cpp" \
  "$build/engine/config/libbaton_cts_config.a" "$build/engine/config/libbaton_config.a" \
  "$build/engine/driver/libbaton_driver.a" "$build/engine/libbaton_core.a" -lfmt -o "$work/ours"

status=0
for seed in $(seq 1 "$seeds"); do
  python3 "$here/generate_inputs.py" "$seed" "$count" > "$work/inputs"
  "$work/reference" < "$work/inputs" > "$work/reference.out"
  "$work/ours" < "$work/inputs" > "$work/ours.out"
  echo "seed $seed, $count inputs:"
  python3 "$here/compare.py" "$work/inputs" "$work/reference.out" "$work/ours.out" || status=1
done
exit $status
