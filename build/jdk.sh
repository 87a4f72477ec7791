# Shared by ./srv6sh, ./build.sh and .ci/run: JDK discovery and the quiet distribution build.
# Start-up matters here (./srv6sh runs this before every command), so the discovery starts no JVM
# and no other process: a JDK's version is read from its `release` file with shell builtins, and
# the JDK chosen is remembered in shell/target/.srv6sh-jdk (checked again on every use, one read).

SRV6SH_MIN_JDK=25

# Sets srv6sh_v to the feature version of the JDK at $1 ("25" for JAVA_VERSION="25.0.3", "8" for
# "1.8.0_412"), from its release file; a JDK without one (rare) is asked with -XshowSettings.
srv6sh_jdk_version() {
  local line v=""
  srv6sh_v=""
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  if [ -r "$1/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v//\"/}; break ;; esac
    done <"$1/release"
  else
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  case "$v" in 1.*) v=${v#1.} ;; esac
  v=${v%%[!0-9]*}
  [ -n "$v" ] || return 1
  srv6sh_v=$v
}

# Sets JAVA_HOME to a JDK >= 25: $JAVA_HOME if it is one, else the one remembered from last time if it
# is still there, else the newest in the folders $SRV6SH_JDK_DIRS names (colon-separated; default
# /usr/lib/jvm, where Debian, Ubuntu and Fedora put them). Says what it looked at when there is none.
srv6sh_find_jdk() {
  local here cache cand best="" bestv=0 line
  here="${BASH_SOURCE[0]%/*}/.."
  cache="$here/shell/target/.srv6sh-jdk"
  if [ -n "${JAVA_HOME:-}" ] && srv6sh_jdk_version "$JAVA_HOME" && [ "$srv6sh_v" -ge "$SRV6SH_MIN_JDK" ]; then
    best=$JAVA_HOME
  elif [ -r "$cache" ] && IFS= read -r line <"$cache" && [ -n "$line" ] \
      && srv6sh_jdk_version "$line" && [ "$srv6sh_v" -ge "$SRV6SH_MIN_JDK" ]; then
    best=$line
  else
    local dirs dir
    IFS=: read -r -a dirs <<<"${SRV6SH_JDK_DIRS:-/usr/lib/jvm}"
    for dir in "${dirs[@]}"; do
      for cand in "$dir"/*; do
        srv6sh_jdk_version "$cand" || continue
        if [ "$srv6sh_v" -ge "$SRV6SH_MIN_JDK" ] && [ "$srv6sh_v" -gt "$bestv" ]; then
          best=$cand
          bestv=$srv6sh_v
        fi
      done
    done
    if [ -n "$best" ] && [ -d "$here/shell/target" ]; then
      { printf '%s\n' "$best" >"$cache"; } 2>/dev/null || true # a read-only checkout: not remembered
    fi
  fi
  if [ -z "$best" ]; then
    echo "srv6sh: needs a JDK $SRV6SH_MIN_JDK or newer (java and javac), and found none." >&2
    echo "  Looked at \$JAVA_HOME (${JAVA_HOME:-unset}) and in ${SRV6SH_JDK_DIRS:-/usr/lib/jvm} (\$SRV6SH_JDK_DIRS)." >&2
    echo "  Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

# Maven is needed only to build: the launcher asks for it when it has to build, not on every start.
srv6sh_need_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "srv6sh: needs Apache Maven (mvn) to build; install it (apt-get install maven)." >&2
    return 1
  fi
}

# Builds the distribution (shell/target/srv6sh.jar + lib/) with one line of progress. lib/ is made
# afresh: a jar left there by an older build (another version of a dependency) would be a second
# copy of its module, and the JVM refuses to start with two.
srv6sh_build_dist() {
  local here log
  here="$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)"
  log="$here/shell/target/build.log"
  srv6sh_need_maven || return 1
  rm -rf "$here/shell/target/lib"
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
