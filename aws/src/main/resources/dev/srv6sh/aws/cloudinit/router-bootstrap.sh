#!/bin/bash
# srv6sh router bootstrap, run once by cloud-init (runcmd). Log: /var/log/srv6sh-bootstrap.log
set -uo pipefail
. /usr/local/libexec/srv6sh/lib.sh
. /etc/srv6sh/router.env
. /etc/srv6sh/fetch.env
exec >>"$log" 2>&1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say "router $SRV6SH_ROUTER of stack $SRV6SH_STACK: installing Java 25 (Amazon Corretto)"
retry 10 15 dnf -y -q install java-25-amazon-corretto-headless tar gzip \
  || fail "dnf could not install java-25-amazon-corretto-headless"
java_bin >/dev/null || fail "no Java 25 under /usr/lib/jvm after installing Corretto 25"

say "fetching the srv6sh distribution"
retry 10 10 curl -fsS --connect-timeout 10 --max-time 900 -o "$tmp/srv6sh.tar.gz" "$SRV6SH_DIST_URL" \
  || fail "cannot download the srv6sh distribution (its presigned URL expires: apply again)"
if [ -n "$SRV6SH_DIST_SHA256" ]; then
  echo "$SRV6SH_DIST_SHA256  $tmp/srv6sh.tar.gz" | sha256sum -c --quiet \
    || fail "the distribution's SHA-256 is not $SRV6SH_DIST_SHA256"
fi
rm -rf /opt/srv6sh.new && mkdir -p /opt/srv6sh.new \
  && tar -xzf "$tmp/srv6sh.tar.gz" -C /opt/srv6sh.new --no-same-owner \
  && [ -f /opt/srv6sh.new/srv6sh.jar ] && [ -d /opt/srv6sh.new/lib ] \
  || fail "the distribution does not unpack to srv6sh.jar and lib/"
rm -rf /opt/srv6sh && mv /opt/srv6sh.new /opt/srv6sh

say "waiting for the router's configuration (at most $SRV6SH_CONFIG_WAIT s)"
SECONDS=0
until curl -fsS --connect-timeout 10 --max-time 60 -o "$tmp/boot.json" "$SRV6SH_CONFIG_URL"; do
  [ "$SECONDS" -lt "$SRV6SH_CONFIG_WAIT" ] || fail "no configuration after $SRV6SH_CONFIG_WAIT s (apply writes it)"
  sleep 10
done

id srv6sh >/dev/null 2>&1 || useradd --system --home-dir /var/lib/srv6sh --no-create-home \
  --shell /sbin/nologin srv6sh || fail "cannot add the user srv6sh"
install -d -m 0700 -o srv6sh -g srv6sh /var/lib/srv6sh /var/lib/srv6sh/state \
  && install -m 0600 -o srv6sh -g srv6sh "$tmp/boot.json" /var/lib/srv6sh/boot.json \
  || fail "cannot write /var/lib/srv6sh"
key=/var/lib/srv6sh/ssh_host_key
if [ ! -f "$key" ]; then
  ssh-keygen -q -t ecdsa -b 256 -N '' -C "srv6sh-router-$SRV6SH_ROUTER" -f "$key" \
    || fail "ssh-keygen could not make the router's host key"
fi
chown srv6sh:srv6sh "$key" "$key.pub" && chmod 0600 "$key"

# inside and transit belong to the data plane: named as on every backend, left alone by networkd
for n in inside transit; do
  if [ "$n" = inside ]; then mac=$SRV6SH_INSIDE_MAC; else mac=$SRV6SH_TRANSIT_MAC; fi
  printf '[Match]\nMACAddress=%s\n\n[Link]\nName=%s\n' "$mac" "$n" >"/etc/systemd/network/10-srv6sh-$n.link"
  printf '[Match]\nMACAddress=%s\n\n[Link]\nUnmanaged=yes\n' "$mac" >"/etc/systemd/network/10-srv6sh-$n.network"
done
networkctl reload || true

say "starting srv6sh-router.service"
systemctl daemon-reload && systemctl enable --now srv6sh-router.service \
  || fail "systemd could not start srv6sh-router.service (journalctl -u srv6sh-router)"
for ((i = 0; i < 180; i++)); do
  journalctl -u srv6sh-router -o cat --no-pager | grep -q 'ssh: listening on' && break
  sleep 1
done
[ "$i" -lt 180 ] || say "srv6sh router has not said it listens after 180 s (journalctl -u srv6sh-router)"
host_keys "$key.pub"
rm -f /etc/srv6sh/fetch.env
say "done"
