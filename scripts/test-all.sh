#!/usr/bin/env bash
# The whole test suite, as CI runs it: system test dependencies, typecheck, lint, unit and
# integration tests (Vitest), production build, end-to-end tests (Playwright in Debian's
# Chromium). Every step runs even if an earlier one failed, so one run shows everything;
# the last line is the summary, and the exit code is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export NEXT_TELEMETRY_DISABLED=1

rm -rf .test-output && mkdir -p .test-output
failed_steps=()

step() {
  local name=$1
  shift
  echo ""
  echo "=== $name"
  if ! "$@"; then
    failed_steps+=("$name")
    echo "=== $name FAILED"
  fi
}

step "system test dependencies" bash scripts/install-test-deps.sh
if [ ! -d node_modules ]; then
  step "npm ci" npm ci --no-audit --no-fund
fi
# Deadlines per step: CI gives the whole run 90 minutes, and a step that hangs (once, a test
# service that never came up) must fail on its own rather than take every result with it.
step "test services (radosgw)" timeout 10m bash scripts/services/radosgw.sh start
step "test services (sshd)" timeout 2m bash scripts/services/sshd.sh start
step "typecheck" timeout 10m npm run --silent typecheck
step "lint" timeout 5m npm run --silent lint
step "unit and integration tests" timeout --kill-after=1m 40m npx vitest run --reporter=default --reporter=json --outputFile=.test-output/unit.json
step "build" timeout 15m npx next build
step "end-to-end tests" timeout --kill-after=1m 20m npx playwright test

bash scripts/services/radosgw.sh stop >/dev/null 2>&1 || true
bash scripts/services/sshd.sh stop >/dev/null 2>&1 || true
node scripts/summarize-tests.mjs "${failed_steps[@]}"
