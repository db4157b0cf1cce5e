#!/usr/bin/env bash
# Refreshes the GraphiQL playground's vendored browser files from the npm registry.
# The versions are pinned here; bump them, run this script, then check the playground
# (tests/browser/run.sh) and update README.md in this folder.
set -euo pipefail

GRAPHIQL=4.1.2   # the last major release that ships a UMD bundle (5.x is ESM-only)
REACT=18.3.1     # React 19 ships no UMD builds; GraphiQL 4 accepts React 18

here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# unpack NAME VERSION: downloads NAME@VERSION with `npm pack` and unpacks it in $tmp/NAME.
unpack() {
  (cd "$tmp" && npm pack --silent "$1@$2" >/dev/null)
  mkdir -p "$tmp/$1"
  tar -xzf "$tmp/$1-$2.tgz" -C "$tmp/$1" --strip-components=1
}

unpack graphiql "$GRAPHIQL"
unpack react "$REACT"
unpack react-dom "$REACT"

cp "$tmp/graphiql/graphiql.min.js" "$tmp/graphiql/graphiql.min.css" "$here/"
cp "$tmp/graphiql/LICENSE" "$here/graphiql.LICENSE"
cp "$tmp/react/umd/react.production.min.js" "$here/"
cp "$tmp/react/LICENSE" "$here/react.LICENSE"
cp "$tmp/react-dom/umd/react-dom.production.min.js" "$here/"
cp "$tmp/react-dom/LICENSE" "$here/react-dom.LICENSE"

# index.html asks for the files with ?v=<version>; bump it so browsers drop their cached copies.
sed -i -E \
  -e "s#(graphiql\.min\.(js|css))\?v=[^\"]*#\1?v=$GRAPHIQL#" \
  -e "s#(react(-dom)?\.production\.min\.js)\?v=[^\"]*#\1?v=$REACT#" \
  "$here/index.html"

echo "vendored graphiql@$GRAPHIQL, react@$REACT, react-dom@$REACT into $here"
