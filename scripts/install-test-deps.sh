#!/usr/bin/env bash
# Installs the system packages the tests need, from Debian, when they are missing: Chromium
# for the Playwright end-to-end tests, Ceph radosgw (S3) and OpenSSH sshd (SFTP) for the
# storage-driver tests (scripts/services/). Idempotent; needs root (or sudo) for apt.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ -x /usr/bin/radosgw ] || packages+=(radosgw)
[ -x /usr/bin/ceph-mon ] || packages+=(ceph-mon)
[ -x /usr/bin/ceph-osd ] || packages+=(ceph-osd)
[ -x /usr/bin/ceph ] || packages+=(ceph-common)
[ -x /usr/sbin/sshd ] || packages+=(openssh-server)
command -v curl >/dev/null || packages+=(curl)
command -v openssl >/dev/null || packages+=(openssl) # radosgw's HTTPS certificate

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-test-deps: installing ${packages[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
