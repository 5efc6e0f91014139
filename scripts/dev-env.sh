#!/usr/bin/env bash
# Write this checkout's .env for development once (never overwrite it): a random secret key,
# DJANGO_DEBUG=1 and plain http, so that `manage.py …` works without exporting anything and
# the site can also be served with DJANGO_DEBUG=0 on this machine. Production sets its own.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -e .env ] && exit 0
key=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')
cat > .env <<ENV
# Written by \`make setup\` for development on this machine; not for production (see .env.example).
DJANGO_DEBUG=1
DJANGO_SECRET_KEY=$key
# Served over plain http on this machine, also with DJANGO_DEBUG=0.
DJANGO_SECURE_SSL_REDIRECT=0
DJANGO_SECURE_COOKIES=0
DJANGO_HSTS_SECONDS=0
# E-mails are printed by the task worker instead of sent.
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
ENV
echo "Wrote .env for development (DJANGO_DEBUG=1, a new secret key)." >&2
