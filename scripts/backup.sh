#!/usr/bin/env bash
# Back up the database (pg_dump, or SQLite's online backup) and every stored document (file
# system or S3) into a new folder with a manifest of SHA-256 checksums.
#   scripts/backup.sh [FOLDER]    default: $UTSIKT_BACKUP_DIR/<UTC date and time> (backups/)
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python manage.py backup "$@"
