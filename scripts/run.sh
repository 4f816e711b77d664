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

# The secret store's master key (wraps every secret's data key): made once, 0600, never in the database.
master_key_file=${CORDON_MASTER_KEY_FILE:-$CORDON_DATA_DIR/master.key}
[[ -s $master_key_file ]] || (umask 077; head -c 32 /dev/urandom | base64 > "$master_key_file")

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
  Cordon__Secrets__MasterKeyFile=$master_key_file bin/cordon-control --urls "$control_url" &
pids+=($!)

# The banner comes last, once both services answer ready (the runner over h2c), so it is what stays on screen.
ready() {
  curl -fsS --http2-prior-knowledge "$runner_url/readyz" >/dev/null 2>&1 && curl -fsS "$control_url/readyz" >/dev/null 2>&1
}
# Alive and not a zombie: an exited child stays in the table until it is waited for.
alive() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $state != Z* ]]; }
started=$SECONDS
until ready; do
  for pid in "${pids[@]}"; do
    alive "$pid" || { echo "run: a service exited during start-up; its messages are above" >&2; exit 1; }
  done
  if (( SECONDS - started > 120 )); then
    echo "run: the services did not become ready within 120 s; more detail with CORDON_LOG_LEVEL=Information make run" >&2
    break
  fi
  sleep 0.2
done
# Let the services' start-up lines (written by a background logger) land before the banner.
sleep 0.3

cat <<MSG

Cordon is running: control plane $control_url, runner $runner_url, data in $CORDON_DATA_DIR
In another terminal:
  export CORDON_URL=$control_url
  export CORDON_TOKEN=\$(bin/cordon token --tenant demo --scopes "jobs:run sessions:use files:rw")
  bin/cordon run python -c 'print("hello from a sandbox")'
Logs: warnings and lifecycle events; CORDON_LOG_LEVEL=Information (or Debug) for more, CORDON_LOG_FORMAT=json for JSON.
Ctrl-C stops both.
MSG
wait -n "${pids[@]}"
