#!/usr/bin/env bash
# README command 2: build and run every test project, then print one summary line
# "N passed, N failed, N skipped". Exits non-zero when anything failed (or nothing ran).
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then
  bash scripts/install-deps.sh || exit 1
else
  echo "warning: not root: the network-namespace tests will fail (they need root)" >&2
fi
dotnet build -c Release -nologo -v:q Bellows.slnx || { echo "0 passed, 1 failed (build)"; exit 1; }

passed=0; failed=0; skipped=0; status=0
log=$(mktemp)
for project in test/*/*.csproj; do
  case "$project" in *Tests.Common*) continue ;; esac
  echo "== $project"
  dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee "$log" \
    | grep -E "^ +(Failed|Skipped) |^Total tests|^ +(Passed|Failed|Skipped): |error" || true
  if ! grep -qE "^Total tests: +[0-9]+" "$log"; then
    echo "no result summary for $project (build failure or crash)"; failed=$((failed + 1)); status=1; continue
  fi
  count() { grep -E "^ +$1: +[0-9]+ *$" "$log" | tail -1 | grep -oE "[0-9]+" || echo 0; }
  p=$(count Passed); f=$(count Failed); s=$(count Skipped)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$f" != 0 ]; then
    status=1
    echo "-- failure details for $project:"
    grep -A14 -E "^ +Error Message:" "$log" | head -120
  fi
done
rm -f "$log"
if [ "${CI:-}" = true ] && [ "$skipped" != 0 ]; then
  echo "CI: $skipped tests were skipped; nothing may be skipped in CI"; status=1
fi
[ $((passed + failed)) -gt 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
