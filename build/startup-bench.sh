#!/usr/bin/env bash
# Start-up against the JVM's own, in one run: each round times, in turn,
#   java -version          (the JDK the launcher chooses), until it exits;
#   srv6sh check           (./srv6sh check scripts/quickstart.srv6), until it exits;
#   the REPL's prompt      (./srv6sh with no command on a pseudo-terminal, as on a terminal), until
#                          "srv6sh> " has been written to the terminal (the launcher paints it first);
#   the REPL's line editor until JLine draws the prompt again over the painted one: from then on
#                          keys are edited, completed and highlighted (before, the terminal echoes
#                          them and keeps them for the editor).
# All three are started the same way, on a pseudo-terminal by python3's pty module, and timed from
# just before the fork, so none pays for a harness the others do not. Interleaving puts the three
# under the same load. Prints each one's median, min and max, and the medians' ratios to java -version.
# Usage: build/startup-bench.sh [ROUNDS]   (default 5). Figures go to docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
command -v python3 >/dev/null || { echo "startup-bench: needs python3" >&2; exit 2; }
. "$here/build/jdk.sh"
srv6sh_find_jdk || exit 2
launcher="$here/${LAUNCHER:-srv6sh}"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
# build if the sources changed, and write the AOT caches and the kept terminfo if missing
"$launcher" --version >/dev/null
"$launcher" check "$here/scripts/quickstart.srv6" >/dev/null
printf ':quit\n' | SRV6SH_HOME="$home" TERM=xterm-256color script -qec "$launcher" /dev/null >/dev/null 2>&1 || true

SRV6SH_HOME="$home" TERM=xterm-256color exec python3 - "$rounds" "$JAVA_HOME/bin/java" "$launcher" \
  "$here/scripts/quickstart.srv6" <<'EOF'
import fcntl, os, pty, select, statistics, struct, sys, termios, time

rounds, java, launcher, script = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]

def timed(argv, until=None, marks=None):
    """Milliseconds from fork to exit, or to `until` appearing in what the program writes; with
    `marks` (a list), also the time of every appearance of `until` before the last byte read."""
    want = until
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a terminal has a size
    seen = b""
    end = None
    while True:
        r, _, _ = select.select([fd], [], [], 10)
        if not r:
            raise SystemExit(f"startup-bench: no output from {argv} in 10 s")
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            break
        seen += data
        if marks is not None and want and seen.count(want) > len(marks):
            marks.extend([(time.monotonic() - start) * 1000] * (seen.count(want) - len(marks)))
        if until and until in seen and (marks is None or len(marks) >= 2):
            end = time.monotonic()
            os.write(fd, b":quit\r")
            until = None
    os.waitpid(pid, 0)
    os.close(fd)
    return ((end or time.monotonic()) - start) * 1000

runs = {"java -version": [], "srv6sh check quickstart.srv6": [], "REPL prompt": [], "REPL line editor": []}
for _ in range(rounds):
    runs["java -version"].append(timed([java, "-version"]))
    runs["srv6sh check quickstart.srv6"].append(timed([launcher, "check", script]))
    # the launcher paints the banner and the prompt first; the line editor draws the prompt again
    # when it reads the terminal: the first "srv6sh> " is the prompt, the second the editor live
    marks = []
    timed([launcher], b"srv6sh> ", marks)
    runs["REPL prompt"].append(marks[0])
    runs["REPL line editor"].append(marks[1])

load = open("/proc/loadavg").read().split()[:3]
print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(load)}")
print(f"{rounds} rounds, milliseconds          median    min    max   median / java -version")
base = statistics.median(runs["java -version"])
goals = {"srv6sh check quickstart.srv6": "4x", "REPL prompt": "6x", "REPL line editor": "none"}
for name, t in runs.items():
    m = statistics.median(t)
    ratio = "" if name == "java -version" else f"   {m / base:.1f}x (goal {goals[name]})"
    print(f"{name:32} {m:7.0f} {min(t):6.0f} {max(t):6.0f}{ratio}")
EOF
