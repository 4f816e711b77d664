#!/usr/bin/env bash
# Installs what is missing, builds, starts the servers the tests need, runs every test project and ends with
# one line over all of them: "N passed, N failed[, N skipped]". Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-deps.sh || exit 1
scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }
# The pinned external MCP clients (Node 22, conformance suite, Inspector) the MCP tests drive; installed here so
# no test spends its time on npm.
scripts/mcp-node.sh >/dev/null || { echo "test: could not install tests/mcp"; echo "0 passed, 1 failed"; exit 1; }

export CORDON_INIT_PATH="$root/bin/cordon-init"
export CORDON_BIN_DIR="$root/bin"
export CORDON_REPO_ROOT="$root"

results=$root/artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

# Real database servers, started by the tests' own scripts, stopped when the run ends.
trap 'scripts/services.sh stop >/dev/null 2>&1 || true' EXIT
eval "$(scripts/services.sh start)" || { echo "test: could not start PostgreSQL/Redis"; echo "0 passed, 1 failed"; exit 1; }

projects=(
  data-plane/tests/Cordon.Runner.UnitTests
  data-plane/tests/Cordon.Init.Tests
  data-plane/tests/Cordon.Runner.Tests
  data-plane/tests/Cordon.Runner.SecurityTests
  control-plane/tests/Cordon.ControlPlane.Tests
  clients/tests/Cordon.Client.Tests
  tests/Cordon.EndToEnd
)
status=0
run_tests() { # project, trx name, filter options...
  local project=$1 name=$2; shift 2
  echo "== $name"
  dotnet test --project "$project" -c "${CONFIGURATION:-Release}" --no-build "$@" \
    --report-xunit-trx --report-xunit-trx-filename "$name.trx" --results-directory "$results" || status=1
}
# The 512-sandbox test measures what one runner holds: it owns the machine, so it runs in a test process of its
# own after the rest of the runner's tests (beside their shared runner and its teardown it has lost its
# connection; alone it has not).
concurrency=Cordon.Runner.Tests.ConcurrencyTests
for project in "${projects[@]}"; do
  name=$(basename "$project")
  if [[ $name == Cordon.Runner.Tests ]]; then
    run_tests "$project" "$name" --filter-not-class "$concurrency"
    run_tests "$project" "$name.Concurrency" --filter-class "$concurrency"
  else
    run_tests "$project" "$name"
  fi
done

# gVisor, the second runtime: the sandbox probes again under runsc, each asserting what holds there
# (docs/ARCHITECTURE.md, "runsc"); then the runner's job and session tests under it (their runc-only classes
# — host file modes, uid slots, crash recovery, capacity, soak, concurrency — stay on the runc leg), and the
# end-to-end jobs through both planes.
runsc_runner=()
for class in LifecycleTests RunJobTests SandboxSessionTests Egress.EgressProxyTests Dependencies.DependencyInstallTests; do runsc_runner+=(--filter-class "Cordon.Runner.Tests.$class"); done
export CORDON_TEST_OCI_RUNTIME=runsc
run_tests data-plane/tests/Cordon.Runner.SecurityTests Cordon.Runner.SecurityTests.Runsc
run_tests data-plane/tests/Cordon.Runner.Tests Cordon.Runner.Tests.Runsc "${runsc_runner[@]}"
run_tests tests/Cordon.EndToEnd Cordon.EndToEnd.Runsc --filter-class Cordon.EndToEnd.JobsE2ETests
unset CORDON_TEST_OCI_RUNTIME

python3 scripts/summarize-trx.py "$results" "${projects[@]##*/}" Cordon.Runner.Tests.Concurrency \
  Cordon.Runner.SecurityTests.Runsc Cordon.Runner.Tests.Runsc Cordon.EndToEnd.Runsc || status=1
exit $status
