#!/usr/bin/env bash
# Runs every test file on its own (a file must not rely on another file's fixtures or data).
# Usage: scripts/test-files-alone.sh [pytest arguments, e.g. -m "not browser"]
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
while IFS= read -r file; do
  .venv/bin/python -m pytest -q -x "$@" "$file" >/tmp/utsikt-alone.log 2>&1
  code=$?
  # 5: every test of the file was deselected by the arguments.
  if [ "$code" != 0 ] && [ "$code" != 5 ]; then
    failed+=("$file")
    echo "FAILED alone: $file"
    tail -n 5 /tmp/utsikt-alone.log
  fi
done < <(find utsikt tests -path ./.venv -prune -o -name 'test_*.py' -print | sort)
echo "${#failed[@]} test files failed alone"
[ "${#failed[@]}" = 0 ]
