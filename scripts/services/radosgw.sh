#!/usr/bin/env bash
# A throwaway Ceph radosgw on loopback for the S3 tests (DESIGN.md §8): one monitor, one
# memstore OSD, no manager, auth none, v1 messenger, pool size 1, beast frontend.
#   radosgw.sh start   — starts it (idempotent) and writes $DIR/s3.env for the tests
#   radosgw.sh user NAME — creates (idempotent) another S3 user and prints its keys as
#                        S3_ACCESS_KEY_ID=… / S3_SECRET_ACCESS_KEY=… lines (for access tests)
#   radosgw.sh gc      — frees the space of deleted and overwritten objects now (radosgw
#                        otherwise waits two hours; the memstore OSD holds only 8 GiB, and
#                        a full OSD blocks every write)
#   radosgw.sh stop    — stops it and removes its data
# Needs: apt-get install --no-install-recommends radosgw ceph-mon ceph-osd ceph-common
set -euo pipefail

DIR=${CLOUDOS_SERVICES_DIR:-/tmp/cloudos-services}/radosgw
MON_PORT=${CLOUDOS_CEPH_MON_PORT:-16789}
RGW_PORT=${CLOUDOS_S3_PORT:-17480}
RGW_TLS_PORT=${CLOUDOS_S3_TLS_PORT:-17443}
ACCESS_KEY=cloudostestaccesskey
SECRET_KEY=cloudostestsecretkey0123456789
CONF=$DIR/ceph.conf

log() { echo "radosgw.sh: $*" >&2; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Every daemon of ours runs with "-c $CONF": kill them by that, not only by pid files (a
# failed start may not have written one), and wait until the ports are free again — a
# surviving monitor would answer the next cluster's OSD with the wrong fsid.
stop() {
  pkill -f -- "-c $CONF" 2>/dev/null || true
  for _ in $(seq 1 50); do
    pgrep -f -- "-c $CONF" >/dev/null || break
    sleep 0.1
  done
  pkill -9 -f -- "-c $CONF" 2>/dev/null || true
  for _ in $(seq 1 100); do
    port_in_use "$MON_PORT" || port_in_use "$RGW_PORT" || port_in_use "$RGW_TLS_PORT" || break
    sleep 0.1
  done
  rm -rf "$DIR"
}

wait_for() { # what, seconds, command...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 10))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  log "timed out waiting for $what; logs in $DIR/log"
  tail -n 20 "$DIR"/log/*.log >&2 || true
  return 1
}

start() {
  # Test files and engineers start it in parallel: without a lock, two starts from scratch kill
  # each other's daemons (an OSD then meets the other cluster's monitor: "wrong fsid"). The
  # lock lives beside $DIR, which stop removes.
  mkdir -p "$(dirname "$DIR")"
  exec 9>"$DIR.lock"
  flock 9
  if grep -qs S3_TLS_ENDPOINT "$DIR/s3.env" && curl -fsS -o /dev/null "http://127.0.0.1:$RGW_PORT/"; then
    log "already running on 127.0.0.1:$RGW_PORT"
    return 0
  fi
  # Retries from scratch: a cold start on a loaded machine occasionally trips (once, an OSD
  # failed its first monitor command with "wrong fsid"). Each attempt is a child process so
  # that `set -e` holds inside it: in a function called from an `if`, bash ignores it, and a
  # failed step then ran on into a radosgw-admin call that waited forever.
  local attempt
  for attempt in 1 2 3; do
    if bash "$0" __bring-up; then return 0; fi
    log "start attempt $attempt failed"
  done
  stop
  return 1
}

# Every cluster command has a deadline: without a working OSD, ceph and radosgw-admin wait
# forever.
ceph_() { timeout 60 ceph -c "$CONF" --connect-timeout 10 "$@"; }
rgw_admin() { timeout 60 radosgw-admin -c "$CONF" "$@"; }

bring_up() {
  stop
  for port in "$MON_PORT" "$RGW_PORT" "$RGW_TLS_PORT"; do
    if port_in_use "$port"; then
      log "port $port is in use by another process; set CLOUDOS_CEPH_MON_PORT / CLOUDOS_S3_PORT / CLOUDOS_S3_TLS_PORT"
      return 1
    fi
  done
  mkdir -p "$DIR"/{run,log,mon/ceph-a,osd/ceph-0,rgw,tls}
  # HTTPS as well, as every cloud S3 is: a self-signed certificate for 127.0.0.1, which
  # clients trust through S3_TLS_CA (Node: NODE_EXTRA_CA_CERTS).
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>/dev/null
  local fsid
  fsid=$(cat /proc/sys/kernel/random/uuid)
  cat > "$CONF" <<CONF
[global]
fsid = $fsid
mon initial members = a
mon host = v1:127.0.0.1:$MON_PORT
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon data avail crit = 0
mon data avail warn = 0
mon warn on pool no redundancy = false
# The OSD's own crush updates at start are monitor commands that can fail and abort its start;
# this script places it in the crush map itself.
osd crush update on start = false
osd class update on start = false
osd objectstore = memstore
memstore device bytes = 8589934592
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
mon data = $DIR/mon/ceph-\$id
osd data = $DIR/osd/ceph-\$id
keyring = $DIR/keyring

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT ssl_endpoint=127.0.0.1:$RGW_TLS_PORT ssl_certificate=$DIR/tls/cert.pem ssl_private_key=$DIR/tls/key.pem
rgw data = $DIR/rgw
rgw dns name = 127.0.0.1
CONF
  ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --add a "v1:127.0.0.1:$MON_PORT" --fsid "$fsid" "$DIR/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring"
  ceph-mon -c "$CONF" -i a 9>&- # daemons must not keep the start lock
  wait_for "the monitor" 30 timeout 10 ceph -c "$CONF" --connect-timeout 2 mon stat

  local osd_uuid osd_id
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  osd_id=$(ceph_ osd new "$osd_uuid")
  timeout 60 ceph-osd -c "$CONF" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" 2>"$DIR/log/osd-mkfs.log"
  ceph_ osd crush add-bucket localhost host >/dev/null
  ceph_ osd crush move localhost root=default >/dev/null
  ceph_ osd crush add "osd.$osd_id" 1.0 host=localhost >/dev/null
  ceph-osd -c "$CONF" -i "$osd_id" 9>&-
  wait_for "the OSD" 60 sh -c "timeout 10 ceph -c '$CONF' --connect-timeout 2 osd stat | grep -q '1 up'"

  for pool in .rgw.root default.rgw.control default.rgw.meta default.rgw.log default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec; do
    ceph_ osd pool create "$pool" 8 8 >/dev/null 2>&1
    ceph_ osd pool application enable "$pool" rgw >/dev/null 2>&1
  done
  radosgw -c "$CONF" -n client.rgw.a 9>&-
  wait_for "radosgw" 60 curl -fsS -o /dev/null "http://127.0.0.1:$RGW_PORT/"
  wait_for "radosgw over HTTPS" 30 curl -fsS --cacert "$DIR/tls/cert.pem" -o /dev/null "https://127.0.0.1:$RGW_TLS_PORT/"
  rgw_admin user create --uid=cloudos-test --display-name="Cloud OS tests" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null
  cat > "$DIR/s3.env" <<ENV
S3_ENDPOINT=http://127.0.0.1:$RGW_PORT
S3_REGION=us-east-1
S3_ACCESS_KEY_ID=$ACCESS_KEY
S3_SECRET_ACCESS_KEY=$SECRET_KEY
S3_TLS_ENDPOINT=https://127.0.0.1:$RGW_TLS_PORT
S3_TLS_CA=$DIR/tls/cert.pem
ENV
  log "ready on http://127.0.0.1:$RGW_PORT and https://127.0.0.1:$RGW_TLS_PORT (credentials in $DIR/s3.env)"
}

# Keys are derived from the name, so asking again for the same user prints the same keys.
user() {
  local name=$1
  [[ $name =~ ^[a-z0-9-]{3,32}$ ]] || { log "user name: 3-32 of a-z, 0-9, -"; return 2; }
  local access secret
  access=$(printf '%s' "cloudos-$name" | sha256sum | cut -c1-20 | tr a-f A-F)
  secret=$(printf '%s' "cloudos-secret-$name" | sha256sum | cut -c1-40)
  # A concurrent caller may create it between our check and our create: check again.
  rgw_admin user info --uid="$name" >/dev/null 2>&1 ||
    rgw_admin user create --uid="$name" --display-name="Cloud OS tests ($name)" \
      --access-key="$access" --secret-key="$secret" >/dev/null ||
    rgw_admin user info --uid="$name" >/dev/null
  printf 'S3_ACCESS_KEY_ID=%s\nS3_SECRET_ACCESS_KEY=%s\n' "$access" "$secret"
}

case "${1:-}" in
  start) start ;;
  __bring-up) bring_up ;;
  stop) stop ;;
  user) user "${2:-}" ;;
  gc) rgw_admin gc process --include-all ;;
  *) echo "usage: $0 start|stop|user NAME|gc" >&2; exit 2 ;;
esac
