#!/bin/sh
# Root. The SMTP check's wall time across a real delayed path: two namespaces joined by the
# WAN lab's user-space forwarder (test/helpers/wan-link.c: TUN devices, no sch_netem needed).
#   sh test/bench/service-wall-netns.sh [RTT_MS] [RUNS] [WAN_LINK_C]     (after `npm run build`)
# 198.18.250.0/30 only; removes its namespaces and devices whatever happens.
set -eu
RTT_MS=${1:-100}
RUNS=${2:-7}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SOURCE=${3:-$ROOT/test/helpers/wan-link.c}
TAG=xps$$
CLIENT=$TAG-c
SERVER=$TAG-s
WORK=$(mktemp -d)
LINK_PID=
SERVE_PID=
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null || true
  [ -n "$LINK_PID" ] && kill "$LINK_PID" 2>/dev/null || true
  ip netns del "$CLIENT" 2>/dev/null || true
  ip netns del "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

cc -O2 -o "$WORK/wan-link" "$SOURCE"
mkfifo "$WORK/in" "$WORK/out"
"$WORK/wan-link" "${TAG}a" "${TAG}b" <"$WORK/in" >"$WORK/out" &
LINK_PID=$!
exec 3>"$WORK/in" 4<"$WORK/out"
read -r ready <&4
[ "$ready" = ready ] || { echo "wan-link: $ready" >&2; exit 1; }
ip netns add "$CLIENT"
ip netns add "$SERVER"
ip link set "${TAG}a" netns "$CLIENT"
ip link set "${TAG}b" netns "$SERVER"
ip -n "$CLIENT" addr add 198.18.250.1/30 dev "${TAG}a"
ip -n "$SERVER" addr add 198.18.250.2/30 dev "${TAG}b"
for ns in "$CLIENT" "$SERVER"; do
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "${TAG}a" up 2>/dev/null || ip -n "$ns" link set "${TAG}b" up
done
# Half the round trip each way, no jitter, no loss.
echo "$((RTT_MS * 500)) 0 0 1 0" >&3
read -r ok <&4
[ "$ok" = ok ] || { echo "wan-link: $ok" >&2; exit 1; }

ip netns exec "$SERVER" node "$ROOT/test/bench/service-wall.js" serve 198.18.250.2 >"$WORK/serve.log" &
SERVE_PID=$!
until grep -q ready "$WORK/serve.log" 2>/dev/null; do sleep 0.1; done
ip netns exec "$CLIENT" node "$ROOT/test/bench/service-wall.js" probe 198.18.250.2 "$RTT_MS" "$RUNS"
