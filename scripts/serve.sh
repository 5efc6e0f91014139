#!/usr/bin/env bash
# Serve Utsikt with granian (WSGI) and run the background task worker; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
# Links in e-mails lead to the address served here, unless the environment names another.
export UTSIKT_BASE_URL="${UTSIKT_BASE_URL:-http://127.0.0.1:$PORT}"
.venv/bin/python manage.py db_worker --queue-name "*" --no-reload &
worker=$!
.venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$PORT" --workers "${WEB_WORKERS:-1}" \
  --blocking-threads "${WEB_THREADS:-16}" \
  config.wsgi:application &
server=$!
stop() { kill "$server" "$worker" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT
echo "Utsikt is at http://127.0.0.1:$PORT/ – press Ctrl-C to stop the server and the worker."
wait -n "$server" "$worker"
