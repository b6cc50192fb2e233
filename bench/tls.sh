#!/usr/bin/env bash
# The Bellows TLS benchmark: direct HTTPS (routed) vs Squid 5.7 ssl-bump vs Bellows inspecting TLS, side by side
# (docs/benchmarks.md, "TLS"):
#   sudo bash bench/tls.sh            # 3 runs, medians (about 4 minutes)
#   sudo bash bench/tls.sh --quick    # 1 short run, a smoke test
# Other options go to the benchmark: --runs N, --seconds S, --tls-paths routed,squid,bellows, --squid-workers N,
# --prefix P (default sq).
# Installs what it needs (Debian packages, squid-openssl among them), builds Release, runs, writes
# bench/results/tls-<UTC date-time>.md and prints it.
set -euo pipefail
for arg in "$@"; do
  case "$arg" in
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
  esac
done
exec bash "$(dirname "$0")/run.sh" --prefix sq --only tls "$@"
