#!/usr/bin/env bash
# The browser test (playground.test.js): GraphiQL with no network, and CORS, in Debian's
# Chromium. Installs what is missing, builds the binary, runs the test; exits non-zero on failure.
# CRM_BIN=<path> tests that binary instead of building one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The exact playwright-core of package-lock.json (it drives the system Chromium; it downloads
# no browser of its own).
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

if [ -z "${CRM_BIN:-}" ]; then
  cargo build -p gateway
fi

cd "$here"
# TAP output ends with `# pass N` and `# fail N`; node exits non-zero when a test failed.
exec node --test --test-reporter=tap playground.test.js
