#!/usr/bin/env bash
# Starts the whole stack on embedded defaults: a runner and a control plane (SQLite, local directories under
# CORDON_DATA_DIR, default ./.cordon), control plane on http://127.0.0.1:8080. Ctrl-C or SIGTERM stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CORDON_DATA_DIR=${CORDON_DATA_DIR:-$root/.cordon}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
control_url=${CORDON_CONTROL_URL:-http://127.0.0.1:8080}
runner_url=${CORDON_RUNNER_URL:-http://127.0.0.1:7070}
mkdir -p "$CORDON_DATA_DIR"

# The service token the control plane presents to the runner: made once, kept in the data directory.
token_file=$CORDON_DATA_DIR/runner-service-token
[[ -s $token_file ]] || (umask 077; head -c 32 /dev/urandom | base64 | tr -d '=+/\n' > "$token_file")
service_token=$(cat "$token_file")

pids=()
stop() {
  trap - INT TERM EXIT
  echo "run: stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT

Cordon__Runner__ServiceToken=$service_token Cordon__Runner__DataDir=$CORDON_DATA_DIR/runner \
  bin/cordon-runner serve --urls "$runner_url" &
pids+=($!)

Cordon__Runners__0__Id=local Cordon__Runners__0__Url=$runner_url Cordon__Runners__0__Token=$service_token \
  bin/cordon-control --urls "$control_url" &
pids+=($!)

for _ in $(seq 1 100); do
  curl -fsS "$control_url/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done

cat <<MSG

Cordon is running: control plane $control_url, runner $runner_url, data in $CORDON_DATA_DIR
In another terminal:
  export CORDON_URL=$control_url
  export CORDON_TOKEN=\$(bin/cordon token --tenant demo --scopes "jobs:run sessions:use files:rw")
  bin/cordon run python -c 'print("hello from a sandbox")'
Ctrl-C stops both.
MSG
wait -n "${pids[@]}"
