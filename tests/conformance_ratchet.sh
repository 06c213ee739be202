#!/usr/bin/env bash
# conformance_ratchet.sh - run the shared CPython conformance corpus as a ratchet.
#
# Usage: tests/conformance_ratchet.sh [ASY]      (ASY defaults to build/asy)
#
# Runs ../shared/conformance/run (found beside the repository) on every case, then
# compares the failures with tests/conformance_known_failures.txt:
#   - a case that fails but is not on the list is a regression: the test fails;
#   - a case on the list that now passes must be taken off it: the test fails too, so the
#     list only ever shrinks and every fix is locked in;
#   - a listed name that is not in the corpus is reported as stale: the test fails.
# Exit status: 0 when the failures are exactly the listed ones, 1 otherwise, 2 on setup errors.
set -u

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
asy="${1:-$repo/build/asy}"
shared="$(cd "$repo/.." && pwd)/shared/conformance"
known="$repo/tests/conformance_known_failures.txt"

if [ ! -x "$shared/run" ] || [ ! -d "$shared/cases" ]; then
  echo "conformance: cannot find the corpus: expected $shared/run and $shared/cases" >&2
  echo "(the shared/ folder must sit beside the repository)" >&2
  exit 2
fi
if [ ! -x "$asy" ]; then echo "conformance: not an executable: $asy" >&2; exit 2; fi
if [ ! -f "$known" ]; then echo "conformance: missing $known" >&2; exit 2; fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The runner prints "NAME: reason" per failing case and a last line "N passed, M failed".
"$shared/run" "$asy" "$shared/cases" > "$tmp/report"
summary="$(tail -n 1 "$tmp/report")"
case "$summary" in
  *" passed, "*" failed") ;;
  *) echo "conformance: the runner did not finish; its output:"; cat "$tmp/report"; exit 2 ;;
esac

export LC_ALL=C
sed '$d' "$tmp/report" | sed -n 's/^\([^ :]*\): .*/\1/p' | sort -u > "$tmp/failing"
grep -v '^[[:space:]]*\(#\|$\)' "$known" | tr -d ' \t\r' | sort -u > "$tmp/known"
for case_file in "$shared/cases"/*.asy; do basename "$case_file" .asy; done | sort -u > "$tmp/all"

status=0
regressions="$(comm -23 "$tmp/failing" "$tmp/known")"
fixed="$(comm -13 "$tmp/failing" "$tmp/known" | comm -12 - "$tmp/all")"
stale="$(comm -23 "$tmp/known" "$tmp/all")"

if [ -n "$regressions" ]; then
  echo "REGRESSION: these cases fail and are not in tests/conformance_known_failures.txt:"
  while read -r name; do
    grep "^$name: " "$tmp/report" | sed 's/^/    /'
  done <<< "$regressions"
  status=1
fi
if [ -n "$fixed" ]; then
  while read -r name; do
    echo "now passing, remove from the list: $name"
  done <<< "$fixed"
  status=1
fi
if [ -n "$stale" ]; then
  while read -r name; do
    echo "not in the corpus, remove from the list: $name"
  done <<< "$stale"
  status=1
fi

echo "conformance: $summary ($(wc -l < "$tmp/known") known failures listed)"
if [ "$status" -ne 0 ]; then
  echo "see the differences: $shared/run $asy $shared/cases --diff"
fi
exit "$status"
