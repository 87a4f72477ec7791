#!/usr/bin/env bash
# Start-up against the JVM's own: in each round, in turn, `java -version` of the JDK the launcher
# chooses, `./srv6sh check scripts/quickstart.srv6`, and the REPL's prompt (./srv6sh with no command
# in a tmux pane, as a user would on a terminal, timed until "srv6sh>" is on the screen, polling every
# 5 ms). Interleaving keeps the three under the same load. Prints each median, min and max and the
# ratios of the medians to java -version's.
# Usage: build/startup-bench.sh [ROUNDS]   (default 5). Needs tmux. Figures go to docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
command -v tmux >/dev/null || { echo "startup-bench: needs tmux (apt-get install tmux)" >&2; exit 2; }
. "$here/build/jdk.sh"
srv6sh_find_jdk || exit 2
launcher="$here/${LAUNCHER:-srv6sh}"
"$launcher" --version >/dev/null # builds the distribution if the sources changed
home="$(mktemp -d)"
sock="srv6sh-bench-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$home"' EXIT
printf ':quit\n' | SRV6SH_HOME="$home" "$launcher" >/dev/null 2>&1 # writes the REPL's cache if missing
"$launcher" check "$here/scripts/quickstart.srv6" >/dev/null         # and the commands' cache

ms() { echo $(( ($2 - $1) / 1000000 )); }
timed() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  ms "$start" "$end"
}
prompt() {
  local start end
  start=$(date +%s%N)
  tmux -L "$sock" new-session -d -s bench -x 120 -y 20 "SRV6SH_HOME=$home $launcher"
  until tmux -L "$sock" capture-pane -p -t bench 2>/dev/null | grep -q 'srv6sh>'; do sleep 0.005; done
  end=$(date +%s%N)
  tmux -L "$sock" send-keys -t bench ':quit' Enter
  while tmux -L "$sock" has-session -t bench 2>/dev/null; do sleep 0.02; done
  ms "$start" "$end"
}
# the tmux server itself starts with the first session: start it once, outside the timings
tmux -L "$sock" new-session -d -s warm -x 20 -y 5 "sleep 600"

jv=() ck=() rp=()
for _ in $(seq "$rounds"); do
  jv+=("$(timed "$JAVA_HOME/bin/java" -version)")
  ck+=("$(timed "$launcher" check "$here/scripts/quickstart.srv6")")
  rp+=("$(prompt)")
done
stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {m=(NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); printf "%d %d %d", m, a[1], a[NR]}'; }
read -r jm jmin jmax <<<"$(stats "${jv[@]}")"
read -r cm cmin cmax <<<"$(stats "${ck[@]}")"
read -r rm rmin rmax <<<"$(stats "${rp[@]}")"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA_HOME/bin/java" -version 2>&1 | sed -n 2p)"
echo "$rounds rounds, milliseconds      median   min   max   median / java -version"
printf 'java -version                     %6d %5d %5d\n' "$jm" "$jmin" "$jmax"
printf "srv6sh check quickstart.srv6      %6d %5d %5d   %s (goal 4x)\n" "$cm" "$cmin" "$cmax" "$(awk "BEGIN {printf \"%.1fx\", $cm / $jm}")"
printf "REPL prompt                       %6d %5d %5d   %s (goal 6x)\n" "$rm" "$rmin" "$rmax" "$(awk "BEGIN {printf \"%.1fx\", $rm / $jm}")"
