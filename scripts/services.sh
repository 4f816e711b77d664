#!/usr/bin/env bash
# Starts (or stops) throw-away PostgreSQL and Redis servers for the tests, on loopback ports of their own,
# with data under artifacts/services. `start` prints the environment the tests read, for `eval`.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$PWD/artifacts/services
pg_port=${CORDON_TEST_PG_PORT:-55432}
redis_port=${CORDON_TEST_REDIS_PORT:-56379}
s3_port=${CORDON_TEST_S3_PORT:-54569}
s3_dir=$PWD/tests/s3
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

start() {
  mkdir -p "$dir"
  if [[ -n $pg_bin && ! -f $dir/pg/PG_VERSION ]]; then
    rm -rf "$dir/pg"; mkdir -p "$dir/pg"; chown postgres "$dir/pg" "$dir"
    runuser -u postgres -- "$pg_bin/initdb" -D "$dir/pg" -U postgres -A trust >/dev/null
  fi
  # A server already answering on the port (another checkout's) is reused rather than fought over.
  if [[ -n $pg_bin ]] && ! "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" \
     && ! runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg" status >/dev/null 2>&1; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
      -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  fi
  if command -v redis-server >/dev/null && ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
  fi
  # s3rver, an S3-protocol server (tests/s3, pinned by its lockfile; installed when the lockfile changed). Its
  # access key and secret are s3rver's fixed S3RVER/S3RVER.
  if command -v node >/dev/null; then
    local stamp=$s3_dir/node_modules/.cordon-lock-sha256 want
    want=$(sha256sum "$s3_dir/package-lock.json" | cut -d' ' -f1)
    if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
      (cd "$s3_dir" && npm ci --no-audit --no-fund --loglevel=error >&2) && echo "$want" > "$stamp"
    fi
    if ! curl -s -o /dev/null "http://127.0.0.1:$s3_port/" 2>/dev/null; then
      mkdir -p "$dir/s3"
      nohup node "$s3_dir/node_modules/s3rver/bin/s3rver.js" -d "$dir/s3" -a 127.0.0.1 -p "$s3_port" --silent \
        >"$dir/s3rver.log" 2>&1 &
      echo $! > "$dir/s3rver.pid"
      for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$s3_port/" && break; sleep 0.1; done
    fi
    echo "export CORDON_TEST_S3='http://127.0.0.1:$s3_port'"
  fi
  echo "export CORDON_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres'"
  echo "export CORDON_TEST_REDIS='127.0.0.1:$redis_port'"
}

stop() {
  [[ -n $pg_bin && -d $dir/pg ]] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true
  [[ -f $dir/redis.pid ]] && kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  [[ -f $dir/s3rver.pid ]] && kill "$(cat "$dir/s3rver.pid")" 2>/dev/null || true
}

"${1:-start}"
