#!/usr/bin/env bash
# A throwaway OpenSSH sshd on loopback for the SFTP tests (DESIGN.md §8): its own host key,
# a high port, StrictModes no, UsePAM no, internal-sftp, and a test user that logs in with a
# password or a key.
#   sshd.sh start   — starts it (idempotent) and writes $DIR/sftp.env for the tests
#   sshd.sh stop    — stops it and removes its data (the test user stays)
# Needs: apt-get install --no-install-recommends openssh-server; root (to create the user).
set -euo pipefail

DIR=${CLOUDOS_SERVICES_DIR:-/tmp/cloudos-services}/sshd
PORT=${CLOUDOS_SFTP_PORT:-12222}
USER_NAME=cloudos-sftp
PASSWORD=cloudos-sftp-test-password

log() { echo "sshd.sh: $*" >&2; }

stop() {
  if [ -f "$DIR/sshd.pid" ]; then kill "$(cat "$DIR/sshd.pid")" 2>/dev/null || true; fi
  rm -rf "$DIR"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

start() {
  if [ -f "$DIR/sftp.env" ] && listening; then
    log "already running on 127.0.0.1:$PORT"
    return 0
  fi
  stop
  mkdir -p "$DIR/home" /run/sshd
  if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/sh "$USER_NAME"
  fi
  echo "$USER_NAME:$PASSWORD" | chpasswd
  ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_ed25519_key"
  ssh-keygen -q -t ed25519 -N '' -C cloudos-test -f "$DIR/client_ed25519_key"
  cp "$DIR/client_ed25519_key.pub" "$DIR/authorized_keys"
  chmod 644 "$DIR/authorized_keys"
  local remote
  remote=$(getent passwd "$USER_NAME" | cut -d: -f6)/backups
  mkdir -p "$remote"
  chown "$USER_NAME:$USER_NAME" "$remote"
  cat > "$DIR/sshd_config" <<CONF
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/host_ed25519_key
PidFile $DIR/sshd.pid
StrictModes no
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $DIR/authorized_keys
AllowUsers $USER_NAME
Subsystem sftp internal-sftp
LogLevel INFO
CONF
  /usr/sbin/sshd -D -e -f "$DIR/sshd_config" 2>"$DIR/sshd.log" &
  echo $! > "$DIR/sshd.pid"
  for _ in $(seq 1 100); do
    if listening; then break; fi
    sleep 0.1
  done
  listening || { log "sshd did not start:"; cat "$DIR/sshd.log" >&2; return 1; }
  cat > "$DIR/sftp.env" <<ENV
SFTP_HOST=127.0.0.1
SFTP_PORT=$PORT
SFTP_USERNAME=$USER_NAME
SFTP_PASSWORD=$PASSWORD
SFTP_PRIVATE_KEY_FILE=$DIR/client_ed25519_key
SFTP_REMOTE_PATH=$remote
ENV
  log "ready on 127.0.0.1:$PORT (details in $DIR/sftp.env)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
