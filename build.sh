#!/usr/bin/env bash
# ./build.sh test   — the whole test suite (what CI runs), then FUZZ_SECONDS (default 60) of fuzzing per target
# ./build.sh fuzz   — only the fuzzing, for FUZZ_SECONDS
# ./build.sh bench [JMH ARGS]  — the JMH benchmarks: DataplaneBench (the data plane, see also
#                  `srv6sh bench`), TapPortBench (a TAP port's transmit, io_uring or not; needs root),
#                  RouterTraversalBench (the local backend's added latency per router) and
#                  ParseCheckBench, e.g. ./build.sh bench DataplaneBench -p vector=256
# ./build.sh dist   — build the distribution that ./srv6sh runs
# ./build.sh fmt    — format the Java sources (the build checks formatting)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/build/jdk.sh"
srv6sh_find_jdk || exit 2
srv6sh_need_maven || exit 2
cd "$here"

# Jazzer fuzz targets (module:test class): new crashes are written next to each target's corpus under
# src/test/resources, and every corpus entry is replayed by the ordinary test run from then on.
FUZZ_TARGETS="interpreter:ParseCheckFuzzTest dataplane:GraphFuzzTest dataplane:SrhFuzzTest"
fuzz() {
  local seconds="${FUZZ_SECONDS:-60}"
  [ "$seconds" -gt 0 ] || return 0
  local t module test
  for t in $FUZZ_TARGETS; do
    module="${t%%:*}"; test="${t#*:}"
    echo "fuzzing $test for ${seconds}s"
    JAZZER_FUZZ=1 mvn -B -ntp -pl "$module" -am test -Dspotless.check.skip=true \
      -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration="${seconds}s"
  done
}

case "${1:-test}" in
  test)
    mvn -B -ntp verify
    fuzz ;;
  fuzz) fuzz ;;
  bench)
    shift
    mvn -B -ntp -q -pl interpreter -am install -DskipTests -Dspotless.check.skip=true
    # each module runs its own benchmarks; name one (DataplaneBench, ParseCheckBench) to run only it
    for module in dataplane cloud interpreter; do
      case "${1:-}" in
        DataplaneBench*|TapPortBench*) [ "$module" = dataplane ] || continue ;;
        RouterTraversalBench*) [ "$module" = cloud ] || continue ;;
        ParseCheckBench*) [ "$module" = interpreter ] || continue ;;
      esac
      mvn -B -ntp -q -Pbench -pl "$module" test-compile exec:exec -Dspotless.check.skip=true \
        -Dbench="${*:-.*}"
    done ;;
  dist) srv6sh_build_dist ;;
  fmt) exec mvn -B -ntp -q spotless:apply ;;
  *) echo "usage: ./build.sh [test|fuzz|bench|dist|fmt]" >&2; exit 2 ;;
esac
