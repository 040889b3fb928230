#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A rating survives a SIGKILL at any moment, and is never half saved.

Files closed cases, then runs `minyin rate … --solved no` on each and kills
it with SIGKILL after a random delay spread over the time before and
around its commit. Afterwards every case must be in exactly one of two
states: untouched (closed, no rating, no update message) or fully rated
(one rating, one queued "update" message with status REOPEN, status
"reopened", round 2, "rated" and "reopened" events). A run that printed
its thanks must have left the second state. MINYIN_KILL_SEED repeats a
run's random draws."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mn_tap import Minyin, Tap  # noqa: E402

ROUNDS = int(os.environ.get("MINYIN_RATE_KILL_ROUNDS", "30"))


def main(tap):
    seed = int(os.environ.get("MINYIN_KILL_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    tap.diag(f"seed {seed}")
    m = Minyin()
    try:
        codes = []
        for i in range(ROUNDS):
            r = m.run("file", "--category", "lifts", "--phone", "13800138000",
                      "--address", f"Building {i}",
                      "--description", f"Lift {i} stopped", "--json")
            if not tap.ok(r.status == 0, f"filing case {i}", r):
                return
            codes.append(json.loads(r.out)["case_code"])
        db = os.path.join(m.data_dir, "minyin.db")
        con = sqlite3.connect(db, timeout=10)
        con.execute("UPDATE requests SET status = 'closed'")
        con.commit()
        con.close()

        # How long one rating takes up to its answer (the answer floor of
        # 0.6 s comes after the commit); kills are spread over its start.
        t0 = time.monotonic()
        r = m.run("rate", codes[0], "--phone-last4", "8000", "--solved", "no",
                  "--satisfaction", "unsatisfied", "--reason", "not-fixed")
        whole = time.monotonic() - t0
        tap.ok(r.status == 0 and "re-opened" in r.out, "a rating run to its end", r)
        thanked = {codes[0]}
        spread = max(0.02, whole - 0.55)
        tap.diag(f"one rating took {whole:.3f} s; kills within {spread:.3f} s")

        killed = 0
        for code in codes[1:]:
            delay = rng.uniform(0, spread)
            proc = subprocess.Popen(
                [m.exe, "rate", code, "--phone-last4", "8000", "--solved", "no",
                 "--satisfaction", "unsatisfied", "--reason", "not-fixed"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                env=m.env)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            out, _ = proc.communicate(timeout=60)
            if b"Thank you" in out:
                thanked.add(code)
        tap.diag(f"{killed} of {len(codes) - 1} runs killed")
        tap.ok(killed > 0, "some runs were killed")

        con = sqlite3.connect(db, timeout=10)
        whole_states = 0
        for code in codes:
            (rid, status, rnd) = con.execute(
                "SELECT id, status, handling_round FROM requests WHERE case_code = ?",
                (code,)).fetchone()
            ratings = con.execute("SELECT count(*) FROM ratings WHERE request_id = ?",
                                  (rid,)).fetchone()[0]
            updates = con.execute("SELECT payload FROM outbox WHERE request_id = ? AND "
                                  "kind = 'update'", (rid,)).fetchall()
            kinds = [k for (k,) in con.execute(
                "SELECT kind FROM events WHERE request_id = ? ORDER BY id", (rid,))]
            untouched = (status == "closed" and rnd == 1 and ratings == 0 and not updates
                         and "rated" not in kinds)
            rated = (status == "reopened" and rnd == 2 and ratings == 1 and len(updates) == 1
                     and json.loads(updates[0][0])["status"] == "REOPEN"
                     and kinds.count("rated") == 1 and kinds.count("reopened") == 1)
            if not tap.ok(untouched or rated, f"case {code} is untouched or fully rated",
                          f"status={status} round={rnd} ratings={ratings} "
                          f"updates={len(updates)} events={kinds}"):
                continue
            if code in thanked:
                tap.ok(rated, f"case {code}, thanked, is rated")
            whole_states += rated
        tap.diag(f"{whole_states} of {len(codes)} rated, the rest untouched")
        tap.eq(con.execute("PRAGMA integrity_check").fetchone()[0], "ok", "integrity check")
        con.close()
    finally:
        m.cleanup()


sys.exit(Tap().run(main))
