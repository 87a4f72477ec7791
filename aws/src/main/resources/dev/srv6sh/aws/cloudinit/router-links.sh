#!/bin/bash
# srv6sh-router.service's ExecStartPre (root): the ENIs found by MAC become the data plane's
# inside and transit, without addresses of the kernel's (AF_PACKET hands their frames to srv6sh).
set -euo pipefail
. /usr/local/libexec/srv6sh/lib.sh
. /etc/srv6sh/router.env
take() { # MAC NAME
  local d="" i
  for ((i = 0; i < 60; i++)); do d=$(dev_of "$1") && break; sleep 1; done
  [ -n "$d" ] || { echo "no interface has the MAC $1 (the $2 ENI)" >&2; exit 1; }
  if [ "$d" != "$2" ]; then
    ip link set dev "$d" down
    ip link set dev "$d" name "$2"
  fi
  sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
  ip addr flush dev "$2"
  ip link set dev "$2" up
}
take "$SRV6SH_INSIDE_MAC" inside
take "$SRV6SH_TRANSIT_MAC" transit
