#!/usr/bin/env bash
# Benchmarks Cordon against bare baselines measured in the same run (see bench/Cordon.Bench).
set -euo pipefail
cd "$(dirname "$0")/.."
export CORDON_BIN_DIR=${CORDON_BIN_DIR:-$PWD/bin}
exec dotnet bench/Cordon.Bench/bin/${CONFIGURATION:-Release}/net10.0/cordon-bench.dll "$@"
