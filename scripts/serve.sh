#!/usr/bin/env bash
# Starts / stops a CityGraph server in the background.
#
#   scripts/serve.sh start DB USERS [PORT] [extra serve options...]
#   scripts/serve.sh stop  DB
#   scripts/serve.sh status DB
#
# The pid file and log live beside the database (DB.serve.pid, DB.serve.log).
# `start` returns once the server listens (or fails with its log); `stop`
# sends SIGTERM (graceful: in-flight calls finish, audit flushed) and waits.
set -euo pipefail
BIN=${CITYGRAPH_BIN:-$(dirname "$0")/../build/bin/citygraph}
cmd=${1:?usage: serve.sh start|stop|status DB [USERS] [PORT]}
db=${2:?database directory}
pidfile="${db%/}.serve.pid"
logfile="${db%/}.serve.log"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$cmd" in
  start)
    users=${3:?users file}
    port=${4:-9090}
    shift 4 || shift $#
    if running; then echo "already running (pid $(cat "$pidfile"))"; exit 0; fi
    "$BIN" serve --db "$db" --users "$users" --host 127.0.0.1 --port "$port" "$@" >"$logfile" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 600); do
      if ! running; then echo "server exited:"; cat "$logfile"; rm -f "$pidfile"; exit 1; fi
      if grep -q "citygraph serving" "$logfile"; then echo "serving on 127.0.0.1:$port (pid $(cat "$pidfile"), log $logfile)"; exit 0; fi
      sleep 0.2
    done
    echo "server did not start in 120 s:"; cat "$logfile"; exit 1
    ;;
  stop)
    if ! running; then echo "not running"; rm -f "$pidfile"; exit 0; fi
    pid=$(cat "$pidfile")
    kill -TERM "$pid"
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "still running after 60 s; SIGKILL"; kill -KILL "$pid"; fi
    rm -f "$pidfile"
    echo "stopped"
    ;;
  status)
    if running; then echo "running (pid $(cat "$pidfile"))"; else echo "not running"; exit 1; fi
    ;;
  *) echo "usage: serve.sh start|stop|status DB [USERS] [PORT]"; exit 2 ;;
esac
