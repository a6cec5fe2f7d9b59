#!/usr/bin/env bash
# Which lines and branches of the failover core (src/ClusterPro.Core/Failover/Core) the simulator reaches: runs the
# simulator's tests (every scenario and HISTORIES seeded histories, 2000 by default) under coverlet, then prints the
# coverage of each core file and every line or branch no history reached.
#   eng/sim-coverage.sh              # 2000 histories
#   HISTORIES=10000 eng/sim-coverage.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/sim-coverage
rm -rf "$out"
mkdir -p "$out"
CLUSTERPRO_SIM_HISTORIES="${HISTORIES:-2000}" dotnet test tests/ClusterPro.Simulation.Tests -c Release \
  --collect "XPlat Code Coverage" --settings tests/ClusterPro.Simulation.Tests/coverage.runsettings --results-directory "$out" >"$out/test.log" 2>&1 \
  || { tail -n 40 "$out/test.log"; exit 1; }
report=$(find "$out" -name coverage.cobertura.xml | head -n 1)
dotnet run -c Release --project tests/ClusterPro.Simulation -- --coverage "$report"
