#!/usr/bin/env bash
# regen_expected.sh - write the expected output of script tests by running them under CPython.
#
# Usage: tests/regen_expected.sh FILE.asy...
#
# CPython 3.11 is the oracle (DESIGN.md section 1): each FILE.asy is run with python3 and
# ../shared/conformance/asy_prelude.py (which adds asy's import-free builtins such as
# sleep and gather), its stdout becomes FILE.out, and a non-zero exit status becomes
# FILE.exit (which is removed when the status is 0). Files named asy_* have hand-written
# expected output, because CPython cannot run them, so they are refused.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prelude="$repo/../shared/conformance/asy_prelude.py"

if [ "$#" -eq 0 ]; then
  echo "usage: $0 FILE.asy..." >&2
  exit 2
fi
if [ ! -f "$prelude" ]; then
  echo "missing $prelude (the shared conformance folder beside the repository)" >&2
  exit 2
fi
version="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$version" != "3.11" ]; then
  echo "python3 is Python $version; the expected outputs must come from CPython 3.11" >&2
  exit 2
fi

for script in "$@"; do
  case "$(basename "$script")" in
    asy_*) echo "refusing $script: asy_* files have hand-written expected output" >&2; exit 2 ;;
    *.asy) ;;
    *) echo "not an .asy file: $script" >&2; exit 2 ;;
  esac
  base="${script%.asy}"
  status=0
  timeout 60 python3 "$prelude" "$script" > "$base.out" < /dev/null || status=$?
  if [ "$status" -eq 0 ]; then
    rm -f "$base.exit"
  else
    echo "$status" > "$base.exit"
  fi
  echo "$script: $(wc -l < "$base.out") lines of output, exit status $status"
done
