# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared pieces of the sync tests: a reference platform of one's own,
terminals with their own data directories, and the exactly-once check."""

import json
import os
import subprocess
import sys
import tempfile
import urllib.request

SRC = os.environ.get("MINYIN_SOURCE_ROOT",
                     os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXE = os.environ.get("MINYIN_EXE", os.path.join(SRC, "_build", "minyin"))

# Categories whose definitions differ in what they declare (see
# tests/platform/README.md): client_uuid + urgency, urgency only,
# client_uuid + case_code, nothing at all.
CATEGORIES = ["sanitation", "noise", "illegal_build", "road_light", "parking", "other"]

# English messages, so tests can match sentences.
ENV = dict(os.environ, LC_ALL="en_US.UTF-8", LANGUAGE="en", LANG="en_US.UTF-8")
ENV.pop("MINYIN_DATA_DIR", None)


class TAP:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=None):
        self.n += 1
        if cond:
            print("ok %d %s" % (self.n, what))
        else:
            self.failed += 1
            print("not ok %d %s" % (self.n, what))
            if detail is not None:
                for line in str(detail).splitlines()[:40]:
                    print("# " + line)
        sys.stdout.flush()
        return cond

    def diag(self, text):
        for line in str(text).splitlines():
            print("# " + line)
        sys.stdout.flush()

    def done(self):
        print("1..%d" % self.n)
        sys.stdout.flush()
        return 1 if self.failed else 0


class Platform:
    def __init__(self, tmp, *args):
        self.dir = os.path.join(tmp, "platform")
        out = subprocess.run(
            ["sh", os.path.join(SRC, "tests", "platform", "start-background.sh"), self.dir,
             "--quiet", "--watch-pid", str(os.getpid()), "--max-lifetime", "600"] + list(args),
            check=True, capture_output=True, text=True).stdout
        self.info = {}
        for line in out.splitlines():
            key, _, value = line.partition(" ")
            self.info[key] = value.strip()
        self.url = self.info["URL"]
        self.ca = self.info["CA"]
        self.admin_url = self.info["ADMIN"]
        self.pid = int(self.info["PID"])

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.admin_url + path.lstrip("/"), data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read()
            return json.loads(text) if text else None

    def reset(self, config=None):
        self.admin("POST", "/reset", {"config": True})
        if config:
            self.admin("POST", "/config", config)

    def fault(self, **fault):
        return self.admin("POST", "/faults", fault)

    def clear_faults(self):
        self.admin("POST", "/faults/clear", {})

    def cases(self):
        return self.admin("GET", "/cases")["cases"]

    def stop(self):
        try:
            os.kill(self.pid, 15)
        except ProcessLookupError:
            pass


class Terminal:
    def __init__(self, tmp, name):
        self.dir = os.path.join(tmp, name)

    def run(self, *args, check=False, timeout=120):
        p = subprocess.run([EXE] + list(args) + ["--data-dir", self.dir], env=ENV,
                           capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError("minyin %s failed (%d): %s%s" % (" ".join(args), p.returncode,
                                                                p.stdout, p.stderr))
        return p

    def provision(self, platform, *extra, url=None):
        return self.run("provision", "--platform", url or platform.url, "--ca", platform.ca,
                        "--station", "3309", "--terminal", "01", *extra)

    def file(self, n, tag, categories=CATEGORIES):
        codes = []
        for i in range(n):
            cat = categories[i % len(categories)]
            desc = "%s #%d: 楼道灯坏了 & water=leak +1%% 🙂 %s" % (tag, i, cat)
            args = ["file", "-c", cat, "-d", desc, "-a", "幸福小区%d号楼" % (i % 9 + 1), "--json"]
            if i % 3 == 0:
                args += ["--phone", "1380013%04d" % i, "--name", "王芳"]
            else:
                args += ["--anonymous"]
            if i % 4 == 1:
                args += ["--urgency", "same_day"]
            p = self.run(*args, check=True)
            codes.append(json.loads(p.stdout)["case_code"])
        return codes

    def sync(self):
        return self.run("sync", "--once", "--json")

    def sync_until_drained(self, tries=12, between=None):
        last = None
        for _ in range(tries):
            last = self.sync()
            if last.returncode == 0:
                return True, last
            if between:
                between()
        return False, last

    def requests(self):
        return json.loads(self.run("list", "--json", check=True).stdout)

    def show(self, code):
        return json.loads(self.run("show", code, "--json", check=True).stdout)

    def status(self):
        return json.loads(self.run("status", "--json", check=True).stdout)


def request_list(data):
    """`list --json` gives a list, or an object holding one."""
    if isinstance(data, dict):
        for key in ("requests", "items"):
            if key in data:
                return data[key]
    return data


def exactly_once(platform, terminal, expect_n):
    """Returns (ok, detail): the platform holds exactly the terminal's
    requests, once each, with the same contents, and the terminal holds
    their platform ids."""
    cases = platform.cases()
    mine = request_list(terminal.requests())
    problems = []
    if len(cases) != expect_n:
        problems.append("platform holds %d cases, expected %d" % (len(cases), expect_n))
    if len(mine) != expect_n:
        problems.append("terminal holds %d requests, expected %d" % (len(mine), expect_n))
    by_id = {}
    for c in cases:
        key = str(c["service_request_id"])
        if key in by_id:
            problems.append("platform id %s twice" % key)
        by_id[key] = c
    descs = [c["description"] for c in cases]
    for r in mine:
        pid = r.get("platform_id")
        if pid is None:
            problems.append("%s has no platform id" % r["case_code"])
            continue
        c = by_id.get(str(pid))
        if c is None:
            problems.append("%s: platform id %s not on the platform" % (r["case_code"], pid))
            continue
        if c["description"] != r["description"]:
            problems.append("%s: description differs" % r["case_code"])
        if c["service_code"] != r["service_code"]:
            problems.append("%s: service_code differs" % r["case_code"])
        attrs = c.get("attributes") or {}
        if "client_uuid" in attrs and attrs["client_uuid"] != r.get("uuid"):
            problems.append("%s: client_uuid differs" % r["case_code"])
        if "case_code" in attrs and attrs["case_code"].replace("-", "") != r["case_code"].replace("-", ""):
            problems.append("%s: case_code attribute %s" % (r["case_code"], attrs["case_code"]))
        if descs.count(r["description"]) != 1:
            problems.append("%s: description found %d times" % (r["case_code"],
                                                                descs.count(r["description"])))
    st = terminal.status()
    outbox = st.get("outbox", {})
    unsent = {k: v for k, v in outbox.items() if k != "sent" and v}
    if unsent:
        problems.append("outbox not drained: %r" % unsent)
    return not problems, "\n".join(problems[:20])


def tmpdir():
    return tempfile.mkdtemp(prefix="minyin-sync-")
