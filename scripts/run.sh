#!/usr/bin/env bash
# `make run`: the embedded stack from bin/ — one runner and the control plane on http://127.0.0.1:8080, SQLite and
# local directories under CORDON_DATA_DIR (default ./.cordon), Development environment (local signing key).
# Stops both on Ctrl-C or SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CORDON_DATA_DIR=${CORDON_DATA_DIR:-$root/.cordon}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
control_url=${CORDON_CONTROL_URL:-http://127.0.0.1:8080}
runner_url=${CORDON_RUNNER_URL:-http://127.0.0.1:7070}
mkdir -p "$CORDON_DATA_DIR"

# The service token the control plane presents to the runner, made once and kept with the data.
token_file=$CORDON_DATA_DIR/runner-service-token
if [[ ! -s $token_file ]]; then
  (umask 077; head -c 32 /dev/urandom | base64 | tr -d '=+/\n' > "$token_file")
fi
token=$(cat "$token_file")

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT

Cordon__Runner__ServiceToken=$token bin/cordon-runner serve --urls "$runner_url" &
pids+=($!)
Cordon__Runners__0__Id=local Cordon__Runners__0__Url=$runner_url Cordon__Runners__0__Token=$token \
  bin/cordon-control --urls "$control_url" &
pids+=($!)

for _ in $(seq 1 240); do
  if curl -fsS "$control_url/readyz" >/dev/null 2>&1; then
    cat <<MSG

Cordon is up at $control_url (data in $CORDON_DATA_DIR).
  export CORDON_URL=$control_url
  export CORDON_TOKEN=\$(CORDON_DATA_DIR=$CORDON_DATA_DIR bin/cordon token --tenant dev --scopes "jobs:run sessions:use files:rw")
  bin/cordon run python -c 'print(1)'
Ctrl-C stops both.
MSG
    break
  fi
  sleep 0.5
done
wait -n "${pids[@]}"
