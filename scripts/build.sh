#!/usr/bin/env bash
# Builds every project and leaves runnable commands in ./bin.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
config=${CONFIGURATION:-Release}
mkdir -p bin artifacts/publish

dotnet build Cordon.slnx -c "$config" -v quiet -nologo
# NativeAOT: the in-sandbox agent and the CLI.
dotnet publish data-plane/src/Cordon.Init -c "$config" -v quiet -nologo -o artifacts/publish/init
dotnet publish clients/Cordon.Cli -c "$config" -v quiet -nologo -o artifacts/publish/cli
# Framework-dependent services.
dotnet publish data-plane/src/Cordon.Runner -c "$config" -v quiet -nologo --no-build -o artifacts/publish/runner
dotnet publish control-plane/src/Cordon.ControlPlane -c "$config" -v quiet -nologo --no-build -o artifacts/publish/control

cp artifacts/publish/init/cordon-init artifacts/publish/runner/cordon-init
ln -sfn "$root/artifacts/publish/init/cordon-init" bin/cordon-init
ln -sfn "$root/artifacts/publish/cli/cordon" bin/cordon
ln -sfn "$root/artifacts/publish/runner/cordon-runner" bin/cordon-runner
ln -sfn "$root/artifacts/publish/control/cordon-control" bin/cordon-control
echo "build: bin/ has cordon-init cordon-runner cordon-control cordon"
