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
    | grep -E "^\s*(Failed|Skipped) |Passed!|Failed!|error" || true
  line=$(grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+" "$log" | tail -1)
  if [ -z "$line" ]; then
    echo "no result line for $project (crashed or no tests)"; failed=$((failed + 1)); status=1; continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$line")
  p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line")
  s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  [ "$f" = 0 ] || status=1
done
rm -f "$log"
if [ "${CI:-}" = true ] && [ "$skipped" != 0 ]; then
  echo "CI: $skipped tests were skipped; nothing may be skipped in CI"; status=1
fi
[ $((passed + failed)) -gt 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
