#!/usr/bin/env bash
# Make sure uv and a Python >= 3.12 exist, then install the locked packages into .venv.
# Prints nothing but errors unless VERBOSE=1. Safe to run again: uv skips what is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_uv() {
  if command -v uv >/dev/null 2>&1; then command -v uv; return; fi
  for candidate in "$HOME/.local/bin/uv" "$HOME/.cargo/bin/uv"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  return 1
}

if ! UV=$(find_uv); then
  echo "Installing uv (the Python package manager) ..." >&2
  for py in python3 python; do
    if command -v "$py" >/dev/null 2>&1; then
      "$py" -m pip install --quiet --user uv >&2 2>/dev/null || "$py" -m pip install --quiet uv >&2
      break
    fi
  done
  UV=$(find_uv) || UV=$(command -v uv) || { echo "Could not install uv; install it with 'pip install uv'." >&2; exit 1; }
fi

find_python() {
  local candidate version
  for candidate in "${UTSIKT_PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && \
       version=$("$candidate" -c 'import sys; print(sys.version_info >= (3, 12))' 2>/dev/null) && \
       [ "$version" = "True" ]; then
      command -v "$candidate"; return
    fi
  done
  # pyenv keeps interpreters it does not put on PATH; its shims fail without PYENV_VERSION.
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/3.1[2-9]*/bin/python3.1[2-9]; do
      [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
  fi
  return 1
}

if PY=$(find_python); then
  "$UV" sync --frozen --quiet -p "$PY" >&2
else
  echo "No Python >= 3.12 found; asking uv to provide one ..." >&2
  "$UV" sync --frozen --quiet -p 3.12 >&2
fi
