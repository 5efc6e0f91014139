#!/usr/bin/env bash
# Serve Utsikt with granian (WSGI) and run the background task worker; Ctrl-C stops both.
#
#   scripts/serve.sh               development (`make run`): the checkout's .env, SQLite
#   scripts/serve.sh --production  production (`make serve`): settings from the environment,
#                                  PostgreSQL required; migrates and collects static files first
#                                  (UTSIKT_SERVE_MIGRATE=0 skips that on all but one machine)
#   scripts/serve.sh --web-only    only granian (systemd runs the worker as its own unit)
#   scripts/serve.sh --worker-only only the task worker
#
# HOST (127.0.0.1), PORT (8000), WEB_WORKERS (1) and WEB_THREADS (16) choose how it listens.
set -euo pipefail
cd "$(dirname "$0")/.."
production=0 web=1 worker=1
for arg in "$@"; do
  case "$arg" in
    --production) production=1 ;;
    --web-only) worker=0 ;;
    --worker-only) web=0 ;;
    *) echo "usage: $0 [--production] [--web-only|--worker-only]" >&2; exit 2 ;;
  esac
done
PORT="${PORT:-8000}"
HOST="${HOST:-127.0.0.1}"
PY=.venv/bin/python
# Links in e-mails lead to the address served here, unless the environment names another.
export UTSIKT_BASE_URL="${UTSIKT_BASE_URL:-http://127.0.0.1:$PORT}"

if [ "$production" = 1 ]; then
  # Production reads nothing from the checkout's .env: only the environment (systemd's
  # EnvironmentFile, see docs/deploy.md).
  export UTSIKT_ENV_FILE=/dev/null
  export DJANGO_DEBUG=0
  case "${DATABASE_URL:-}" in
    postgres://*|postgresql://*) ;;
    *) echo "make serve runs against PostgreSQL: set DATABASE_URL=postgresql://… (see docs/deploy.md)" >&2
       exit 1 ;;
  esac
  $PY manage.py check --deploy --fail-level ERROR
  if [ "${UTSIKT_SERVE_MIGRATE:-1}" = 1 ]; then
    $PY manage.py migrate --no-input -v0
    $PY manage.py createcachetable
    $PY manage.py collectstatic --no-input -v0
  fi
fi

pids=()
if [ "$worker" = 1 ]; then
  # `worker` is django-tasks-db's db_worker that also writes the heartbeat /health/ reads.
  $PY manage.py worker --queue-name "*" --no-reload &
  pids+=($!)
fi
if [ "$web" = 1 ]; then
  .venv/bin/granian --interface wsgi --host "$HOST" --port "$PORT" --workers "${WEB_WORKERS:-1}" \
    --blocking-threads "${WEB_THREADS:-16}" --respawn-failed-workers \
    config.wsgi:application &
  pids+=($!)
fi
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT
if [ "$web" = 1 ]; then
  echo "Utsikt is at http://$HOST:$PORT/ – press Ctrl-C to stop the server and the worker." >&2
fi
wait -n "${pids[@]}"
