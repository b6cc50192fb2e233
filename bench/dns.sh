#!/usr/bin/env bash
# DNS/UDP benchmark (issue 3): dnsperf through Bellows vs the routed path in one run, medians of RUNS;
# loss at a rate Bellows sustains; CPU per query; flows per second for single-query flows.
# Uses `bellows lab` (the same lab code as the tests). Usage: sudo bash bench/dns.sh [--runs N] [--seconds S]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=3; SECS=8; PREFIX=dnsb
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 1; }
bash scripts/install-deps.sh
dpkg-query -W -f='${Status}' dnsperf 2>/dev/null | grep -q "install ok installed" || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dnsperf >/dev/null; }
dotnet build -c Release -v:q -nologo src/Bellows.Host/Bellows.Host.csproj -o artifacts/bellows >/dev/null

work=$(mktemp -d); log=$work/lab.log
for i in $(seq 1 2000); do echo "www.lab.test A"; done > "$work/queries"
dotnet artifacts/bellows/bellows.dll lab --prefix $PREFIX > "$log" 2>&1 &
labpid=$!
cleanup() { kill -TERM $labpid 2>/dev/null || true; wait $labpid 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
sock=/run/bellows/$PREFIX.sock
for i in $(seq 1 120); do
  dotnet artifacts/bellows/bellows.dll status --socket $sock > "$work/status.json" 2>/dev/null && break
  sleep 0.5
done
bpid=$(python3 -c "import json;print(json.load(open('$work/status.json'))['pid'])")
gw=$PREFIX-gw; cli=$PREFIX-cli
ip netns exec $gw nft list table inet bellows > "$work/rules.nft"
cpu() { awk '{print $14+$15}' /proc/$bpid/stat; }
flows() { dotnet artifacts/bellows/bellows.dll status --socket $sock | python3 -c "import json,sys;d=json.load(sys.stdin);print(sum(l['flows']['created'] for l in d['listeners'] if l['flows']))"; }
divert() { ip netns exec $gw nft delete table inet bellows 2>/dev/null || true; [ "$1" = on ] && ip netns exec $gw nft -f "$work/rules.nft"; true; }

# dnsperf: 4 clients, up to 200 outstanding; qps and lost queries from its summary.
perf() { ip netns exec $cli dnsperf -s 198.18.1.2 -d "$work/queries" -l "$SECS" -c 4 -q 200 "$@" 2>/dev/null \
  | awk '/Queries per second:/{q=$4} /Queries lost:/{l=$3} END{print q, l}'; }

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
declare -a routed_q bellows_q bellows_cpu
for r in $(seq 1 "$RUNS"); do
  divert off; read -r q l < <(perf); routed_q+=("$q"); echo "run $r routed:  $q qps, lost $l"
  divert on; f0=$(flows); c0=$(cpu); read -r q l < <(perf); c1=$(cpu); f1=$(flows)
  bellows_q+=("$q"); n=$(python3 -c "print(float('$q')*$SECS)")
  us=$(python3 -c "print(round(($c1-$c0)*10000/$n,1))")   # clock ticks are 10 ms
  bellows_cpu+=("$us"); echo "run $r bellows: $q qps, lost $l, $us us CPU/query, flows opened $((f1-f0))"
done
rq=$(printf '%s\n' "${routed_q[@]}" | median); bq=$(printf '%s\n' "${bellows_q[@]}" | median); bc=$(printf '%s\n' "${bellows_cpu[@]}" | median)

# Loss at a rate Bellows sustains: 80% of its measured median, paced with -Q.
rate=$(python3 -c "print(int($bq*0.8))")
# Where a loss happens: the gateway's UDP queues (Bellows) or the server's (dnsmasq overrun).
ip netns exec $gw nstat -n; ip netns exec $PREFIX-srv nstat -n
read -r sq sl < <(perf -Q "$rate"); echo "paced at $rate qps through bellows: $sq qps, lost $sl"
gwdrops=$(ip netns exec $gw nstat -z UdpRcvbufErrors | awk '/UdpRcvbufErrors/{print $2}')
srvdrops=$(ip netns exec $PREFIX-srv nstat -z UdpRcvbufErrors | awk '/UdpRcvbufErrors/{print $2}')

# Flow opening: every query from a new socket (a new flow), 500 in flight, 5,000 queries (bounded: 3 s a batch).
divert off; read -r ra rc rt < <(ip netns exec $cli python3 bench/dns_flows.py 198.18.1.2 5000 500)
divert on; c0=$(cpu); read -r ba bc2 bt < <(ip netns exec $cli python3 bench/dns_flows.py 198.18.1.2 5000 500); c1=$(cpu)
rfps=$(python3 -c "print(round($ra/$rt))"); bfps=$(python3 -c "print(round($ba/$bt))")
fcpu=$(python3 -c "print(round(($c1-$c0)*10000/max($ba,1),1))")

mkdir -p bench/results
out=bench/results/dns-$(date -u +%Y-%m-%dT%H-%M-%SZ).md
{
  echo "# DNS over UDP through Bellows ($(date -u +%F\ %TZ), medians of $RUNS × ${SECS}s, dnsmasq behind)"
  echo
  echo "| path | queries/s | vs routed | CPU per query (µs) |"
  echo "|---|---:|---:|---:|"
  echo "| routed | $rq | 1.00× | – |"
  echo "| Bellows | $bq | $(python3 -c "print(f'{$bq/$rq:.2f}')")× | $bc |"
  echo
  echo "Paced at $rate queries/s (80% of Bellows' median) through Bellows: $sq queries/s, **$sl lost**"
  echo "(UDP receive-queue drops meanwhile: gateway/Bellows ${gwdrops:-0}, server/dnsmasq ${srvdrops:-0})."
  echo
  echo "| single-query flows (new source port each, 500 in flight) | answered | flows/s | CPU per flow (µs) |"
  echo "|---|---:|---:|---:|"
  echo "| routed | $ra / $rc | $rfps | – |"
  echo "| Bellows | $ba / $bc2 | $bfps | $fcpu |"
} > "$out"
cat "$out"
