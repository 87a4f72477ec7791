#!/bin/bash
# srv6sh-router.service's ExecStart (user srv6sh): SSH on the management ENI's private IPv4,
# the data plane on inside and transit (driver af_packet, from the configuration).
set -euo pipefail
. /usr/local/libexec/srv6sh/lib.sh
. /etc/srv6sh/router.env
dev=$(dev_of "$SRV6SH_MGMT_MAC") || { echo "no interface has the management MAC $SRV6SH_MGMT_MAC" >&2; exit 1; }
addr=$(ip -4 -o addr show dev "$dev" scope global | awk '{ split($4, a, "/"); print a[1]; exit }')
[ -n "$addr" ] || { echo "the management interface $dev has no IPv4 address yet" >&2; exit 1; }
java=$(java_bin) || { echo "no Java 25 under /usr/lib/jvm" >&2; exit 1; }
opts=(@JAVA_OPTS@)
exec "$java" "${opts[@]}" --enable-native-access=@NATIVE_ACCESS@ \
  --module-path /opt/srv6sh/srv6sh.jar:/opt/srv6sh/lib -m srv6sh.shell/dev.srv6sh.shell.Main \
  router --config /var/lib/srv6sh/boot.json --name "$SRV6SH_ROUTER" --ssh "$addr:$SRV6SH_SSH_PORT" \
  --authorized-keys /etc/srv6sh/authorized_keys --host-key /var/lib/srv6sh/ssh_host_key \
  --state /var/lib/srv6sh/state
