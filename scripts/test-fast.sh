#!/usr/bin/env bash
# The fast tier: the rootless tests, without root, runc, databases or the published binaries of scripts/build.sh.
# Builds just the projects below and runs them; ends with "N passed, N failed" like scripts/test.sh.
# A project joins by being listed here whole (every test in it rootless, as in Cordon.Runner.UnitTests) or
# with "project:Tier=Fast" when only the tests marked [Trait("Tier", "Fast")] are rootless.
# CORDON_UPDATE_GOLDEN=1 rewrites golden files (e.g. the OCI config.json) instead of failing on a difference.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
config=${CONFIGURATION:-Release}

projects=(
  data-plane/tests/Cordon.Runner.UnitTests
  control-plane/tests/Cordon.ControlPlane.Tests:Tier=Fast
)

results=$root/artifacts/test-fast-results
rm -rf "$results"
mkdir -p "$results"
status=0
names=()
for entry in "${projects[@]}"; do
  project=${entry%%:*}
  trait=${entry#"$project"}
  trait=${trait#:}
  name=$(basename "$project")
  names+=("$name")
  echo "== $name${trait:+ ($trait)}"
  dotnet build "$project" -c "$config" -v quiet -nologo || { status=1; continue; }
  filter=()
  [[ -n $trait ]] && filter=(--filter-trait "$trait")
  dotnet test --project "$project" -c "$config" --no-build "${filter[@]}" \
    --report-xunit-trx --report-xunit-trx-filename "$name.trx" --results-directory "$results" || status=1
done

python3 scripts/summarize-trx.py "$results" "${names[@]}" || status=1
exit $status
