#!/usr/bin/env bash
# Installs the system packages the tests need, from Debian, when they are missing:
# Chromium for the Playwright end-to-end tests. Idempotent; needs root (or sudo) for apt.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-test-deps: installing ${packages[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
