#!/usr/bin/env bash
# How long the REPL takes to show its prompt: launches the built distribution (./srv6sh with no
# command) in a tmux pane, as a user would on a terminal, and times until "srv6sh>" is on the screen.
# Usage: build/startup-bench.sh [RUNS]   (default 10; the first run after a build also writes the
# CDS archive and is reported apart). Needs tmux. Figures go to docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
command -v tmux >/dev/null || { echo "startup-bench: needs tmux (apt-get install tmux)" >&2; exit 2; }
"$here/${LAUNCHER:-srv6sh}" --version >/dev/null   # builds the distribution if the sources changed
sock="srv6sh-bench-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
home="$(mktemp -d)"
one() {
  local start end
  start=$(date +%s%N)
  tmux -L "$sock" new-session -d -s bench -x 120 -y 20 "SRV6SH_HOME=$home $here/${LAUNCHER:-srv6sh} $*"
  until tmux -L "$sock" capture-pane -p -t bench 2>/dev/null | grep -q 'srv6sh>'; do sleep 0.005; done
  end=$(date +%s%N)
  tmux -L "$sock" send-keys -t bench ':quit' Enter
  while tmux -L "$sock" has-session -t bench 2>/dev/null; do sleep 0.02; done
  echo $(( (end - start) / 1000000 ))
}
first=$(one)
times=()
for _ in $(seq "$runs"); do times+=("$(one)"); done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}')
echo "first run (writes the CDS archive if missing): ${first} ms"
echo "prompt after launch, ${runs} runs: median ${median} ms, min $(echo "$sorted" | head -1) ms, max $(echo "$sorted" | tail -1) ms"
rm -rf "$home"
