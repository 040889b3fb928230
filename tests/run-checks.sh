#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs every test headless (a virtual X display and a private D-Bus
# session, in that order) and ends with one line: "N passed, N failed".
set -u
builddir=${1:-_build}
# The rest of the arguments go to meson test (test names, --suite ...).
[ $# -gt 0 ] && shift
# A log from an earlier run must never be counted as this run's result.
rm -f "$builddir/meson-logs/testlog.json"

# Han glyphs need a Chinese locale; the tests pick their own languages
# where they care, this is only the default.
export LANG=zh_CN.UTF-8
export LC_ALL=
export NO_AT_BRIDGE=0

xvfb-run -a -s "-screen 0 1920x1080x24 -dpi 96" dbus-run-session -- \
  meson test -C "$builddir" --no-rebuild --print-errorlogs --num-processes 2 \
  --no-suite bench "$@"
status=$?

python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line).get("result", "")
            if r in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif r == "SKIP":
                skipped += 1
            else:
                failed += 1
except FileNotFoundError:
    pass
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY
summary=$?
[ "$status" -eq 0 ] && [ "$summary" -eq 0 ]
