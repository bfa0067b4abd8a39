#!/usr/bin/env bash
# The forbidden-call scanner's self-test: on the fixture it must fail and report exactly the
# lines marked BAD, so a scanner that silently matches nothing cannot pass.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixture="$here/fixtures"
expected=$(grep -n "// BAD" "$fixture/engine/every_forbidden_call.cpp" | cut -d: -f1 | sort -n | tr '\n' ' ')
if output=$(python3 "$here/forbidden_calls.py" --root "$fixture" 2>&1); then
  echo "scanner passed a fixture full of forbidden calls"; exit 1
fi
reported=$(echo "$output" | grep -o '^engine/every_forbidden_call.cpp:[0-9]*' | cut -d: -f2 | sort -n | uniq | tr '\n' ' ')
if [[ "$reported" != "$expected" ]]; then
  echo "expected findings on lines: $expected"
  echo "reported findings on lines: $reported"
  echo "$output"
  exit 1
fi
echo "scanner reports all $(echo "$expected" | wc -w) planted violations and nothing else"
