#!/usr/bin/env bash
# run.sh - time asy against CPython on the benchmarks in bench/.
#
# Usage: bench/run.sh [NAME...]       NAME is "fib" or "bench/fib.asy"; default: every bench/*.asy
#
# Each benchmark runs RUNS times (default 5) under build/asy (or $ASY) and under python3,
# alternating, so that a slow moment of the machine hits both alike. It prints the median
# wall-clock seconds of each, the ratio python/asy (above 1: asy is faster), and the peak
# resident memory over all runs (MiB, when /usr/bin/time is there). Both must print the same
# output, or the benchmark is reported as wrong and the exit status is 1.
# python3 runs with ../shared/conformance/asy_prelude.py when it exists, so that benchmarks
# may use asy's import-free builtins (sleep, gather, ...).
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$bench_dir")"
asy="${ASY:-$repo/build/asy}"
runs="${RUNS:-5}"
prelude="$repo/../shared/conformance/asy_prelude.py"

if [ ! -x "$asy" ]; then
  echo "no interpreter at $asy: build it first (./setup.sh), or set ASY=path/to/asy" >&2
  exit 2
fi
python=(python3)
if [ -f "$prelude" ]; then python=(python3 "$prelude"); fi
time_tool=""
if [ -x /usr/bin/time ]; then time_tool=/usr/bin/time; fi

files=()
if [ "$#" -eq 0 ]; then
  files=("$bench_dir"/*.asy)
else
  for name in "$@"; do
    case "$name" in
      *.asy) files+=("$name") ;;
      *) files+=("$bench_dir/$name.asy") ;;
    esac
  done
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# measure OUT_PREFIX COMMAND...: run once; append seconds to OUT_PREFIX.times and peak RSS in
# KiB to OUT_PREFIX.rss; keep stdout in OUT_PREFIX.stdout.
measure() {
  local prefix="$1"
  shift
  local start end
  start=$(date +%s%N)
  if [ -n "$time_tool" ]; then
    "$time_tool" -f %M -o "$prefix.rss.last" "$@" > "$prefix.stdout" < /dev/null
    cat "$prefix.rss.last" >> "$prefix.rss"
  else
    "$@" > "$prefix.stdout" < /dev/null
  fi
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 ))" >> "$prefix.times"
}

# median FILE: the median of the numbers in FILE (the lower middle one for an even count).
median() {
  sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# max FILE: the largest number in FILE, or "-" if it is empty or missing.
max() {
  if [ -s "$1" ]; then sort -n "$1" | tail -n 1; else echo "-"; fi
}

printf '%-16s %10s %10s %12s %12s %12s\n' benchmark asy_s python_s python/asy asy_MiB python_MiB
status=0
for file in "${files[@]}"; do
  name="$(basename "$file" .asy)"
  if [ ! -f "$file" ]; then echo "$name: no such benchmark: $file" >&2; status=1; continue; fi
  rm -f "$tmp"/*
  for ((i = 0; i < runs; i++)); do
    if ! measure "$tmp/asy" "$asy" "$file"; then echo "$name: asy failed" >&2; status=1; continue 2; fi
    if ! measure "$tmp/python" "${python[@]}" "$file"; then echo "$name: python3 failed" >&2; status=1; continue 2; fi
  done
  asy_ms=$(median "$tmp/asy.times")
  python_ms=$(median "$tmp/python.times")
  asy_kib=$(max "$tmp/asy.rss")
  python_kib=$(max "$tmp/python.rss")
  awk -v n="$name" -v a="$asy_ms" -v p="$python_ms" -v ar="$asy_kib" -v pr="$python_kib" 'BEGIN {
    printf "%-16s %10.3f %10.3f %12.2f %12s %12s\n", n, a / 1000, p / 1000, (a > 0 ? p / a : 0),
      (ar == "-" ? "-" : sprintf("%.1f", ar / 1024)), (pr == "-" ? "-" : sprintf("%.1f", pr / 1024))
  }'
  if ! cmp -s "$tmp/asy.stdout" "$tmp/python.stdout"; then
    echo "$name: WRONG OUTPUT, asy and python3 differ:" >&2
    diff "$tmp/python.stdout" "$tmp/asy.stdout" | head -n 10 >&2 || true
    status=1
  fi
done
exit "$status"
