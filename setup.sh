#!/usr/bin/env bash
# setup.sh - install what asy needs, build it, then run an example or the whole test suite.
#
#   ./setup.sh        install missing Debian packages, build build/, run examples/hello.asy
#   ./setup.sh test   the same set-up, then every test: ctest in build/, then a second build
#                     with AddressSanitizer and UBSan in build-asan/, whose ctest runs with
#                     ASY_GC_STRESS=1 (a garbage collection at every allocation)
#
# Packages are only installed when dpkg says they are missing, so on a machine that has them
# this needs neither root nor the network. ASY_JOBS sets the parallelism (default: nproc).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# DESIGN.md section 6 lists why each one is needed.
packages=(build-essential pkg-config cmake ninja-build ccache libuv1-dev re2c bison catch2
          libgmp-dev libutf8proc-dev libfmt-dev libcli11-dev nlohmann-json3-dev libedit-dev)
jobs="${ASY_JOBS:-$(nproc 2>/dev/null || echo 2)}"

usage() {
  echo "usage: $0 [test]" >&2
  exit 2
}

install_missing_packages() {
  if ! command -v dpkg-query > /dev/null; then
    echo "setup: no dpkg here; make sure the equivalents of these are installed: ${packages[*]}"
    return
  fi
  local missing=() package
  for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2> /dev/null | grep -q "install ok installed"; then
      missing+=("$package")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return
  fi

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo > /dev/null; then
      echo "setup: missing packages: ${missing[*]}" >&2
      echo "setup: run this script as root, or install them first" >&2
      exit 1
    fi
    sudo=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# build DIR [CMAKE_ARGS...]: configure (once; later builds reconfigure themselves) and build.
build() {
  local dir="$1"
  shift
  echo "setup: building $dir/"
  cmake -S . -B "$dir" -G Ninja "$@"
  cmake --build "$dir" --parallel "$jobs"
}

mode="${1:-run}"
case "$mode" in
  run | test) ;;
  *) usage ;;
esac
[ "$#" -le 1 ] || usage

install_missing_packages
build build

if [ "$mode" = run ]; then
  echo "setup: running examples/hello.asy"
  build/asy examples/hello.asy
  exit
fi

status=0
echo "setup: tests in build/"
ctest --test-dir build --output-on-failure --parallel "$jobs" || status=1

build build-asan -DASY_SANITIZE=ON -DASY_TEST_GC_STRESS=ON
echo "setup: tests in build-asan/ (sanitizers, ASY_GC_STRESS=1)"
# AddressSanitizer makes every C++ frame several times larger, so the recursion limits that
# keep a release build inside the default 8 MiB stack are not enough there: give the
# sanitized runs a bigger stack (a subshell, so the release runs above keep the default).
(ulimit -s 524288 2> /dev/null || true
 ctest --test-dir build-asan --output-on-failure --parallel "$jobs") || status=1

if [ "$status" -ne 0 ]; then
  echo "setup: some tests failed (see above)" >&2
fi
exit "$status"
