#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance, pinned in tests/mcp) on Node 22
# against a running server and fails on any unexpected failure.
#
#   scripts/mcp-conformance.sh --url http://127.0.0.1:8080/mcp --baseline tests/mcp/baselines/cordon.yml \
#       [--name cordon] [--scenario server-initialize --scenario ping ...] [--suite active|all]
#
# Without --scenario the suite runs whole: its active scenarios, or with --suite all the pending ones too.
# The baseline is the suite's expected-failures YAML (`server: [scenario, ...]`); every entry must carry a
# `# reason` comment, or the run is refused. The suite itself fails the run on a scenario that fails and is not
# in the baseline, and on a baseline entry whose scenario now passes (a stale entry). Results (checks.json per scenario) go to artifacts/mcp-conformance/<name>.
# Exit: 0 all passed or expected, 1 unexpected failure or stale baseline, 2 usage or install error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

url="" baseline="" name="" suite=active scenarios=()
while (($#)); do
  case $1 in
    --url) url=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --scenario) scenarios+=("$2"); shift 2 ;;
    --suite) suite=$2; shift 2 ;;
    *) echo "mcp-conformance: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $url && -n $baseline ]] || { echo "usage: $0 --url URL --baseline FILE [--name NAME] [--scenario S]... [--suite active|all]" >&2; exit 2; }
[[ -f $baseline ]] || { echo "mcp-conformance: no baseline file $baseline" >&2; exit 2; }
name=${name:-$(basename "$baseline" .yml)}

# Every expected failure says why it cannot pass; an entry without a reason is a silenced regression.
missing=$(grep -nE '^[[:space:]]*-[[:space:]]*[^[:space:]#]' "$baseline" | grep -vE '#[[:space:]]*[^[:space:]]' || true)
if [[ -n $missing ]]; then
  echo "mcp-conformance: baseline entries without a '# reason' comment in $baseline:" >&2
  echo "$missing" >&2
  exit 2
fi

node22=$("$root/scripts/mcp-node.sh")
cli="$root/tests/mcp/node_modules/@modelcontextprotocol/conformance/dist/index.js"
out="$root/artifacts/mcp-conformance/$name"
rm -rf "$out"
mkdir -p "$out"

run() {
  # A hung scenario must not hang the test run.
  timeout 300 "$node22" "$cli" server --url "$url" --expected-failures "$baseline" -o "$out" "$@"
}

status=0
if ((${#scenarios[@]} == 0)); then
  echo "mcp-conformance[$name]: $suite suite against $url"
  run --suite "$suite" || status=1
else
  for scenario in "${scenarios[@]}"; do
    echo "mcp-conformance[$name]: $scenario against $url"
    run --scenario "$scenario" || status=1
  done
fi

if ((status == 0)); then
  echo "mcp-conformance[$name]: OK (results in ${out#"$root/"})"
else
  echo "mcp-conformance[$name]: FAILED — unexpected failures or stale baseline entries (results in ${out#"$root/"})"
fi
exit $status
