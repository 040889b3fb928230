#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `minyin --screenshot FILE` renders the start screen after its first frame
# into a PNG and quits with status 0; an unwritable path fails with a
# sentence and a non-zero status. TAP output.
set -u
exe=${MINYIN_EXE:?MINYIN_EXE must name the built minyin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MINYIN_DATA_DIR="$tmp/data"

echo "1..3"

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "ok 1 # SKIP no display; make check runs this under xvfb-run"
  echo "ok 2 # SKIP no display"
  echo "ok 3 # SKIP no display"
  exit 0
fi

if timeout 60 "$exe" --screenshot "$tmp/start.png" >"$tmp/out" 2>&1; then
  echo "ok 1 minyin --screenshot exits 0"
else
  echo "not ok 1 minyin --screenshot failed"
  sed 's/^/# /' "$tmp/out"
fi

# A PNG starts with these eight bytes, and a full-screen one is not tiny.
sig=$(od -An -tx1 -N8 "$tmp/start.png" 2>/dev/null | tr -d ' \n')
size=$(wc -c <"$tmp/start.png" 2>/dev/null || echo 0)
if [ "$sig" = "89504e470d0a1a0a" ] && [ "$size" -gt 10000 ]; then
  echo "ok 2 the screenshot is a PNG of $size bytes"
else
  echo "not ok 2 no PNG was written (signature '$sig', $size bytes)"
fi

if timeout 60 "$exe" --screenshot "$tmp/no/such/dir/x.png" >"$tmp/out" 2>&1; then
  echo "not ok 3 an unwritable screenshot path was not reported"
elif grep -q "no/such/dir" "$tmp/out"; then
  echo "ok 3 an unwritable path fails with a sentence naming it"
else
  echo "not ok 3 the failure did not name the path"
  sed 's/^/# /' "$tmp/out"
fi
