#!/usr/bin/env bash
# Builds every project and leaves runnable commands in ./bin.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
config=${CONFIGURATION:-Release}
mkdir -p bin artifacts/publish

dotnet build Cordon.slnx -c "$config" -v quiet -nologo
# Publish into a fresh directory, then move the files into place: a binary still running (a live sandbox's
# agent, a running service) is replaced by rename, never overwritten in place ("text file busy").
publish() {
  local name=$1; shift
  rm -rf "artifacts/publish/$name.new"
  dotnet publish "$@" -c "$config" -v quiet -nologo -o "artifacts/publish/$name.new"
  mkdir -p "artifacts/publish/$name"
  cp -a --remove-destination "artifacts/publish/$name.new/." "artifacts/publish/$name/"
  rm -rf "artifacts/publish/$name.new"
}
# NativeAOT: the in-sandbox agent and the CLI.
publish init data-plane/src/Cordon.Init
publish cli clients/Cordon.Cli
# Framework-dependent services.
publish runner data-plane/src/Cordon.Runner --no-build
publish control control-plane/src/Cordon.ControlPlane --no-build

cp --remove-destination artifacts/publish/init/cordon-init artifacts/publish/init/cordon-spawn artifacts/publish/runner/
ln -sfn "$root/artifacts/publish/init/cordon-init" bin/cordon-init
ln -sfn "$root/artifacts/publish/cli/cordon" bin/cordon
ln -sfn "$root/artifacts/publish/runner/cordon-runner" bin/cordon-runner
ln -sfn "$root/artifacts/publish/control/cordon-control" bin/cordon-control
ln -sfn "$root/artifacts/publish/init/cordon-spawn" bin/cordon-spawn
echo "build: bin/ has cordon-init cordon-spawn cordon-runner cordon-control cordon"
