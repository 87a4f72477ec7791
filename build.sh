#!/usr/bin/env bash
# ./build.sh test   — the whole test suite (what CI runs)
# ./build.sh dist   — build the distribution that ./srv6sh runs
# ./build.sh fmt    — format the Java sources (the build checks formatting)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/build/jdk.sh"
srv6sh_find_jdk || exit 2
cd "$here"
case "${1:-test}" in
  test) exec mvn -B -ntp verify ;;
  dist) srv6sh_build_dist ;;
  fmt) exec mvn -B -ntp -q spotless:apply ;;
  *) echo "usage: ./build.sh [test|dist|fmt]" >&2; exit 2 ;;
esac
