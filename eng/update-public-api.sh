#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's PublicAPI.Unshipped.txt.
# Run after a deliberate change to the public surface, then review the diff of the PublicAPI files.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in ClusterPro.Core ClusterPro.Aws ClusterPro.Aws.Testing; do
  file="src/$project/PublicAPI.Unshipped.txt"
  added=$(dotnet build "src/$project" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 \
    | grep "warning RS0016" | grep "/src/$project/" \
    | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" | sort -u || true)
  if [ -n "$added" ]; then
    { cat "$file"; printf '%s\n' "$added"; } | awk 'NR==1 || !seen[$0]++' > "$file.tmp"
    { head -n 1 "$file.tmp"; tail -n +2 "$file.tmp" | sort -u; } > "$file"
    rm -f "$file.tmp"
    echo "$project: $(printf '%s\n' "$added" | wc -l) symbol(s) declared"
  fi
done
