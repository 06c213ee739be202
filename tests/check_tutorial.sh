#!/usr/bin/env bash
# check_tutorial.sh - run every example of tutorial.md and compare it with the output shown.
#
# Usage: tests/check_tutorial.sh ASY [TUTORIAL.md]
#
# An example is a ```python fenced block followed, after at most blank lines, by an ```output
# fenced block. For each one the program runs under ASY (stdin empty) and its stdout must be
# the output block exactly. The program must also be a script test: some
# tests/scripts/tutorial/NAME.asy must hold the same code below its first line (the
# `# checks:` line), and NAME.out, which CPython wrote (tests/regen_expected.sh), must be the
# output block too. So what the tutorial shows is what asy prints and what CPython prints.
# A ```python block with no ```output block after it is only shown, not run.
# Exit status: 0 if every example passed, 1 if any failed, 2 on a usage error.
set -u

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: $0 ASY [TUTORIAL.md]" >&2
  exit 2
fi
asy="$1"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tutorial="${2:-$repo/tutorial.md}"
scripts="$repo/tests/scripts/tutorial"
if [ ! -x "$asy" ]; then echo "not an executable: $asy" >&2; exit 2; fi
asy="$(cd "$(dirname "$asy")" && pwd)/$(basename "$asy")"
if [ ! -f "$tutorial" ]; then echo "no such file: $tutorial" >&2; exit 2; fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Split the tutorial: example N becomes $tmp/N.asy, its output $tmp/N.out and the line of
# the tutorial where its code starts $tmp/N.line.
awk -v dir="$tmp" '
  state == "python" && /^```[ \t]*$/ { state = ""; pending = 1; next }
  state == "python" { code = code $0 "\n"; next }
  state == "output" && /^```[ \t]*$/ {
    state = ""; n = sprintf("%03d", ++count)
    printf "%s", code > (dir "/" n ".asy"); close(dir "/" n ".asy")
    printf "%s", out > (dir "/" n ".out"); close(dir "/" n ".out")
    print start > (dir "/" n ".line"); close(dir "/" n ".line")
    next
  }
  state == "output" { out = out $0 "\n"; next }
  /^```python[ \t]*$/ { state = "python"; code = ""; start = NR + 1; pending = 0; next }
  /^```output[ \t]*$/ { if (pending) { state = "output"; out = "" } pending = 0; next }
  /^[ \t]*$/ { next }
  { pending = 0 }
' "$tutorial"

count=0
failed=0
for program in "$tmp"/*.asy; do
  [ -e "$program" ] || break
  n="$(basename "$program" .asy)"
  expected="$tmp/$n.out"
  where="$(basename "$tutorial"):$(cat "$tmp/$n.line")"
  count=$((count + 1))

  # The script test that holds this example.
  twin=""
  for candidate in "$scripts"/*.asy; do
    [ -e "$candidate" ] || break
    if tail -n +2 "$candidate" | cmp -s - "$program"; then twin="$candidate"; break; fi
  done
  if [ -z "$twin" ]; then
    echo "FAIL $where: no tests/scripts/tutorial/*.asy holds this example below its # checks: line"
    failed=$((failed + 1))
  elif ! cmp -s "${twin%.asy}.out" "$expected"; then
    echo "FAIL $where: the output shown is not CPython's (${twin#$repo/}; regenerate it with tests/regen_expected.sh):"
    diff -u --label "tutorial.md" --label "${twin%.asy}.out" "$expected" "${twin%.asy}.out" | sed 's/^/    /'
    failed=$((failed + 1))
  fi

  (cd "$tmp" && "$asy" "$program" > "$tmp/$n.actual" 2> "$tmp/$n.stderr" < /dev/null)
  status=$?
  if ! cmp -s "$expected" "$tmp/$n.actual"; then
    echo "FAIL $where: asy printed something else (--- shown, +++ asy, exit status $status):"
    diff -u --label "tutorial.md" --label "asy" "$expected" "$tmp/$n.actual" | sed 's/^/    /'
    sed 's/^/    stderr: /' "$tmp/$n.stderr" | tail -n 20
    failed=$((failed + 1))
  fi
done

if [ "$count" -eq 0 ]; then
  echo "FAIL: no python block followed by an output block in $tutorial"
  exit 1
fi
echo "$count examples, $failed failures"
[ "$failed" -eq 0 ]
