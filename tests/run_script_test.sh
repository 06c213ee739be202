#!/usr/bin/env bash
# run_script_test.sh - run one script test: asy FILE.asy, compared with FILE.out and FILE.exit.
#
# Usage: tests/run_script_test.sh ASY FILE.asy
#
#   ASY       the interpreter, e.g. build/asy
#   FILE.asy  the program; FILE.out beside it holds the exact expected stdout, and
#             FILE.exit the expected exit status when it is not 0.
#
# Options for asy come from a line `# asy-flags: --virtual-time --shuffle=3` among the first
# three lines of FILE.asy (the teaching tools' tests). When FILE.err exists, stderr must
# begin with its text (what follows, such as a traceback through the stdlib, is not
# compared), with the script's directory removed from paths so that it reads the same on
# every machine.
#
# Like ../shared/conformance/run, but for one file and with a readable report: stdout is
# compared byte for byte and the exit status exactly; stderr is only shown, never compared.
# Exit status: 0 if the test passed, 1 if it failed, 2 on a usage error.
set -u

if [ "$#" -ne 2 ]; then
  echo "usage: $0 ASY FILE.asy" >&2
  exit 2
fi
asy="$1"
script="$2"
base="${script%.asy}"
expected_out="$base.out"

if [ ! -x "$asy" ]; then echo "not an executable: $asy" >&2; exit 2; fi
if [ ! -f "$script" ]; then echo "no such script: $script" >&2; exit 2; fi
if [ ! -f "$expected_out" ]; then echo "missing expected output: $expected_out" >&2; exit 2; fi

expected_status=0
if [ -f "$base.exit" ]; then
  expected_status="$(tr -d ' \t\r\n' < "$base.exit")"
fi

# The flags of a `# asy-flags:` line, split into words.
flags=()
flag_line="$(head -n 3 "$script" | grep -m1 '^# asy-flags:' || true)"
if [ -n "$flag_line" ]; then
  read -r -a flags <<< "${flag_line#\# asy-flags:}"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# ctest's TIMEOUT bounds the run; stdin is empty so that a script reading it cannot hang.
"$asy" ${flags[@]+"${flags[@]}"} "$script" > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
status=$?

failed=0
if [ "$status" -ne "$expected_status" ]; then
  if [ "$status" -gt 128 ]; then
    signal=$((status - 128))
    echo "FAIL: crashed by signal $signal ($(kill -l "$signal" 2>/dev/null || echo '?')), expected exit status $expected_status"
  else
    echo "FAIL: exit status $status, expected $expected_status"
  fi
  failed=1
fi
if ! cmp -s "$expected_out" "$tmp/stdout"; then
  echo "FAIL: stdout differs from $(basename "$expected_out") (--- expected, +++ actual):"
  diff -u --label expected --label actual "$expected_out" "$tmp/stdout" | head -n 80
  failed=1
fi

if [ -f "$base.err" ]; then
  # asy names the script by its absolute path, or relative to the current directory when it
  # is below it: take out both spellings of the script's directory (as literal text).
  literal() { printf '%s' "$1" | sed 's/[.[\*^$|]/\\&/g'; }
  absolute_dir="$(literal "$(cd "$(dirname "$script")" && pwd)/")"
  given_dir="$(literal "$(dirname "$script")/")"
  sed -e "s|$absolute_dir||g" -e "s|$given_dir||g" "$tmp/stderr" | head -c "$(wc -c < "$base.err")" \
    > "$tmp/stderr.relative"
  if ! cmp -s "$base.err" "$tmp/stderr.relative"; then
    echo "FAIL: stderr does not begin with $(basename "$base.err") (--- expected, +++ actual):"
    diff -u --label expected --label actual "$base.err" "$tmp/stderr.relative" | head -n 80
    failed=1
  fi
fi

if [ "$failed" -ne 0 ]; then
  if [ -s "$tmp/stderr" ]; then
    echo "stderr of asy (last 40 lines):"
    tail -n 40 "$tmp/stderr" | sed 's/^/    /'
  fi
  echo "command: $asy ${flags[*]+"${flags[*]}"} $script"
  exit 1
fi
echo "ok: $script"
