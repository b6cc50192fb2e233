#!/usr/bin/env bash
# The Bellows lab benchmark: routed vs HAProxy vs Bellows, side by side (docs/benchmarks.md).
#   sudo bash bench/run.sh            # 3 runs of every test, medians (about 9 minutes)
#   sudo bash bench/run.sh --quick    # 1 short run (about 2-3 minutes), a smoke test
# Other options go to the benchmark: --runs N, --seconds S, --idle-connections N, --only bulk,conn,keepalive,idle,
# --prefix P.
# Installs what it needs (Debian packages), builds Release, runs, writes bench/results/<UTC date-time>.md and
# prints it. The machine should be otherwise idle: client, proxy and server share its CPUs.
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
  case "$arg" in
    -h | --help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "the benchmark needs root (network namespaces, nftables): sudo bash bench/run.sh" >&2; exit 1; }

prefix=bn
tls=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[i]}" = --prefix ] && [ $((i + 1)) -lt ${#args[@]} ] && prefix="${args[i + 1]}"
  [ "${args[i]}" = --only ] && [ $((i + 1)) -lt ${#args[@]} ] && [ "${args[i + 1]}" = tls ] && tls=1
done

# 1. Tools: the lab's own (nftables, iproute2, ...), then the load generators, HAProxy and nginx.
bash scripts/install-deps.sh
missing=()
for tool in wrk iperf3 haproxy; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
command -v ps >/dev/null || missing+=(procps)
# The TLS suite (bench/tls.sh): Squid with ssl-bump (Debian builds it with OpenSSL only in squid-openssl).
if ((tls)); then
  [ -x /usr/lib/squid/security_file_certgen ] || missing+=(squid-openssl)
  command -v openssl >/dev/null || missing+=(openssl)
  # The suite compiles a small LD_PRELOAD library that keeps wrk from resuming TLS sessions.
  command -v gcc >/dev/null || missing+=(gcc libc6-dev)
fi
need_nginx=0
command -v nginx >/dev/null || need_nginx=1
if ((${#missing[@]} + need_nginx)); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  if ((need_nginx)); then
    # nginx-light (Debian 12) is the small build; newer releases only have nginx.
    if apt-cache show nginx-light >/dev/null 2>&1; then missing+=(nginx-light); else missing+=(nginx); fi
  fi
  echo "installing: ${missing[*]}"
  # The nginx (squid) package would start a system nginx on port 80 (squid on 3128); the benchmark runs its own
  # in a namespace.
  # Deny service starts during the install unless a policy is already in place.
  policy_made=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_made=1
  fi
  status=0
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  [ "$policy_made" = 0 ] || rm -f /usr/sbin/policy-rc.d
  [ "$status" = 0 ] || { echo "apt-get install failed ($status)" >&2; exit "$status"; }
fi
haproxy_version="$(haproxy -v 2>&1 | sed -n 1p)"
[[ "$haproxy_version" == *"version 2.6."* ]] || echo "note: the comparison is specified against HAProxy 2.6; this is: $haproxy_version" >&2

# 2. Build (Release). bellows.dll is copied next to the benchmark, which starts it in the gateway namespace.
if ! build_log="$(dotnet build -c Release -v:q -nologo perf/Bellows.LabBenchmarks 2>&1)"; then
  echo "$build_log" >&2
  exit 1
fi
bin=perf/Bellows.LabBenchmarks/bin/Release/net10.0

# 3. Run. If the benchmark dies without tearing its lab down, remove the namespaces (and their links).
cleanup() {
  if ip netns list 2>/dev/null | grep -q "^${prefix}-"; then
    echo "removing the leftover lab '${prefix}'" >&2
    dotnet "$bin/bellows.dll" lab --down --prefix "$prefix" >/dev/null 2>&1 || true
  fi
  # The TLS suite's client hosts file (/etc/netns/P-cli/hosts), if the benchmark could not remove it.
  rm -f "/etc/netns/${prefix}-cli/hosts" 2>/dev/null || true
  rmdir "/etc/netns/${prefix}-cli" 2>/dev/null || true
}
trap cleanup EXIT
mkdir -p bench/results
kind=""
((tls == 0)) || kind=tls-
out="bench/results/${kind}$(date -u +%Y-%m-%dT%H-%M-%SZ).md"
BELLOWS_BENCH_REVISION="$(git describe --always --dirty 2>/dev/null || echo unknown)"
export BELLOWS_BENCH_REVISION
# Each proxied connection costs 2 descriptors: the idle test needs the whole hard limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
dotnet "$bin/Bellows.LabBenchmarks.dll" "$@" --output "$out"
echo
cat "$out"
