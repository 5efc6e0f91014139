#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh: every checksum is verified first (a damaged
# backup changes nothing), then the database and the stored documents are replaced.
# Stop the web processes and the task worker first.
#   scripts/restore.sh FOLDER [--verify-only]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: $0 FOLDER [--verify-only]   (a folder written by scripts/backup.sh)" >&2
  exit 2
fi
exec .venv/bin/python manage.py restore "$@"
