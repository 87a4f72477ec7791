#!/bin/bash
# srv6sh host bootstrap, run once by cloud-init (runcmd). Log: /var/log/srv6sh-bootstrap.log
set -uo pipefail
. /usr/local/libexec/srv6sh/lib.sh
exec >>"$log" 2>&1
say "host @HOST@ of stack @STACK@: installing ping and iperf3"
retry 10 15 dnf -y -q install iputils iperf3 || fail "dnf could not install iputils and iperf3"
host_keys /etc/ssh/ssh_host_*_key.pub
say "done"
