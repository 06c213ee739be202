#!/usr/bin/env bash
# check_trace.sh ASY TRACE_CHECK SCRIPT: runs SCRIPT under `asy --virtual-time --trace` and
# checks the trace file with trace_check (tests/tools/trace_check.cpp). The ctest
# teaching/trace runs it on an example.
set -u
asy="$1"
trace_check="$2"
script="$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if ! "$asy" --virtual-time --trace="$tmp/trace.json" "$script" > "$tmp/stdout" 2> "$tmp/stderr"; then
  echo "FAIL: asy exited with status $? on $script"
  cat "$tmp/stderr"
  exit 1
fi
"$trace_check" "$tmp/trace.json"
