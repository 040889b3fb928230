#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts the reference platform in the background with its state under
# DIR (certificates in DIR/certs, cases in DIR/platform.sqlite, log in
# DIR/platform.log), waits until it answers, and prints one fact a line:
#
#   URL https://127.0.0.1:PORT/open311/v2/
#   CA DIR/certs/ca.pem
#   ADMIN http://127.0.0.1:PORT/
#   PID 12345
#   EXPIRED_URL, WRONG_CA_URL, WRONG_HOST_URL, PLAIN_URL, PIN, DB
#
# Stop it with `kill PID` (or POST ADMIN/shutdown). Further arguments go to
# platform.py (e.g. --token-mode --strict --watch-pid $$ --max-lifetime 300).
# Ports are chosen free by default, so parallel tests never collide.
set -eu
dir=${1:?usage: start-background.sh DIR [platform.py options]}
shift
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=python3

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
sh "$here/make-ca.sh" "$dir/certs"
rm -f "$dir/info.json"

"$python" "$here/platform.py" --db "$dir/platform.sqlite" --certs "$dir/certs" \
  --info-file "$dir/info.json" "$@" </dev/null >"$dir/platform.log" 2>&1 &
pid=$!

# Wait for the info file, then for the admin API to answer (10 s at most).
"$python" - "$dir/info.json" "$pid" <<'PY' || { kill "$pid" 2>/dev/null; cat "$dir/platform.log" >&2; exit 1; }
import json, os, sys, time, urllib.request
path, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 10
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("start-background.sh: the platform exited during start-up; its log follows.")
    if os.path.exists(path):
        info = json.load(open(path))
        try:
            urllib.request.urlopen(info["admin"] + "health", timeout=2).read()
        except OSError:
            time.sleep(0.05)
            continue
        for key in ("url", "ca", "admin", "pid", "expired_url", "wrong_ca_url",
                    "wrong_host_url", "plain_url", "pin", "db"):
            print("%s %s" % (key.upper(), info[key]))
        sys.exit(0)
    time.sleep(0.05)
sys.exit("start-background.sh: the platform did not answer within 10 seconds; its log follows.")
PY
