#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`minyin staff add|list|disable`, `minyin audit [--verify]` and `minyin
export --quarantined`: the PIN comes on standard input and never lands in
the store as typed; mistakes are one sentence; the audit trail records the
administrator's steps and `audit --verify` names a row changed with sqlite3;
the export goes through the same code as the kiosk's (mode 0600, reason in,
contact out). The quarantined message is put there with sqlite3, as the
sync client would after a permanent refusal."""

import json
import os
import sqlite3
import stat
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mn_tap import Minyin, Result, Tap, one_sentence  # noqa: E402


def add(m, number, name, pin_input):
    proc = subprocess.run([m.exe, "staff", "add", "--number", number, "--name", name],
                          input=pin_input.encode(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=m.env, timeout=60)
    return Result(proc)


def body(t, m):
    db = os.path.join(m.data_dir, "minyin.db")

    r = add(m, "7", "王芳", "246810\n")
    t.ok(r.status == 0 and "7" in r.out, "staff add reads the PIN from standard input", r)
    r = add(m, "7", "Someone", "135790\n")
    t.ok(r.status == 1 and one_sentence(r) and "already" in r.err,
         "a number enrolled twice is refused in one sentence", r)
    r = add(m, "8", "Short", "1234\n")
    t.ok(r.status == 2 and one_sentence(r), "a PIN of four digits is refused", r)
    r = add(m, "8", "Nothing", "")
    t.ok(r.status == 2 and one_sentence(r), "no PIN on standard input is refused", r)
    r = m.run("staff", "add", "--number", "8", "--name", "X", "--pin", "123456")
    t.ok(r.status == 2 and one_sentence(r), "there is no --pin option to leak it into argv", r)
    r = add(m, "12", "Li Ming", "864200\n")
    t.ok(r.status == 0, "a second member of staff", r)

    with open(db, "rb") as f:
        raw = f.read()
    t.ok(b"246810" not in raw and b"864200" not in raw and b"$argon2id$" in raw,
         "the store holds Argon2id hashes, never the PINs")

    r = m.run("staff", "list", "--json")
    listed = json.loads(r.out) if r.status == 0 else []
    t.eq([(s["number"], s["name"], s["disabled"]) for s in listed],
         [("7", "王芳", False), ("12", "Li Ming", False)], "staff list --json")
    r = m.run("staff", "disable", "12")
    t.ok(r.status == 0, "staff disable", r)
    r = m.run("staff", "disable", "99")
    t.ok(r.status == 1 and one_sentence(r), "disabling an unknown number: one sentence", r)
    r = m.run("staff", "list")
    t.ok(r.status == 0 and "Li Ming" in r.out and "disabled" in r.out,
         "staff list shows the disabled account", r)
    r = m.run("staff")
    t.ok(r.status == 2 and one_sentence(r), "staff without a word says how to use it", r)

    # A message the platform refused, as the sync client leaves it.
    r = m.run("file", "-c", "sanitation", "-d", "楼道垃圾三天没人清", "-a", "幸福小区3号楼",
              "--phone", "13800138000", "--name", "张三", "--json")
    t.ok(r.status == 0, "a request is filed", r)
    code = json.loads(r.out)["case_code"] if r.status == 0 else ""
    reason = "The platform refused it (HTTP 400): service_code sanitation is closed."
    con = sqlite3.connect(db)
    con.execute("UPDATE outbox SET state = 'quarantined', attempts = 1, quarantine_reason = ?",
                (reason,))
    con.commit()
    con.close()

    out = os.path.join(m.data_dir, "refused.json")
    r = m.run("export", "--quarantined", "--out", out)
    t.ok(r.status == 0 and out in r.out, "export --quarantined --out FILE", r)
    mode = stat.S_IMODE(os.stat(out).st_mode) if os.path.exists(out) else None
    t.eq(mode, 0o600, "the export file is readable by its owner only")
    text = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
    data = json.loads(text) if text else {}
    msgs = data.get("messages", [])
    t.ok(len(msgs) == 1 and msgs[0]["reason"] == reason and msgs[0]["request"]["case_code"] == code
         and msgs[0]["request"]["description"] == "楼道垃圾三天没人清",
         "the file has the message, its reason and its content", text[:400])
    t.ok("13800138000" not in text and "张三" not in text,
         "the sealed contact stays on the terminal")
    r = m.run("export", "--quarantined", "--json")
    made = json.loads(r.out) if r.status == 0 else {}
    t.ok(made.get("messages") == 1 and made.get("file", "").startswith(
        os.path.join(m.data_dir, "exports")), "without --out it goes to DATA_DIR/exports", r)
    r = m.run("export")
    t.ok(r.status == 2 and one_sentence(r), "export without --quarantined says what exists", r)

    r = m.run("quarantine", "--retry-all")
    t.ok(r.status == 0, "quarantine --retry-all", r)
    r = m.run("export", "--quarantined")
    t.ok(r.status == 1 and one_sentence(r), "nothing left to export: one sentence", r)

    r = m.run("audit", "--json")
    rows = json.loads(r.out) if r.status == 0 else []
    actions = [x["action"] for x in rows]
    t.eq(actions, ["staff-add", "staff-add", "staff-disable", "export", "export", "retry"],
         "the audit trail has every step, in order")
    t.ok(all(x["actor"].startswith("cli:") for x in rows), "command-line steps are by cli:USER")
    r = m.run("audit", "--verify")
    t.ok(r.status == 0 and "intact" in r.out, "audit --verify: intact", r)

    con = sqlite3.connect(db)
    con.execute("UPDATE audit SET detail = 'staff 99' WHERE id = 2")
    con.commit()
    con.close()
    r = m.run("audit", "--verify")
    t.ok(r.status == 1 and one_sentence(r) and "row 2 " in r.err,
         "a row changed with sqlite3 is named by its id", r)
    r = m.run("audit", "--verify", "--json")
    v = json.loads(r.out) if r.out else {}
    t.ok(r.status == 1 and v.get("intact") is False and v.get("bad_rows") == [2],
         "audit --verify --json names it too", r)


m = Minyin()
try:
    sys.exit(Tap().run(lambda t: body(t, m)))
finally:
    m.cleanup()
