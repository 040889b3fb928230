#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prepares a terminal for tests/test-staff-page.c: a reference platform of
its own (alive as long as process WATCH_PID), the terminal provisioned
against it in DATA_DIR, one staff member (number 7, PIN 246810), and one
request the platform refused with a permanent 400, so that it waits in
quarantine with the platform's reason. The fault is then removed, so that
"Try again" on the staff page can succeed. Prints ADMIN, REASON and CODE
lines for the test."""

import json
import os
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sync_harness import ENV, EXE, SRC  # noqa: E402

data_dir, watch_pid = sys.argv[1], sys.argv[2]
platform_dir = data_dir + "-platform"

out = subprocess.run(
    ["sh", os.path.join(SRC, "tests", "platform", "start-background.sh"), platform_dir,
     "--quiet", "--watch-pid", watch_pid, "--max-lifetime", "300"],
    check=True, capture_output=True, text=True).stdout
info = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
admin = info["ADMIN"].strip()


def call(method, path, body=None):
    req = urllib.request.Request(admin + path.lstrip("/"),
                                 data=json.dumps(body).encode() if body is not None else None,
                                 method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read()
        return json.loads(text) if text else None


def minyin(*args, stdin=None):
    p = subprocess.run([EXE] + list(args) + ["--data-dir", data_dir], env=ENV, input=stdin,
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0 and args[0] != "sync":
        sys.exit("minyin %s failed: %s%s" % (" ".join(args), p.stdout, p.stderr))
    return p


minyin("provision", "--platform", info["URL"].strip(), "--ca", info["CA"].strip(),
       "--station", "3309", "--terminal", "01")
minyin("catalogue", "refresh")
minyin("staff", "add", "--number", "7", "--name", "王芳", stdin="246810\n")
filed = json.loads(minyin("file", "-c", "sanitation", "-d", "3号楼楼道垃圾三天没人清",
                          "-a", "幸福小区3号楼", "--phone", "13800138000", "--name", "张三",
                          "--json").stdout)
call("POST", "/faults", {"kind": "error", "status": 400, "body": "open311",
                         "path": "requests\\.json$", "method": "POST"})
minyin("sync", "--once")
listed = json.loads(minyin("quarantine", "--json").stdout)
if len(listed) != 1 or not listed[0]["reason"]:
    sys.exit("the request did not reach quarantine: %r" % listed)
call("POST", "/faults/clear", {})
print("ADMIN %s" % admin)
print("CODE %s" % filed["case_code"])
print("REASON %s" % listed[0]["reason"].replace("\n", " "))
