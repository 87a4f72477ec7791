# srv6sh bootstrap functions (docs/aws.md, Bootstrap), sourced by the bootstrap scripts.
# The console markers are assembled at run time, so that user-data itself never holds them.
m=SRV6SH
log=/var/log/srv6sh-bootstrap.log
console() { # LINE...: to the serial console (GetConsoleOutput) and the log
  local c
  printf '%s\n' "$@" >>"$log"
  for c in /dev/console /dev/ttyS0; do
    if [ -w "$c" ] && printf '%s\n' "$@" >"$c" 2>/dev/null; then return 0; fi
  done
  return 0
}
say() { console "srv6sh-bootstrap: $*"; }
fail() { console "$m BOOTSTRAP FAILED: $*"; exit 1; }
retry() { # TIMES PAUSE COMMAND...
  local n=$1 pause=$2 i
  shift 2
  for ((i = 1; i <= n; i++)); do
    "$@" && return 0
    [ "$i" -lt "$n" ] && sleep "$pause"
  done
  return 1
}
dev_of() { # MAC: the interface that has it
  local f
  for f in /sys/class/net/*/address; do
    if [ "$(cat "$f")" = "$1" ]; then f=${f%/address}; echo "${f##*/}"; return 0; fi
  done
  return 1
}
java_bin() { # the JDK 25 that dnf installed
  local j
  for j in /usr/lib/jvm/java-25-amazon-corretto*/bin/java; do
    if [ -x "$j" ]; then echo "$j"; return 0; fi
  done
  return 1
}
host_keys() { # FILE...: printed between the markers the provider pins from
  console "-----BEGIN $m HOST KEYS-----" "$(cat "$@")" "-----END $m HOST KEYS-----"
}
