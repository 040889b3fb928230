#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the benchmarks (meson's "bench" suite) and shows what they print.
set -u
builddir=${1:-_build}
export LANG=zh_CN.UTF-8
xvfb-run -a dbus-run-session -- \
  meson test -C "$builddir" --no-rebuild --suite bench --num-processes 1 --verbose --timeout-multiplier 10
