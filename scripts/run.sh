#!/usr/bin/env bash
# `make run`: gunicorn and the scheduler worker (`flask --app tafel worker`) side
# by side, so rounds open and close and mail goes out without cron. Ctrl-C, a
# SIGTERM, or either process ending stops both.
set -uo pipefail
BIN=${BIN:-.venv/bin}
PORT=${PORT:-5000}
WORKERS=${WORKERS:-2}

"$BIN/flask" --app tafel worker &
worker=$!
"$BIN/gunicorn" --workers "$WORKERS" --bind "127.0.0.1:$PORT" --access-logfile - 'tafel:create_app()' &
server=$!

stop() {
    trap - INT TERM EXIT
    kill -TERM "$server" "$worker" 2>/dev/null
    wait "$server" "$worker" 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

wait -n "$server" "$worker"
status=$?
echo "run: $( kill -0 "$server" 2>/dev/null && echo worker || echo gunicorn ) ended ($status); stopping the other" >&2
exit "$status"
