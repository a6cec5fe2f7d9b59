#!/usr/bin/env bash
# Start-up as a budget: the clusterpro tool's one-shot commands from exec to exit, as JIT, ReadyToRun and native AOT
# builds, against the standalone emulator on loopback with LATENCY_MS added to every AWS request (hyperfine:
# apt-get install hyperfine).
#
#   benchmarks/coldstart.sh [LATENCY_MS ...]          default: 0 200
#
# The commands:
#   --help                          the command line only
#   ocf awsvip validate-all         the OCF agent checks its parameters (no AWS call)
#   ocf awsvip monitor              the OCF agent's monitor of a VIP started here: one round trip (DescribeRouteTables
#                                   beside DescribeVpcs); each run is prepared by an untimed start
#   activate                        a VIP group holding one route table (RouteTableIds), no heartbeat endpoints (so no
#                                   running node is asked first): two round trips (DescribeRouteTables beside
#                                   DescribeVpcs, then ReplaceRoute); each timed run on node2 is prepared by an untimed
#                                   activation on node1, so every run is a real switchover in a new process
# Each cell is 20 runs after 3 warm-ups; the table gives min / median / max in ms. hyperfine's JSON is kept in $OUT
# (default: a temporary directory, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
latencies=("${@:-0 200}")
read -r -a latencies <<<"${latencies[*]}"
work=$(mktemp -d)
out="${OUT:-$work/results}"
mkdir -p "$out"
trap 'kill "${emu_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "publishing the emulator and the three builds of clusterpro (the native one takes minutes)" >&2
dotnet publish samples/ClusterPro.Aws.Emulator -c Release -o "$work/emu" --nologo -v quiet >/dev/null
dotnet publish samples/ClusterPro.Samples.ConsoleHost -c Release -o "$work/jit" --nologo -v quiet >/dev/null
dotnet publish samples/ClusterPro.Samples.ConsoleHost -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$work/r2r" --nologo -v quiet >/dev/null
dotnet publish samples/ClusterPro.Samples.ConsoleHost -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" --nologo -v quiet >/dev/null

mkfifo "$work/stdin"
"$work/emu/ClusterPro.Aws.Emulator" --port 0 --dns-port -1 --scenario canonical --exit-on-stdin-close <"$work/stdin" >"$work/emu.json" &
emu_pid=$!
exec 3>"$work/stdin"
for _ in $(seq 1 300); do [ -s "$work/emu.json" ] && break; sleep 0.1; done

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
      "Name": "awsvip1", "Type": "awsvip", "Ip": s["vip"], "VpcId": s["vpcId"], "RouteTableIds": [s["routeTablePrivateA"]],
      "EniId": {"Nodes": {"node1": s["node1"]["eniId"], "node2": s["node2"]["eniId"]}}}]}}}}
json.dump(config, open(f"{work}/vip.json", "w"))
env = {
  "AWS_ENDPOINT_URL": ready["endpoint"], "AWS_ACCESS_KEY_ID": ready["accessKeyId"],
  "AWS_SECRET_ACCESS_KEY": ready["secretAccessKey"], "AWS_REGION": ready["region"], "HA_RSCTMP": f"{work}/state",
  "OCF_RESOURCE_INSTANCE": "vip", "OCF_RESKEY_ip": s["vip"], "OCF_RESKEY_vpc_id": s["vpcId"],
  "OCF_RESKEY_eni_id": s["node2"]["eniId"], "OCF_RESKEY_route_tables": s["routeTablePrivateA"],
  "OCF_RESKEY_region": ready["region"], "OCF_RESKEY_endpoint": ready["endpoint"]}
open(f"{work}/env", "w").write("".join(f"{k}={v}\n" for k, v in env.items()))
PY
set -a; . "$work/env"; set +a

for latency in "${latencies[@]}"; do
  curl -sf -X DELETE "$AWS_ENDPOINT_URL/_emulator/faults" >/dev/null
  if [ "$latency" -gt 0 ]; then
    curl -sf -X POST "$AWS_ENDPOINT_URL/_emulator/faults" -H 'Content-Type: application/json' \
      -d "{\"operation\":\"*\",\"kind\":\"Latency\",\"latency\":\"$(printf '00:00:%06.3f' "$(echo "$latency/1000" | bc -l)")\"}" >/dev/null
  fi

  for build in jit r2r aot; do
    host="$work/$build/clusterpro"
    echo "== $build build, $latency ms per AWS request" >&2
    hyperfine -N --warmup 3 --runs 20 --style none --export-json "$out/$build-$latency-help.json" "$host --help"
    hyperfine -N --warmup 3 --runs 20 --style none --export-json "$out/$build-$latency-validate.json" "$host ocf awsvip validate-all"
    hyperfine -N --warmup 3 --runs 20 --style none --export-json "$out/$build-$latency-monitor.json" \
      --prepare "$host ocf awsvip start" "$host ocf awsvip monitor"
    hyperfine -N --warmup 3 --runs 20 --style none --export-json "$out/$build-$latency-activate.json" \
      --prepare "$host activate --config $work/vip.json --node node1" "$host activate --config $work/vip.json --node node2"
  done
done

python3 - "$out" "${latencies[@]}" <<'PY'
import json, sys, statistics
out, latencies = sys.argv[1], sys.argv[2:]
commands = [("help", "`--help`"), ("validate", "`ocf awsvip validate-all`"), ("monitor", "`ocf awsvip monitor`"), ("activate", "`activate` (1 route table)")]
print("| command | build | " + " | ".join(f"{l} ms per request: min / median / max" for l in latencies) + " |")
print("|---|---|" + "---:|" * len(latencies))
for key, name in commands:
    for build in ("jit", "r2r", "aot"):
        cells = []
        for latency in latencies:
            times = [t * 1000 for t in json.load(open(f"{out}/{build}-{latency}-{key}.json"))["results"][0]["times"]]
            cells.append(f"{min(times):.0f} / {statistics.median(times):.0f} / {max(times):.0f}")
        print(f"| {name} | {dict(jit='JIT', r2r='ReadyToRun', aot='AOT')[build]} | " + " | ".join(cells) + " |")
PY
