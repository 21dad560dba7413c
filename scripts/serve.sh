#!/usr/bin/env bash
# Serve the site (gunicorn) and one task worker until Ctrl-C; both stop together.
set -euo pipefail
PORT="${1:-8000}"
BIN="$(dirname "$0")/../.venv/bin"
"$BIN/chitra" db_worker --queue-name default &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "chitra: http://127.0.0.1:${PORT}/  (task worker pid ${WORKER}; Ctrl-C stops both)"
"$BIN/gunicorn" chitra.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --threads 4 \
    --timeout 120 --access-logfile -
