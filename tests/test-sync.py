#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sync client against the reference platform: exactly once through
every fault the platform can inject, in plain, token, strict and
string-id modes; captive portals and malformed answers never mark
anything sent; certificate and address refusals with a clear sentence;
statuses, quarantine and re-handling. TAP."""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sync_harness  # noqa: E402
from sync_harness import TAP, Platform, Terminal, exactly_once, request_list, tmpdir  # noqa: E402

N = int(os.environ.get("MINYIN_SYNC_N", "4"))
POST = {"path": "requests\\.json$", "method": "POST"}

# (name, fault, permanent): transient faults fire on the next two POSTs;
# permanent ones stay until the test switches them off.
FAULTS = [
    ("http500", dict(kind="http500", count=2, **POST)),
    ("http503 Retry-After", dict(kind="http503", count=2, retry_after=1, **POST)),
    ("http429 Retry-After", dict(kind="http429", count=1, retry_after=1)),
    ("error 502 html", dict(kind="error", status=502, body="html", count=2, **POST)),
    ("error 500 committed", dict(kind="error", status=500, body="json", commit=True, count=2, **POST)),
    ("hang", dict(kind="hang", count=1, hang_seconds=30, **POST)),
    ("slow committed", dict(kind="slow", count=1, interval=0.5, chunk=1, **POST)),
    ("drop", dict(kind="drop", count=2, **POST)),
    ("drop_after_commit", dict(kind="drop_after_commit", count=3, **POST)),
    ("short_body", dict(kind="short_body", count=2, **POST)),
    ("truncated", dict(kind="truncated", count=2, **POST)),
    ("captive", dict(kind="captive", count=2)),
    ("malformed", dict(kind="malformed", count=2, **POST)),
    ("wrong_shape", dict(kind="wrong_shape", count=2, **POST)),
    ("wrong_shape committed", dict(kind="wrong_shape", commit=True, count=2, **POST)),
    ("drop_after_commit on GET too", dict(kind="drop_after_commit", count=2, skip=1)),
]

PERMANENT = [
    ("captive (permanent, everywhere)", dict(kind="captive")),
    ("malformed (permanent)", dict(kind="malformed", **POST)),
    ("truncated (permanent, committed)", dict(kind="truncated", **POST)),
    ("drop_after_commit (permanent)", dict(kind="drop_after_commit", **POST)),
]


def nothing_sent(terminal):
    mine = request_list(terminal.requests())
    with_id = [r["case_code"] for r in mine if r.get("platform_id")]
    outbox = terminal.status().get("outbox", {})
    return not with_id and not outbox.get("sent"), "ids: %r outbox: %r" % (with_id, outbox)


def main():
    t = TAP()
    tmp = tmpdir()
    p = Platform(tmp)

    def scenario(name, config, fault, permanent=False, n=N, provision=()):
        p.reset(config)
        term = Terminal(tmp, "t-" + "".join(ch if ch.isalnum() else "-" for ch in name))
        term.provision(p, "--timeout", "3", *provision)
        r = term.run("catalogue", "refresh")
        if not t.ok(r.returncode == 0, "%s: catalogue refresh" % name, r.stderr):
            return
        term.file(n, name)
        if fault:
            p.fault(**fault)
        if permanent:
            first = term.sync()
            t.ok(first.returncode != 0, "%s: sync --once fails while the fault lasts" % name,
                 first.stdout + first.stderr)
            ok, detail = nothing_sent(term)
            t.ok(ok, "%s: nothing marked sent while the fault lasts" % name, detail)
            p.clear_faults()
        # A platform may take a moment to give a case number (token_delay):
        # leave it a quarter second between tries, or a fast machine spends
        # all twelve tries inside that moment.
        drained, last = term.sync_until_drained(between=lambda: time.sleep(0.25))
        t.ok(drained, "%s: sync --once drains the outbox" % name,
             last.stdout + last.stderr if last else None)
        ok, detail = exactly_once(p, term, n)
        t.ok(ok, "%s: the platform holds each request exactly once, same contents" % name, detail)
        p.clear_faults()

    scenario("no fault", None, None)
    for name, fault in FAULTS:
        scenario(name, None, fault)
    for name, fault in PERMANENT:
        scenario(name, None, fault, permanent=True)

    scenario("token mode + drop_after_commit", {"token_mode": True},
             dict(kind="drop_after_commit", count=2, **POST))
    scenario("token mode, delayed numbers", {"token_mode": True, "token_delay": 0.5}, None)
    scenario("strict + string ids from 0", {"strict": True, "ids": "string", "id_start": 0},
             dict(kind="drop_after_commit", count=2, **POST))
    scenario("numeric ids from 0, unknown ids as 500",
             {"ids": "numeric", "id_start": 0, "unknown_id": "500", "string_booleans": True,
              "float_noise": True},
             dict(kind="http500", count=1, **POST))

    scenario("jurisdiction required and provisioned",
             {"jurisdiction_id": "xihu", "jurisdiction_policy": "required"},
             dict(kind="drop", count=1, **POST), provision=("--jurisdiction", "xihu"))
    cases = p.cases()
    t.ok(cases and all(c.get("jurisdiction_id") == "xihu" for c in cases),
         "the provisioned jurisdiction_id travels with every request", cases[:1])
    p.reset({"jurisdiction_policy": "rejected"})
    term = Terminal(tmp, "t-no-jurisdiction")
    term.provision(p)
    term.run("catalogue", "refresh", check=True)
    term.file(2, "no-jurisdiction")
    drained, last = term.sync_until_drained()
    t.ok(drained and len(p.cases()) == 2,
         "without a provisioned jurisdiction none is sent (a platform that rejects it accepts)",
         last.stderr if last else None)

    # ---- statuses come back --------------------------------------------
    p.reset()
    term = Terminal(tmp, "t-status")
    term.provision(p)
    term.run("catalogue", "refresh", check=True)
    codes = term.file(3, "status")
    term.sync_until_drained()
    first = term.show(codes[0])
    pid = first["platform_id"] if "platform_id" in first else first["request"]["platform_id"]
    p.admin("POST", "/cases/%s/advance" % pid)
    s = term.sync()
    shown = term.show(codes[0])
    req = shown.get("request", shown)
    t.ok(s.returncode == 0 and req["status"] == "in_progress" and req.get("expected_at"),
         "an advanced case shows in progress with its expected date after a sync",
         "%s\n%s" % (s.stderr, req))
    p.admin("POST", "/cases/%s/status" % pid,
            {"status": "closed", "status_notes": "已办结：路灯已修复", "agency_responsible": "街道城管科"})
    term.sync()
    req = term.show(codes[0])
    events = req.get("events", [])
    req = req.get("request", req)
    t.ok(req["status"] == "closed" and req["status_notes"] == "已办结：路灯已修复"
         and req["agency"] == "街道城管科",
         "a closed case shows closed with the platform's notes and agency", req)
    t.ok(any(e.get("kind") == "status" for e in events),
         "the timeline has a status event", events)

    # ---- re-handling through servicerequestupdates ---------------------
    r = term.run("rehandle", codes[0], "--reason", "仍然不亮")
    s = term.sync()
    updates = [u for u in p.admin("GET", "/updates")["updates"] if u["origin"] == "client"]
    t.ok(r.returncode == 0 and s.returncode == 0 and len(updates) == 1
         and updates[0]["status"] == "REOPEN" and str(updates[0]["service_request_id"]) == str(pid),
         "a re-handling request reaches the platform once as REOPEN", "%s %s %r" % (r.stderr, s.stderr, updates))
    term.sync()
    req = term.show(codes[0])
    req = req.get("request", req)
    t.ok(req["status"] != "closed", "the reopened case is no longer closed on the terminal", req)

    p.admin("POST", "/config", {"updates": False})
    term.run("rehandle", codes[1])
    s = term.sync()
    outbox = term.status()["outbox"]
    t.ok(s.returncode != 0 and outbox.get("retry", 0) == 1 and "feedback" in s.stderr,
         "without servicerequestupdates the feedback stays queued, with the reason",
         "%s %r" % (s.stderr, outbox))

    # ---- quarantine ------------------------------------------------------
    p.reset({"api_keys": ["right-key"]})
    term = Terminal(tmp, "t-quarantine")
    term.provision(p, "--api-key", "wrong-key")
    term.run("catalogue", "refresh", check=True)
    term.file(2, "quarantine")
    s = term.sync()
    q = term.run("quarantine", "--json")
    import json
    listed = json.loads(q.stdout) if q.returncode == 0 else []
    t.ok(s.returncode != 0 and len(listed) == 2 and all(x["reason"] and "403" in x["reason"] for x in listed),
         "a 403 refusal quarantines with the server's reason", "%s\n%s" % (s.stderr, q.stdout))
    t.ok(not p.cases(), "nothing reached the platform")
    s = term.sync()
    t.ok(not p.cases() and term.status()["outbox"].get("quarantined") == 2,
         "quarantined messages are not retried by themselves", term.status()["outbox"])
    term.provision(p, "--api-key", "right-key")
    r = term.run("quarantine", "--retry-all")
    drained, last = term.sync_until_drained()
    ok, detail = exactly_once(p, term, 2)
    t.ok(r.returncode == 0 and drained and ok, "staff requeue them and they arrive once",
         detail + (last.stderr if last else ""))
    t.ok("api_key" not in term.run("status").stdout and "right-key" not in term.run("status").stdout
         and "right-key" not in open(os.path.join(term.dir, "platform.ini")).read(),
         "the API key is not shown and not in the settings file")
    mode = os.stat(os.path.join(term.dir, "platform-api-key")).st_mode & 0o777
    t.ok(mode == 0o600, "the API key file is readable by its owner only", oct(mode))

    # ---- certificates and addresses --------------------------------------
    p.reset()

    def refused(name, url, extra, needle):
        term = Terminal(tmp, "t-" + name)
        pr = term.provision(p, *extra, url=url)
        term.file(1, name) if pr.returncode == 0 else None
        s = term.sync()
        msg = s.stderr
        sent_ok, detail = nothing_sent(term)
        t.ok(s.returncode != 0 and needle in msg and sent_ok,
             "%s: refused with a clear sentence, nothing sent" % name, msg + detail)
        st = term.status()
        t.ok(needle in (st.get("sync", {}).get("last_error") or ""),
             "%s: minyin status shows the last error" % name, st.get("sync"))

    refused("expired", p.info["EXPIRED_URL"], [], "certificate has expired")
    refused("wrong-ca", p.info["WRONG_CA_URL"], [], "not signed by the provisioned authority")
    refused("wrong-host", p.info["WRONG_HOST_URL"], [], "another server name")
    refused("pin-mismatch", p.url, ["--pin-sha256", "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="],
            "pinned key")
    term = Terminal(tmp, "t-pin-ok")
    term.provision(p, "--pin-sha256", p.info["PIN"])
    term.file(1, "pin-ok", ["noise"])
    t.ok(term.sync().returncode == 0, "the right pin is accepted")

    term = Terminal(tmp, "t-http-remote")
    pr = term.run("provision", "--platform", "http://platform.example/open311/v2/")
    t.ok(pr.returncode != 0 and "https://" in pr.stderr,
         "provisioning http:// to a remote host is refused", pr.stderr)
    os.makedirs(term.dir, exist_ok=True)
    with open(os.path.join(term.dir, "platform.ini"), "w") as f:
        f.write("[platform]\nurl=http://192.0.2.1/open311/v2/\n")
    term.file(1, "http-remote", ["noise"])
    s = term.sync()
    ok, detail = nothing_sent(term)
    t.ok(s.returncode != 0 and "not encrypted" in s.stderr and ok,
         "a hand-edited http:// remote address is refused at sync", s.stderr)

    term = Terminal(tmp, "t-http-loopback")
    term.provision(p, url=p.info["PLAIN_URL"])
    term.run("catalogue", "refresh")
    term.file(2, "plain")
    s = term.sync()
    t.ok(s.returncode == 0 and "loopback" in s.stderr, "http:// to loopback works and says so",
         s.stderr)

    unprov = Terminal(tmp, "t-unprovisioned")
    unprov.file(1, "unprovisioned", ["noise"])
    s = unprov.sync()
    t.ok(s.returncode != 0 and "provision" in s.stderr, "an unprovisioned terminal says what to do",
         s.stderr)

    # libcurl is opened at the first connection, not linked: without it,
    # one sentence that says what to install, and nothing is lost.
    p.reset()
    term = Terminal(tmp, "t-no-libcurl")
    term.provision(p)
    term.run("catalogue", "refresh")
    term.file(2, "no-libcurl", ["noise"])
    sync_harness.ENV["MINYIN_CURL_LIBRARY"] = "libcurl-not-there.so.4"
    try:
        s = term.sync()
    finally:
        del sync_harness.ENV["MINYIN_CURL_LIBRARY"]
    ok, detail = nothing_sent(term)
    t.ok(s.returncode != 0 and "libcurl library is missing. Install the libcurl4 package" in s.stderr
         and ok, "without libcurl, sync says which package to install and sends nothing",
         "%s\n%s" % (s.stderr, detail))
    s = term.sync()
    ok, detail = exactly_once(p, term, 2)
    t.ok(s.returncode == 0 and ok, "with libcurl back, the same requests go once",
         "%s\n%s" % (s.stderr, detail))

    p.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
