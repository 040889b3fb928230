#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A full disk when saving: `minyin file` under RLIMIT_FSIZE just above the
size of the store's files, until a save fails. The failure must be a clean
exit with the "storage is full" sentence (no crash, nothing half-saved),
every earlier request must be intact, SQLite's integrity check must pass,
and once the limit is gone filing works again."""

import json
import os
import random
import resource
import signal
import sqlite3
import string
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mn_tap import Minyin, Tap, one_sentence  # noqa: E402


def args(i, rng):
    # Text that does not compress, so every request grows the files.
    words = " ".join("".join(rng.choice(string.ascii_letters) for _ in range(8))
                     for _ in range(300))
    return ["file", "--category", "noise", "--address", f"Building {i}", "--anonymous",
            "--description", f"Request {i}: {words}", "--json"]


def largest_file(data_dir):
    sizes = [os.path.getsize(os.path.join(root, f))
             for root, _dirs, files in os.walk(data_dir) for f in files]
    return max(sizes) if sizes else 0


def limited(limit):
    def preexec():
        # SIGXFSZ would kill the process; the point is to see what it does
        # when write() fails with EFBIG, as on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def integrity(path):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


def main(t):
    rng = random.Random(1128)
    m = Minyin()
    try:
        body(t, m, rng)
    finally:
        m.cleanup()


def body(t, m, rng):
    saved = {}
    for i in range(5):
        r = m.run(*args(i, rng))
        if not t.ok(r.status == 0, f"request {i} is filed without a limit", r):
            return
        saved[json.loads(r.out)["case_code"]] = json.loads(r.out)["description"]

    # A little room, then none: the limit stays while the files grow.
    limit = largest_file(m.data_dir) + 16 * 1024
    t.diag(f"RLIMIT_FSIZE = {limit} bytes")
    failure = None
    for i in range(5, 200):
        r = m.run(*args(i, rng), preexec_fn=limited(limit))
        if r.status == 0:
            filed = json.loads(r.out)
            saved[filed["case_code"]] = filed["description"]
            continue
        failure = r
        break

    if not t.ok(failure is not None, "a save fails once the files reach the limit"):
        return
    t.diag(f"{len(saved)} requests saved before the failure")
    t.ok(failure.status == 1, "it exits with status 1, not a crash", failure)
    t.ok(one_sentence(failure) and "storage is full" in failure.err,
         "with the ‘storage is full’ sentence", failure)

    # Reading needs no room: the terminal can still answer questions.
    r = m.run("list", "--json", preexec_fn=limited(limit))
    t.ok(r.status == 0, "list works while the storage is full", r)

    r = m.run("list", "--json")
    if t.ok(r.status == 0, "list works after the failure", r):
        listed = {x["case_code"]: x for x in json.loads(r.out)}
        t.eq(sorted(listed), sorted(saved), "exactly the saved requests are there")
    damaged = []
    for code, description in saved.items():
        s = m.run("show", code, "--json")
        if s.status != 0 or json.loads(s.out)["description"] != description:
            damaged.append(code)
    t.eq(damaged, [], "every earlier request is intact")

    r = m.run("status", "--json")
    if t.ok(r.status == 0, "status works after the failure", r):
        st = json.loads(r.out)
        t.eq(st["outbox_total"], len(saved), "no outbox message for the failed save")
        t.eq(integrity(st["store_path"]), [("ok",)], "PRAGMA integrity_check is ok")

    r = m.run(*args(999, rng))
    t.ok(r.status == 0, "without the limit filing works again", r)
    if r.status == 0:
        code = json.loads(r.out)["case_code"]
        s = m.run("show", code)
        t.ok(s.status == 0, "and the new request is kept", s)


if __name__ == "__main__":
    sys.exit(Tap().run(main))
