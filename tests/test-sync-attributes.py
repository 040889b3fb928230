#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Answers to a category's extra questions (service definition
attributes), from `minyin file --attribute` to the reference platform:
checked against the cached definition, kept and shown, sent as
attribute[CODE] / attribute[CODE][] only when declared, and a lift
request without its required answer quarantined with the platform's
reason. TAP."""

import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sync_harness import TAP, Platform, Terminal, tmpdir  # noqa: E402


def main():
    t = TAP()
    tmp = tmpdir()
    p = Platform(tmp)
    p.reset({"strict": True})
    term = Terminal(tmp, "t-attrs")
    term.provision(p, "--timeout", "5")
    r = term.run("catalogue", "refresh")
    t.ok(r.returncode == 0, "catalogue refresh caches the definitions", r.stderr)

    base = ["file", "-d", "电梯停在三楼", "-a", "幸福小区3号楼", "--anonymous", "--json"]

    # ---- checked against the cached definition ----------------------------
    r = term.run(*base, "-c", "lift", "--attribute", "lift_trapped=maybe")
    t.ok(r.returncode != 0 and "yes" in r.stderr and "no" in r.stderr and "lift_trapped" in r.stderr,
         "a value outside the list is refused, naming the allowed values", r.stderr)
    r = term.run(*base, "-c", "lift", "--attribute", "floor=3", "--attribute", "lift_trapped=yes")
    t.ok(r.returncode != 0 and "floor" in r.stderr and "lift_trapped" in r.stderr,
         "an unknown question is refused, naming the questions asked", r.stderr)
    r = term.run(*base, "-c", "lift")
    t.ok(r.returncode != 0 and "lift_trapped" in r.stderr and r.stderr.count("\n") == 1,
         "a required question left out is refused in one sentence", r.stderr)
    r = term.run(*base, "-c", "lift", "--attribute", "urgency=immediate", "--attribute",
                 "lift_trapped=yes")
    t.ok(r.returncode != 0 and "urgency" in r.stderr,
         "a fact the terminal fills in itself cannot be given as an answer", r.stderr)
    t.ok(not term.requests() or not [x for x in term.requests()],
         "nothing was filed by the refused commands", term.requests())

    # ---- kept, shown ------------------------------------------------------
    r = term.run(*base, "-c", "lift", "--attribute", "lift_trapped=yes", "--attribute",
                 "building=3号楼2单元")
    ok = t.ok(r.returncode == 0, "a lift request with its answers is filed", r.stderr)
    lift = json.loads(r.stdout)["case_code"] if ok else None
    r = term.run(*base, "-c", "noise", "--attribute", "noise_source=shop", "--attribute",
                 "noise_source=square_dance", "--attribute", "noise_time=night")
    ok = t.ok(r.returncode == 0, "a noise request with two sources is filed", r.stderr)
    noise = json.loads(r.stdout)["case_code"] if ok else None
    r = term.run(*base, "-c", "noise", "--attribute", "noise_source=pets")
    ok = t.ok(r.returncode == 0, "a noise request with one source is filed", r.stderr)
    noise1 = json.loads(r.stdout)["case_code"] if ok else None
    if lift:
        shown = term.show(lift)
        t.ok(shown.get("attributes") == {"building": "3号楼2单元", "lift_trapped": "yes"},
             "show --json gives the answers", shown.get("attributes"))
        text = term.run("show", lift).stdout
        t.ok("有人被困" in text and "是否有人被困" in text,
             "show names the question and the chosen value", text)
    if noise1:
        t.ok(term.show(noise1).get("attributes") == {"noise_source": ["pets"]},
             "a multi-value answer stays a list even with one value",
             term.show(noise1).get("attributes"))

    # ---- free-form answers: number, datetime, text ---------------------------
    since = "2026-11-27T19:00:00+08:00"
    leak_base = base + ["-c", "leak", "--attribute", "leak_since=" + since]
    for bad, why in ((["--attribute", "leak_spots=21"], "a number above the declared range"),
                     (["--attribute", "leak_spots=2.5"], "a decimal for a whole-number question"),
                     (["--attribute", "leak_spots=1e1"], "a number in exponent form")):
        r = term.run(*leak_base, *bad)
        t.ok(r.returncode != 0 and "leak_spots" in r.stderr and "1" in r.stderr and "20" in r.stderr,
             "refused: " + why + ", saying the range", r.stderr)
    r = term.run(*base, "-c", "leak", "--attribute", "leak_since=2026-11-27T19:00:00",
                 "--attribute", "leak_spots=2")
    t.ok(r.returncode != 0 and "leak_since" in r.stderr and r.stderr.count("\n") == 1,
         "refused: a datetime without its offset", r.stderr)
    r = term.run(*leak_base, "--attribute", "leak_spots=2", "--attribute",
                 "leak_where=厨房\x1b[2J")
    t.ok(r.returncode != 0 and "leak_where" in r.stderr and "\x1b" not in r.stderr,
         "refused: control characters in a text answer, without echoing them", r.stderr)
    r = term.run(*leak_base, "--attribute", "leak_spots=2", "--attribute", "leak_where=" + "漏" * 31)
    t.ok(r.returncode != 0 and "30" in r.stderr, "refused: a text longer than its cap", r.stderr)
    r = term.run(*leak_base, "--attribute", "leak_spots=3", "--attribute", "leak_where=厨房水管")
    ok = t.ok(r.returncode == 0, "a leak request with a datetime, a number and a text is filed",
              r.stderr)
    leak = json.loads(r.stdout)["case_code"] if ok else None
    if leak:
        t.ok(term.show(leak).get("attributes") == {"leak_since": since, "leak_spots": "3",
                                                   "leak_where": "厨房水管"},
             "show --json gives the free-form answers as given", term.show(leak).get("attributes"))
        text = term.run("show", leak).stdout
        line = next((x for x in text.splitlines() if "什么时候开始漏水" in x), "")
        # In words, in the terminal's own zone (19:00 at +08:00 is 11:00 UTC).
        t.ok("2026" in line and "27" in line and since not in line and "T19" not in line,
             "show names the question and gives the date in words", text)

    # A lift request filed before the definition was known: the answer is
    # missing, so the strict platform refuses it.
    term2 = Terminal(tmp, "t-attrs-offline")
    term2.provision(p, "--timeout", "5")
    term2.run("catalogue", "refresh", check=True)
    # As on a terminal that got the catalogue but not yet the definitions.
    db = sqlite3.connect(os.path.join(term2.dir, "minyin.db"))
    with db:
        db.execute("DELETE FROM service_definitions")
    db.close()
    r = term2.run(*base, "-c", "lift")
    t.ok(r.returncode == 0, "offline (no definition cached) the lift request is kept as given",
         r.stderr)

    # ---- sent ---------------------------------------------------------------
    s = term.sync()
    t.ok(s.returncode == 0, "sync sends the answered requests", s.stdout + s.stderr)
    cases = p.cases()
    by_code = {}
    for c in p.cases():
        a = c.get("attributes") or {}
        by_code.setdefault(c["service_code"], []).append(a)
    lifts = by_code.get("lift", [])
    t.ok(len(lifts) == 1 and lifts[0].get("lift_trapped") == "yes"
         and lifts[0].get("building") == "3号楼2单元",
         "the lift case arrives with lift_trapped and building", lifts)
    noises = sorted(by_code.get("noise", []), key=lambda a: len(a.get("noise_source", [])))
    t.ok(len(noises) == 2 and noises[0].get("noise_source") == ["pets"]
         and sorted(noises[1].get("noise_source", [])) == ["shop", "square_dance"]
         and noises[1].get("noise_time") == "night",
         "multi-value answers arrive as attribute[CODE][] lists", noises)
    leaks = by_code.get("leak", [])
    t.ok(len(leaks) == 1 and leaks[0].get("leak_since") == since
         and leaks[0].get("leak_spots") == "3" and leaks[0].get("leak_where") == "厨房水管",
         "the leak case arrives with its datetime (offset intact), number and text", leaks)
    t.ok(len(cases) == 4, "four cases, once each", list(cases))

    s = term2.sync()
    q = term2.run("quarantine", "--json")
    listed = json.loads(q.stdout) if q.returncode == 0 else []
    t.ok(len(listed) == 1 and "lift_trapped" in (listed[0].get("reason") or ""),
         "a lift request without lift_trapped is quarantined with the platform's reason",
         "%s\n%s" % (s.stderr, q.stdout))
    t.ok(len(p.cases()) == 4, "and does not reach the platform")
    p.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
