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

# The bundled reference platform, so a newcomer sees requests arrive: it
# runs on loopback for as long as this shell (and then the terminal, which
# replaces it with exec) lives, and the build tree's data directory is
# pointed at it (again at every start: its port changes). A data
# directory of one's own that already has a platform is left alone;
# MINYIN_RUN_PLATFORM=0 skips all this.
rundata="$MINYIN_DATA_DIR"
if [ "${MINYIN_RUN_PLATFORM:-1}" = 1 ] &&
   { [ "$rundata" = "$(pwd)/$builddir/run-data" ] || [ ! -e "$rundata/platform.ini" ]; }; then
  here=$(cd "$(dirname "$0")" && pwd)
  if facts=$(sh "$here/platform/start-background.sh" "$(pwd)/$builddir/run-platform" --quiet \
               --watch-pid $$ --max-lifetime 86400 --progress-seconds 60); then
    url=$(echo "$facts" | sed -n 's/^URL //p')
    ca=$(echo "$facts" | sed -n 's/^CA //p')
    admin=$(echo "$facts" | sed -n 's/^ADMIN //p')
    "$exe" provision --data-dir "$rundata" --platform "$url" --ca "$ca" >/dev/null
    "$exe" catalogue refresh --data-dir "$rundata" >/dev/null || true
    echo "Local platform: $url"
    echo "  cases it holds:  curl -s ${admin}cases"
    echo "  terminal's data: $rundata ('$exe status --data-dir $rundata')"
  else
    echo "The local platform did not start (see $builddir/run-platform/platform.log); the terminal runs without it." >&2
  fi
fi

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$exe" "$@"
fi

shot="$(pwd)/$builddir/start-screen.png"
echo "There is no display here, so the terminal runs on a virtual one and saves a picture of its start screen instead."
xvfb-run -a -s "-screen 0 1920x1080x24 -dpi 96" \
  env GSK_RENDERER=cairo "$exe" --screenshot "$shot" "$@"
echo "Start screen: $shot"
