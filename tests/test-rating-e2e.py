#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rating at the terminal, end to end against the reference platform:
an unhappy rating of a closed case re-opens it on the terminal at once
and reaches the platform's servicerequestupdates.json exactly once (as
REOPEN, for the right case, with the update id the terminal made), even
with more syncs after it; a case re-handled and rated unhappy again goes
as an escalation; a satisfied rating goes as feedback. TAP."""

import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sync_harness import TAP, Platform, Terminal, tmpdir  # noqa: E402


def client_updates(p):
    return [u for u in p.admin("GET", "/updates")["updates"] if u["origin"] == "client"]


def outbox_updates(term):
    con = sqlite3.connect(os.path.join(term.dir, "minyin.db"), timeout=10)
    rows = con.execute("SELECT payload, state FROM outbox WHERE kind = 'update' ORDER BY id").fetchall()
    con.close()
    return [(json.loads(p), s) for p, s in rows]


def main():
    t = TAP()
    tmp = tmpdir()
    p = Platform(tmp)
    try:
        term = Terminal(tmp, "t-rate")
        term.provision(p)
        term.run("catalogue", "refresh", check=True)
        r = term.run("file", "-c", "road_light", "-d", "3号楼前的路灯坏了两天", "-a", "幸福小区3号楼",
                     "--phone", "13800138000", "--json", check=True)
        code = json.loads(r.stdout)["case_code"]
        drained, last = term.sync_until_drained()
        pid = term.show(code).get("platform_id") or term.show(code)["request"]["platform_id"]
        t.ok(drained and pid, "the request reaches the platform", last.stderr if last else None)

        def rate(*answers):
            return term.run("rate", code, "--phone-last4", "8000", *answers, "--json")

        # Not closed yet: refused, nothing queued.
        r = rate("--solved", "no", "--satisfaction", "unsatisfied", "--reason", "not-fixed")
        t.ok(r.returncode != 0 and not outbox_updates(term),
             "an open case cannot be rated", r.stderr)

        p.admin("POST", "/cases/%s/status" % pid,
                {"status": "closed", "status_notes": "已办结", "agency_responsible": "物业"})
        term.sync()
        r = rate("--solved", "no", "--satisfaction", "unsatisfied", "--reason", "not-fixed")
        view = json.loads(r.stdout) if r.returncode == 0 else {}
        t.ok(r.returncode == 0 and view.get("status") == "reopened" and view.get("round") == 2,
             "an unhappy rating re-opens the case on the terminal at once", r.stdout + r.stderr)

        # A second rating of the same round is refused.
        r = rate("--solved", "no", "--satisfaction", "unsatisfied", "--reason", "slow")
        t.ok(r.returncode != 0 and len(outbox_updates(term)) == 1,
             "one rating per round of handling", r.stderr)

        for _ in range(3):
            term.sync()
        ups = client_updates(p)
        queued = outbox_updates(term)
        t.ok(len(ups) == 1, "exactly one update reached the platform after three syncs", ups)
        t.ok(ups and ups[0]["status"] == "REOPEN"
             and str(ups[0]["service_request_id"]) == str(pid)
             and queued and ups[0]["update_id"] == queued[0][0]["update_id"]
             and queued[0][1] == "sent",
             "as REOPEN, for the right case, with the terminal's update id, marked sent",
             "%r %r" % (ups, queued))
        case = [c for c in p.cases() if str(c["service_request_id"]) == str(pid)][0]
        t.ok(case["status"] == "open", "the platform handles the case again", case)
        prog = json.loads(term.run("progress", code, "--phone-last4", "8000", "--json",
                                   check=True).stdout)
        t.ok(prog["status"] != "closed", "after the syncs the terminal does not show it closed",
             prog["status"])

        # Handled again, closed again, unhappy again: escalated.
        p.admin("POST", "/cases/%s/status" % pid, {"status": "closed", "status_notes": "再次办结"})
        term.sync()
        r = rate("--solved", "yes", "--satisfaction", "unsatisfied", "--reason", "attitude")
        view = json.loads(r.stdout) if r.returncode == 0 else {}
        t.ok(r.returncode == 0 and view.get("escalated") is True,
             "unhappy again after re-handling is escalated", r.stdout + r.stderr)
        term.sync()
        ups = client_updates(p)
        t.ok(len(ups) == 2 and ups[1]["status"] == "REOPEN"
             and outbox_updates(term)[1][0]["escalated"] is True
             and "Escalated" in (ups[1].get("description") or json.dumps(ups[1].get("params"))),
             "the escalation reaches the platform once, and says so", ups[1:])

        # Closed a third time, satisfied: feedback, status unchanged.
        p.admin("POST", "/cases/%s/status" % pid, {"status": "closed"})
        term.sync()
        r = rate("--solved", "yes", "--satisfaction", "satisfied")
        view = json.loads(r.stdout) if r.returncode == 0 else {}
        term.sync()
        ups = client_updates(p)
        t.ok(r.returncode == 0 and view.get("status") == "closed" and len(ups) == 3
             and ups[2]["status"] == "CLOSED",
             "a satisfied rating goes as feedback and leaves the case closed", ups[2:])
    finally:
        p.stop()
    return t.done()


sys.exit(main())
