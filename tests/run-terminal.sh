#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `make run`: starts the terminal from the build tree. With a display it
# runs in the foreground; without one it says so, runs on a virtual display
# and writes a screenshot of the start screen, naming the file.
set -eu
builddir=${1:-_build}
[ $# -gt 0 ] && shift
exe="$builddir/minyin"

if [ ! -x "$exe" ]; then
  echo "There is no terminal program at $exe; run 'make' first." >&2
  exit 1
fi

# Schemas and catalogues from the build tree, so nothing needs installing.
GSETTINGS_SCHEMA_DIR="$(cd "$builddir/assets" && pwd)"
export GSETTINGS_SCHEMA_DIR
MINYIN_LOCALEDIR="$(cd "$builddir/po" && pwd)"
export MINYIN_LOCALEDIR
# A store of its own in the build directory, unless one is named: trying
# the terminal out must not mix with a real terminal's requests.
if [ -z "${MINYIN_DATA_DIR:-}" ]; then
  MINYIN_DATA_DIR="$(pwd)/$builddir/run-data"
  export MINYIN_DATA_DIR
fi
# Chinese unless the person chose a language (a bare C locale is no choice).
case "${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}" in
  ""|C|C.*|POSIX) export LANG=zh_CN.UTF-8 LC_ALL= ;;
esac

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$exe" "$@"
fi

shot="$(pwd)/$builddir/start-screen.png"
echo "There is no display here, so the terminal runs on a virtual one and saves a picture of its start screen instead."
xvfb-run -a -s "-screen 0 1920x1080x24 -dpi 96" \
  env GSK_RENDERER=cairo "$exe" --screenshot "$shot" "$@"
echo "Start screen: $shot"
