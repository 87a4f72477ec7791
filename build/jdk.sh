# Shared by ./srv6sh, ./build.sh and .ci/run: JDK discovery and the quiet distribution build.

# Sets JAVA_HOME to a JDK >= 25: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
srv6sh_find_jdk() {
  local cand v best="" bestv=0
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    v=$("$cand/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
    v=${v%%.*}
    case "$v" in ''|*[!0-9]*) continue ;; esac
    if [ "$v" -ge 25 ]; then
      if [ "$cand" = "${JAVA_HOME:-}" ]; then best=$cand; bestv=$v; break; fi
      if [ "$v" -gt "$bestv" ]; then best=$cand; bestv=$v; fi
    fi
  done
  if [ -z "$best" ]; then
    echo "srv6sh: needs a JDK 25 or newer (java and javac), and found none." >&2
    echo "  Looked at \$JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/*." >&2
    echo "  Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  if ! command -v mvn >/dev/null 2>&1; then
    echo "srv6sh: needs Apache Maven (mvn) to build; install it (apt-get install maven)." >&2
    return 1
  fi
}

# Builds the distribution (shell/target/srv6sh.jar + lib/) with one line of progress.
srv6sh_build_dist() {
  local here log
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  log="$here/shell/target/build.log"
  mkdir -p "$here/shell/target"
  printf 'srv6sh: building (first run or sources changed) ... ' >&2
  if (cd "$here" && mvn -B -q -DskipTests -Dspotless.check.skip=true install >"$log" 2>&1); then
    touch "$here/shell/target/.srv6sh-built"
    echo "done" >&2
  else
    echo "failed" >&2
    tail -n 40 "$log" >&2
    echo "srv6sh: the build failed; the full log is $log" >&2
    return 1
  fi
}
