#!/usr/bin/env bash
# Type-checks the TypeScript client example against ../../schema.graphql:
# installs the pinned tools, regenerates src/gql/ from the schema and the operations in src/,
# then runs tsc. Fails (non-zero) when the schema no longer fits the example.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund
npm run check
