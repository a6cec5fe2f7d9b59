#!/usr/bin/env bash
# Mutation testing of the failover core (not part of CI: about an hour on a 2-core machine). Stryker.NET mutates
# src/ClusterPro.Core/Failover/Core/** (stryker-config.json) and runs tests/ClusterPro.Simulation.Tests against every
# mutant: every scripted scenario and HISTORIES seeded histories (150 by default), every invariant checked after every
# event. Reports (html, json) go to artifacts/mutation/reports. Extra arguments go to Stryker, e.g.
#   eng/mutation.sh --mutate "**/Failover/Core/FailoverCore.Lease.cs"
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
cd tests/ClusterPro.Simulation.Tests
CLUSTERPRO_SIM_HISTORIES="${HISTORIES:-150}" dotnet stryker --config-file ../../stryker-config.json --output ../../artifacts/mutation "$@"
