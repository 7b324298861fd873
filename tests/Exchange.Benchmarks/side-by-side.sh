#!/usr/bin/env bash
# Two gateway builds (or one build with two settings) side by side: one simulated region, two gateway processes in
# front of it, each saturated by its own h2load at the same time, so that a noisy neighbour slows both alike. Prints
# each gateway's CPU time per call (user + system, from /proc) for every measured round. On a shared 2-core machine
# this tells apart changes of a few per cent that separate runs hide (docs/performance.md, "A steadier yardstick").
#
#   tests/Exchange.Benchmarks/side-by-side.sh [--a DIR] [--b DIR] [--a-env 'K=V ...'] [--b-env 'K=V ...']
#                                             [--calls N] [--rounds N] [--warmups N]
#
# DIR is a directory holding an Exchange.Gateway build (default: src/Exchange.Gateway/bin/Release/net10.0, which
# `dotnet build -c Release Exchange.sln` makes; build the other side with `dotnet build -c Release -o DIR
# src/Exchange.Gateway`). Both gateways run fully on, configured like the load benchmark's gateway row. Needs h2load
# (Debian nghttp2-client). Run it from the repository root; swap A and B once to see the order does not matter.
set -euo pipefail

root=$(pwd)
release="$root/src/Exchange.Gateway/bin/Release/net10.0"
bin_a=$release bin_b=$release env_a="" env_b="" calls=80000 rounds=3 warmups=3
while [[ $# -gt 0 ]]; do
  case $1 in
    --a) bin_a=$(realpath "$2"); shift 2 ;;
    --b) bin_b=$(realpath "$2"); shift 2 ;;
    --a-env) env_a=$2; shift 2 ;;
    --b-env) env_b=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --warmups) warmups=$2; shift 2 ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
done

simulator="$root/src/Exchange.PartnerSim/bin/Release/net10.0/Exchange.PartnerSim"
benchmarks="$root/tests/Exchange.Benchmarks/bin/Release/net10.0/Exchange.Benchmarks"
for needed in "$bin_a/Exchange.Gateway" "$bin_b/Exchange.Gateway" "$simulator" "$benchmarks"; do
  [[ -x $needed ]] || { echo "missing $needed: run dotnet build -c Release Exchange.sln first" >&2; exit 2; }
done
command -v h2load > /dev/null || { echo "h2load is missing: apt-get install nghttp2-client" >&2; exit 2; }

work=$(mktemp -d)
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap stop EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 1 120); do (echo > "/dev/tcp/127.0.0.1/$1") 2> /dev/null && return 0; sleep 0.5; done; echo "nothing listens on $1" >&2; exit 1; }

"$benchmarks" request --output "$work/request.bin"
sim_port=$(free_port)
"$simulator" --region 310000 --port "$sim_port" --seed 2260 > "$work/simulator.log" 2>&1 &
pids+=($!)

start_gateway() { # name bin extra-env -> prints "pid port"
  local name=$1 bin=$2 extra=$3 tls h2c
  tls=$(free_port) h2c=$(free_port)
  mkdir -p "$work/$name"
  (
    export Exchange__Sandbox__Enabled=true Exchange__Sandbox__StateDirectory="$work/$name" Exchange__Listen__Address=127.0.0.1 \
      Exchange__Listen__Port="$tls" Exchange__Listen__PlaintextPort="$h2c" Exchange__Listen__PlaintextParticipant=county-hospital \
      Exchange__Resilience__RateLimit__Participants__0__Participant=county-hospital \
      Exchange__Resilience__RateLimit__Participants__0__TokenLimit=100000000 \
      Exchange__Resilience__RateLimit__Participants__0__TokensPerPeriod=100000000 \
      Exchange__Resilience__Bulkhead__PermitLimit=100000 Exchange__Resilience__Bulkhead__QueueLimit=100000 \
      Logging__LogLevel__Default=Warning
    for i in 0 1 2 3 4 5; do export "Exchange__Regions__${i}__Endpoints__0=http://127.0.0.1:$sim_port/"; done
    cd "$bin"
    # shellcheck disable=SC2086 # the extra settings are words K=V, split on purpose
    exec env $extra ./Exchange.Gateway > "$work/$name.log" 2>&1
  ) &
  echo "$! $h2c"
}

read -r pid_a port_a < <(start_gateway a "$bin_a" "$env_a")
read -r pid_b port_b < <(start_gateway b "$bin_b" "$env_b")
pids+=("$pid_a" "$pid_b")
wait_for "$sim_port"; wait_for "$port_a"; wait_for "$port_b"

load() { # port calls -> calls that succeeded
  h2load -n "$2" -c 8 -m 32 -t 1 -d "$work/request.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$1/exchange.medical.v1.CrossRegionSettlementService/PreSettle" | awk '/succeeded/ { print $8 }'
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks=$(getconf CLK_TCK)

for _ in $(seq 1 "$warmups"); do
  load "$port_a" 30000 > /dev/null & job=$!
  load "$port_b" 30000 > /dev/null
  wait "$job"
done
echo "A: $bin_a ${env_a:-(no extra settings)}"
echo "B: $bin_b ${env_b:-(no extra settings)}"
for round in $(seq 1 "$rounds"); do
  a0=$(cpu_ticks "$pid_a") b0=$(cpu_ticks "$pid_b")
  load "$port_a" "$calls" > "$work/ok-a" & job=$!
  load "$port_b" "$calls" > "$work/ok-b"
  wait "$job"
  a1=$(cpu_ticks "$pid_a") b1=$(cpu_ticks "$pid_b")
  echo "round $round: A $(( (a1 - a0) * 1000000 / ticks / calls )) us/call ($(cat "$work/ok-a") of $calls OK)" \
    "  B $(( (b1 - b0) * 1000000 / ticks / calls )) us/call ($(cat "$work/ok-b") of $calls OK)"
done
