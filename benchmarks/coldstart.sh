#!/usr/bin/env bash
# Cold start of the sample host's one-shot `activate` of a VIP-only group: process start to exit, against the
# standalone emulator on loopback, measured with hyperfine (apt-get install hyperfine).
#
#   benchmarks/coldstart.sh [LATENCY_MS ...]
#
# Each LATENCY_MS (default: 0) is added by the emulator to every AWS call in turn. The canonical scenario's three route
# tables hold the VIP; the host manages no OS address (HostAddresses Kind none).
# Each timed run activates the group on node2 after an untimed run put it on node1, so every timed run is a real
# switchover in a new process. Two builds are compared: the plain (JIT) publish and a ReadyToRun publish.
set -euo pipefail
cd "$(dirname "$0")/.."
latencies=("${@:-0}")
work=$(mktemp -d)
trap 'kill "${emu_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet publish samples/ClusterPro.Aws.Emulator -c Release -o "$work/emu" --nologo -v quiet >/dev/null
dotnet publish samples/ClusterPro.Samples.ConsoleHost -c Release -o "$work/jit" --nologo -v quiet >/dev/null
dotnet publish samples/ClusterPro.Samples.ConsoleHost -c Release -o "$work/r2r" --nologo -v quiet -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -p:TieredCompilation=true >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkfifo "$work/stdin"
"$work/emu/ClusterPro.Aws.Emulator" --port "$port" --dns-port -1 --exit-on-stdin-close <"$work/stdin" >"$work/emu.json" &
emu_pid=$!
exec 3>"$work/stdin"
for _ in $(seq 1 100); do [ -s "$work/emu.json" ] && break; sleep 0.1; done

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
ready = json.loads(open(f"{work}/emu.json").readline())
s = ready["scenario"]
config = {
  "AWS": {"Region": ready["region"]},
  "ClusterPro": {
    "Nodes": [{"Name": "node1"}, {"Name": "node2"}],
    "HostAddresses": {"node1": {"Kind": "none"}, "node2": {"Kind": "none"}},
    "Groups": {"failover1": {"Resources": [{
      "Name": "awsvip1", "Type": "awsvip", "Ip": s["vip"], "VpcId": s["vpcId"],
      "EniId": {"Nodes": {"node1": s["node1"]["eniId"], "node2": s["node2"]["eniId"]}}}]}}}}
json.dump(config, open(f"{work}/vip.json", "w"))
env = f"AWS_ENDPOINT_URL={ready['endpoint']}\nAWS_ACCESS_KEY_ID={ready['accessKeyId']}\nAWS_SECRET_ACCESS_KEY={ready['secretAccessKey']}\nAWS_REGION={ready['region']}\n"
open(f"{work}/env", "w").write(env)
PY
set -a; . "$work/env"; set +a

for latency in "${latencies[@]}"; do
  curl -sf -X DELETE "$AWS_ENDPOINT_URL/_emulator/faults" >/dev/null
  if [ "$latency" -gt 0 ]; then
    curl -sf -X POST "$AWS_ENDPOINT_URL/_emulator/faults" -H 'Content-Type: application/json' \
      -d "{\"operation\":\"*\",\"kind\":\"Latency\",\"latency\":\"$(printf '00:00:%06.3f' "$(echo "$latency/1000" | bc -l)")\"}" >/dev/null
  fi

  for build in jit r2r; do
    host="$work/$build/clusterpro"
    echo "== $build build, $latency ms per AWS call"
    "$host" activate --config "$work/vip.json" --node node2 | tail -n 1
    hyperfine --warmup 3 --runs 30 -N --style basic \
      --prepare "$host activate --config $work/vip.json --node node1" \
      "$host activate --config $work/vip.json --node node2"
  done
done
