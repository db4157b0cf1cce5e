#!/usr/bin/env bash
# The GraphQL-over-HTTP audit against the debug build of crm (built if missing).
set -euo pipefail
cd "$(dirname "$0")"
[ -x ../../target/debug/crm ] || (cd ../.. && cargo build -p gateway)
npm ci --no-audit --no-fund >/dev/null
node audit.mjs ../../target/debug/crm
