#!/usr/bin/env bash
# Runs the MCP Inspector (@modelcontextprotocol/inspector, pinned in tests/mcp) in its --cli mode on Node 22.
# Every argument is passed to `inspector --cli`, e.g.
#
#   scripts/mcp-inspector.sh http://127.0.0.1:8080/mcp --header "Authorization: Bearer $TOKEN" --method tools/list
#   scripts/mcp-inspector.sh --transport stdio -e CORDON_URL=… -e CORDON_TOKEN=… -- bin/cordon mcp --method tools/list
#
# The Inspector keeps a catalog and secrets under the user's home; here they live in artifacts/mcp-inspector so
# a test run never reads or writes the developer's own Inspector state.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node22=$("$root/scripts/mcp-node.sh")
state="$root/artifacts/mcp-inspector"
mkdir -p "$state/home"
export HOME="$state/home" MCP_CATALOG_PATH="$state/catalog.json"
exec "$node22" "$root/tests/mcp/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js" --cli "$@"
