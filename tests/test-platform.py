#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the reference platform itself (TAP), over real HTTPS with the
test CA made for this run. The terminal's client is not involved: these
prove the platform serves the profile and injects each fault as its
README says, so that client tests can rely on it."""

import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
START = os.path.join(HERE, "platform", "start-background.sh")

results = []
info = {}


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(a, b, what):
    if a != b:
        raise AssertionError("%s: expected %r, got %r" % (what, b, a))


# ------------------------------------------------------------------ clients

def ctx():
    return ssl.create_default_context(cafile=info["CA"])


def call(method, rel, query=None, form=None, headers=None, timeout=5, base=None, raw_body=None):
    """One request on a fresh connection; returns (status, headers, body)."""
    u = urllib.parse.urlsplit(base or info["URL"])
    if u.scheme == "https":
        conn = http.client.HTTPSConnection(u.hostname, u.port, context=ctx(), timeout=timeout)
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    path = u.path + rel
    if query:
        path += "?" + urllib.parse.urlencode(query)
    h = dict(headers or {})
    body = raw_body
    if form is not None:
        body = urllib.parse.urlencode(form).encode("utf-8")
        h.setdefault("Content-Type", "application/x-www-form-urlencoded")
    try:
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        conn.close()


def jcall(*a, **k):
    status, headers, body = call(*a, **k)
    return status, headers, json.loads(body) if body else None


def admin(method, path, obj=None):
    u = urllib.parse.urlsplit(info["ADMIN"])
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
    body = json.dumps(obj).encode() if obj is not None else None
    try:
        conn.request(method, "/" + path.lstrip("/"), body=body,
                     headers={"Content-Type": "application/json"} if body else {})
        r = conn.getresponse()
        data = json.loads(r.read())
        if r.status >= 300:
            raise AssertionError("admin %s %s answered %d: %r" % (method, path, r.status, data))
        return data
    finally:
        conn.close()


def cases():
    return admin("GET", "cases")


def create(extra=None, key=None, code="noise", **kw):
    form = {"service_code": code, "lat": "39.9042", "long": "116.4074",
            "description": "楼上夜间装修，电钻声很大"}
    form.update(extra or {})
    headers = {"Idempotency-Key": key} if key else {}
    return jcall("POST", "requests.json", form=form, headers=headers, **kw)


def is_open311_error(body, status):
    return (isinstance(body, list) and len(body) == 1 and body[0].get("code") == status
            and isinstance(body[0].get("description"), str) and body[0]["description"])


def fresh(config=None):
    admin("POST", "reset", {"config": True})
    if config:
        admin("POST", "config", config)


# -------------------------------------------------------------------- tests

def test_catalogue_and_etag():
    fresh()
    status, h, services = jcall("GET", "services.json")
    eq(status, 200, "services.json status")
    check(h["Content-Type"].startswith("application/json"), "JSON content type")
    codes = [s["service_code"] for s in services]
    for c in ("lift", "water_power", "heating", "gas", "sanitation", "noise", "property",
              "road_light", "parking", "illegal_build", "neighbour", "safety", "elderly", "other"):
        check(c in codes, "catalogue has %s" % c)
    for s in services:
        for k in ("service_code", "service_name", "description", "metadata", "type", "keywords", "group"):
            check(k in s, "%s has %s" % (s["service_code"], k))
    eq(next(s for s in services if s["service_code"] == "lift")["service_name"], "电梯故障", "Chinese name")
    etag, lm = h["ETag"], h["Last-Modified"]
    check(etag and lm, "ETag and Last-Modified present")
    status, h2, body = call("GET", "services.json", headers={"If-None-Match": etag})
    eq(status, 304, "If-None-Match answer")
    eq(body, b"", "304 has no body")
    eq(call("GET", "services.json", headers={"If-Modified-Since": lm})[0], 304, "If-Modified-Since")
    eq(call("GET", "services.json", headers={"If-None-Match": 'W/"other"'})[0], 200, "stale ETag")
    # A changed catalogue gets a new ETag, so a conditional refresh sees it.
    admin("POST", "catalogue", {"services": services[:3]})
    status, h3, body = jcall("GET", "services.json", headers={"If-None-Match": etag})
    eq(status, 200, "after a catalogue change")
    eq(len(body), 3, "changed catalogue served")
    check(h3["ETag"] != etag, "new ETag")
    # gzip when asked for
    status, h4, raw = call("GET", "services.json", headers={"Accept-Encoding": "gzip"})
    eq(h4.get("Content-Encoding"), "gzip", "compressed answer")


def test_definitions():
    fresh()
    status, _, d = jcall("GET", "services/lift.json")
    eq(status, 200, "definition status")
    attrs = {a["code"]: a for a in d["attributes"]}
    for c in ("client_uuid", "case_code", "urgency", "channel", "lift_trapped"):
        check(c in attrs, "lift declares %s" % c)
    eq([v["key"] for v in attrs["urgency"]["values"]], ["immediate", "same_day", "routine", "dispute"],
       "urgency values")
    eq(attrs["lift_trapped"]["required"], True, "lift_trapped required")
    eq(jcall("GET", "services/road_light.json")[2]["attributes"], [], "road_light declares none")
    status, _, body = jcall("GET", "services/nope.json")
    eq(status, 404, "unknown service")
    check(is_open311_error(body, 404), "Open311 error body")
    eq(call("GET", "services")[0], 404, "no .json suffix is 404")


def test_create_and_validation():
    fresh()
    status, _, body = create({"attribute[noise_source][]": "renovation", "attribute[urgency]": "same_day",
                              "first_name": "秀英", "phone": "13800000000"})
    eq(status, 200, "create status")
    check(isinstance(body, list) and isinstance(body[0]["service_request_id"], int), "numeric id answer")
    c = cases()
    eq(c["count"], 1, "one case stored")
    stored = c["cases"][0]
    eq(stored["description"], "楼上夜间装修，电钻声很大", "description stored")
    eq(stored["attributes"], {"noise_source": ["renovation"], "urgency": "same_day"}, "attributes stored")
    eq(stored["phone"], "13800000000", "contact stored")
    multi = urllib.parse.urlencode([("service_code", "noise"), ("address_string", "幸福里3号楼"),
                                    ("attribute[noise_source][]", "shop"),
                                    ("attribute[noise_source][]", "pets")]).encode()
    status, _, body = call("POST", "requests.json", raw_body=multi,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    eq(status, 200, "multi-value create")
    eq(cases()["cases"][1]["attributes"]["noise_source"], ["shop", "pets"], "multi-value stored")
    for form, why in (({"lat": "", "long": ""}, "no location"),
                      ({"description": "长" * 4001}, "4001 characters"),
                      ({"service_code": "nope"}, "unknown service")):
        form = dict(form)
        if why == "no location":
            status, _, body = jcall("POST", "requests.json", form={"service_code": "noise", "description": "x"})
        else:
            status, _, body = create(form)
        eq(status, 400, why)
        check(is_open311_error(body, 400), "Open311 error body for " + why)
    eq(create({"description": "长" * 4000})[0], 200, "4000 characters accepted")
    status, _, body = create(code="lift")
    eq(status, 400, "required attribute missing")
    check("lift_trapped" in body[0]["description"], "reason names the attribute")
    eq(create({"attribute[lift_trapped]": "no"}, code="lift")[0], 200, "required attribute given")
    status, _, _ = call("POST", "requests.json", raw_body=b'{"service_code":"noise"}',
                        headers={"Content-Type": "application/json"})
    eq(status, 400, "JSON body refused")
    eq(cases()["count"], 4, "only the valid creates stored")


def test_idempotency():
    fresh()
    s1, _, b1 = create(key="11111111-1111-4111-8111-111111111111")
    s2, h2, b2 = create(key="11111111-1111-4111-8111-111111111111")
    eq((s1, s2), (200, 200), "both answered")
    eq(b2, b1, "repeat returns the first answer")
    eq(h2.get("Idempotent-Replayed"), "true", "replay marked")
    eq(cases()["count"], 1, "no second case")
    create(key="22222222-2222-4222-8222-222222222222")
    eq(cases()["count"], 2, "another key makes another case")
    eq(cases()["cases"][0]["idempotency_key"], "11111111-1111-4111-8111-111111111111", "key stored")


def test_concurrent_repeats_and_reuse():
    """A repeat racing its first attempt still makes one case; several
    requests share one kept-alive connection."""
    fresh()
    answers = []

    def post():
        answers.append(create(key="race-1")[2])
    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    eq(len(answers), 8, "all answered")
    check(all(a == answers[0] for a in answers), "all got the first answer")
    eq(cases()["count"], 1, "one case for eight racing repeats")
    u = urllib.parse.urlsplit(info["URL"])
    conn = http.client.HTTPSConnection(u.hostname, u.port, context=ctx(), timeout=5)
    try:
        for i in range(5):
            conn.request("POST", u.path + "requests.json",
                         body=urllib.parse.urlencode({"service_code": "other", "address_string": "幸福里%d号" % i}),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            r = conn.getresponse()
            eq(r.status, 200, "answer %d on a reused connection" % i)
            r.read()
            if i == 0:
                sock = conn.sock
            check(conn.sock is sock, "the connection was kept alive")
    finally:
        conn.close()
    eq(cases()["count"], 6, "five more cases")


def test_api_key_and_jurisdiction():
    fresh({"api_keys": ["secret-1"]})
    status, _, body = create()
    eq(status, 403, "missing api_key")
    check(is_open311_error(body, 403), "403 body")
    eq(create({"api_key": "wrong"})[0], 403, "wrong api_key")
    eq(create({"api_key": "secret-1"})[0], 200, "right api_key")
    eq(call("GET", "services.json")[0], 200, "GET needs no key")
    fresh({"jurisdiction_id": "bj.dongcheng", "jurisdiction_policy": "required"})
    eq(create()[0], 400, "jurisdiction required")
    eq(create({"jurisdiction_id": "bj.dongcheng"})[0], 200, "jurisdiction given")
    eq(create({"jurisdiction_id": "sh.huangpu"})[0], 404, "other jurisdiction")
    fresh({"jurisdiction_policy": "rejected"})
    eq(create({"jurisdiction_id": "bj.dongcheng"})[0], 400, "jurisdiction rejected")
    eq(create()[0], 200, "no jurisdiction accepted")


def test_token_mode():
    fresh({"token_mode": True})
    status, _, body = create()
    eq(status, 200, "create in token mode")
    check("token" in body[0] and "service_request_id" not in body[0], "token answer")
    token = body[0]["token"]
    status, _, t = jcall("GET", "tokens/%s.json" % token)
    eq(status, 200, "token lookup")
    eq(t[0]["service_request_id"], cases()["cases"][0]["service_request_id"], "token resolves")
    eq(jcall("GET", "tokens/unknown.json")[0], 404, "unknown token")
    admin("POST", "config", {"token_delay": 30})
    _, _, body = create()
    _, _, t = jcall("GET", "tokens/%s.json" % body[0]["token"])
    check("service_request_id" not in t[0], "token not yet resolved during token_delay")


def test_strict_mode():
    fresh({"strict": True})
    status, _, body = create({"attribute[client_uuid]": "u-1", "attribute[helper_id]": "H7"}, code="sanitation")
    eq(status, 400, "undeclared attribute refused")
    check("helper_id" in body[0]["description"], "reason names it")
    eq(create({"colour": "red"})[0], 400, "unknown field refused")
    eq(create({"attribute[urgency]": "soon"})[0], 400, "value outside the list refused")
    eq(create({"attribute[urgency]": "routine"})[0], 200, "declared attribute accepted")
    eq(call("GET", "requests.json", query={"foo": "1"})[0], 400, "unknown GET parameter refused")
    eq(cases()["count"], 1, "refusals store nothing")
    fresh()
    eq(create({"attribute[client_uuid]": "u-1", "colour": "red"}, code="road_light")[0], 200,
       "lenient by default")


def test_ids():
    fresh({"ids": "numeric", "id_start": 0})
    _, _, b = create()
    eq(b[0]["service_request_id"], 0, "numeric id 0")
    _, _, b = create()
    eq(b[0]["service_request_id"], 1, "then 1")
    _, _, got = jcall("GET", "requests.json", query={"service_request_id": "0"})
    eq(got[0]["service_request_id"], 0, "case 0 found")
    fresh({"ids": "string"})
    _, _, b = create()
    check(isinstance(b[0]["service_request_id"], str) and b[0]["service_request_id"].startswith("SQ"),
          "string id")
    fresh({"ids": "numeric_string", "id_start": 0})
    _, _, b = create()
    eq(b[0]["service_request_id"], "0", "numeric string id")


def test_get_requests():
    fresh()
    ids = []
    for i in range(3):
        _, _, b = create({"attribute[client_uuid]": "uuid-%d" % i}, code="property")
        ids.append(b[0]["service_request_id"])
    q = "%d,%d,999" % (ids[0], ids[2])
    status, _, got = jcall("GET", "requests.json", query={"service_request_id": q})
    eq(status, 200, "batch status")
    eq(sorted(r["service_request_id"] for r in got), [ids[0], ids[2]], "known ids only")
    for k in ("status", "status_notes", "agency_responsible", "requested_datetime", "updated_datetime",
              "expected_datetime"):
        check(k in got[0], "field " + k)
    eq(got[0]["status"], "open", "new case is open")
    eq(jcall("GET", "requests/%d.json" % ids[1])[2][0]["service_request_id"], ids[1], "single case")
    eq(jcall("GET", "requests/999.json")[0], 404, "unknown id 404")
    admin("POST", "config", {"unknown_id": "empty"})
    eq(jcall("GET", "requests/999.json")[:3:2], (200, []), "unknown id as []")
    admin("POST", "config", {"unknown_id": "500"})
    eq(jcall("GET", "requests/999.json")[0], 500, "unknown id as 500")
    _, _, got = jcall("GET", "requests.json", query={"attribute[client_uuid]": "uuid-1"})
    eq([r["service_request_id"] for r in got], [ids[1]], "found by client uuid")
    admin("POST", "cases/%d/status" % ids[0], {"status": "closed"})
    eq(len(jcall("GET", "requests.json", query={"status": "closed"})[2]), 1, "status filter")
    eq(len(jcall("GET", "requests.json", query={"status": "open"})[2]), 2, "status filter open")
    eq(len(jcall("GET", "requests.json", query={"start_date": "2999-01-01T00:00:00Z"})[2]), 0,
       "start_date filter")
    eq(len(jcall("GET", "requests.json", query={"service_code": "noise"})[2]), 0, "service_code filter")


def test_status_progression():
    fresh()
    _, _, b = create({"attribute[urgency]": "same_day"}, code="property")
    sid = b[0]["service_request_id"]
    c = admin("POST", "cases/%d/advance" % sid)
    eq(c["stage"], "in_progress", "advanced")
    _, _, got = jcall("GET", "requests/%d.json" % sid)
    eq(got[0]["status"], "open", "in progress is still open in Open311")
    check("处理中" in got[0]["status_notes"], "notes say in progress")
    check(got[0]["agency_responsible"] and got[0]["expected_datetime"], "agency and expected date")
    admin("POST", "cases/%d/status" % sid, {"status": "closed", "status_notes": "已修复",
                                            "agency_responsible": "物业公司"})
    _, _, got = jcall("GET", "requests/%d.json" % sid)
    eq((got[0]["status"], got[0]["status_notes"], got[0]["agency_responsible"]),
       ("closed", "已修复", "物业公司"), "closed by the admin API")
    # On a timer: open -> in progress -> closed, polled with a deadline.
    fresh({"progress_seconds": 0.2})
    _, _, b = create()
    sid = b[0]["service_request_id"]
    seen = set()
    deadline = time.time() + 5
    while time.time() < deadline:
        st = admin("GET", "cases/%d" % sid)["stage"]
        seen.add(st)
        if st == "closed":
            break
        time.sleep(0.05)
    eq(st, "closed", "closed by the timer")
    check("in_progress" in seen or len(admin("GET", "updates")["updates"]) >= 2, "went through in progress")


def test_updates():
    fresh()
    _, _, b = create()
    sid = b[0]["service_request_id"]
    admin("POST", "cases/%d/status" % sid, {"status": "closed"})
    form = {"service_request_id": str(sid), "update_id": "aaaa-1", "status": "REOPEN",
            "description": "不满意：问题仍未解决", "updated_datetime": "2025-03-01T10:00:00+08:00"}
    status, _, body = jcall("POST", "servicerequestupdates.json", form=form)
    eq(status, 200, "update accepted")
    eq(body[0]["update_id"], "aaaa-1", "update answered")
    c = admin("GET", "cases/%d" % sid)
    eq((c["status"], c["stage"]), ("open", "open"), "reopened")
    check("二次办理" in c["status_notes"], "notes say re-handling")
    status, _, body2 = jcall("POST", "servicerequestupdates.json", form=form)
    eq((status, body2), (200, body), "same update_id answered again")
    eq(len([u for u in admin("GET", "updates")["updates"] if u["origin"] == "client"]), 1,
       "update_id unique")
    eq(jcall("POST", "servicerequestupdates.json", form=dict(form, update_id="b", service_request_id="999"))[0],
       404, "unknown case")
    eq(jcall("POST", "servicerequestupdates.json", form=dict(form, update_id="c", status="MAYBE"))[0],
       400, "unknown status")
    _, _, ups = jcall("GET", "servicerequestupdates.json", query={"service_request_id": str(sid)})
    check(any(u["update_id"] == "aaaa-1" for u in ups), "GET lists the update")
    admin("POST", "config", {"updates": False})
    eq(jcall("POST", "servicerequestupdates.json", form=dict(form, update_id="d"))[0], 404,
       "not offered when switched off")


def expect_failure(fn, what):
    try:
        fn()
    except (OSError, http.client.HTTPException, ssl.SSLError):
        return
    raise AssertionError("%s: the request succeeded" % what)


def test_faults_errors():
    fresh()
    admin("POST", "faults", {"kind": "http500", "count": 1, "path": r"requests\.json$", "method": "POST"})
    status, _, body = create()
    eq(status, 500, "500 injected")
    check(is_open311_error(body, 500), "500 body")
    eq(create()[0], 200, "next one goes through")
    eq(cases()["count"], 1, "the failed create stored nothing")
    admin("POST", "faults", {"kind": "http503", "count": 1})
    status, h, _ = call("GET", "services.json")
    eq((status, h["Retry-After"]), (503, "1"), "503 with Retry-After")
    admin("POST", "faults", {"kind": "http429", "count": 1, "retry_after": 7})
    status, h, _ = call("GET", "services.json")
    eq((status, h["Retry-After"]), (429, "7"), "429 with Retry-After")
    admin("POST", "faults", {"kind": "error", "status": 502, "body": "html", "count": 1})
    status, h, _ = call("GET", "services.json")
    check(status == 502 and h["Content-Type"].startswith("text/html"), "502 with HTML")
    admin("POST", "faults", {"kind": "http500", "count": 1, "commit": True, "method": "POST"})
    eq(create(key="commit-500")[0], 500, "500 after commit")
    eq(cases()["count"], 2, "committed before the 500")
    eq(create(key="commit-500")[0], 200, "retry answered")
    eq(cases()["count"], 2, "retry made no second case")


def test_faults_until_off_and_skip():
    fresh()
    f = admin("POST", "faults", {"kind": "http503", "path": "services"})
    for _ in range(3):
        eq(call("GET", "services.json")[0], 503, "until switched off")
    eq(call("GET", "requests.json")[0], 200, "other paths unaffected")
    admin("DELETE", "faults/%d" % f["id"])
    eq(call("GET", "services.json")[0], 200, "switched off")
    admin("POST", "faults", {"kind": "http500", "count": 1, "skip": 1})
    eq(call("GET", "services.json")[0], 200, "first one skipped")
    eq(call("GET", "services.json")[0], 500, "second one faulted")
    eq(call("GET", "services.json")[0], 200, "count used up")
    eq(admin("GET", "faults")["faults"], [], "no fault left")
    admin("POST", "faults", {"kind": "http500"})
    admin("POST", "faults/clear")
    eq(call("GET", "services.json")[0], 200, "cleared")


def test_fault_hang_and_slow():
    fresh()
    admin("POST", "faults", {"kind": "hang", "count": 1})
    t0 = time.time()
    expect_failure(lambda: call("GET", "services.json", timeout=0.5), "hang")
    check(time.time() - t0 >= 0.45, "waited for the client's timeout")
    eq(call("GET", "services.json")[0], 200, "answers again after a hang")
    normal = call("GET", "services/noise.json")[2]
    admin("POST", "faults", {"kind": "slow", "count": 1, "chunk": 200, "interval": 0.1})
    t0 = time.time()
    status, _, body = call("GET", "services/noise.json")
    took = time.time() - t0
    eq((status, body), (200, normal), "slow body complete and equal")
    expected = (len(normal) // 200) * 0.1
    check(took >= expected * 0.9, "trickled (%.2f s for %d bytes, expected >= %.2f)" % (took, len(normal), expected))


def test_fault_drops():
    fresh()
    admin("POST", "faults", {"kind": "drop", "count": 1, "method": "POST"})
    expect_failure(lambda: create(key="drop-1"), "drop")
    eq(cases()["count"], 0, "drop stores nothing")
    admin("POST", "faults", {"kind": "drop_after_commit", "count": 1, "method": "POST"})
    expect_failure(lambda: create(key="dac-1"), "drop after commit")
    c = cases()
    eq(c["count"], 1, "committed before the drop")
    status, _, body = create(key="dac-1")
    eq(status, 200, "retry answered")
    eq(body[0]["service_request_id"], c["cases"][0]["service_request_id"], "retry gets the stored id")
    eq(cases()["count"], 1, "exactly one stored case")
    admin("POST", "faults", {"kind": "short_body", "count": 1})
    expect_failure(lambda: call("GET", "services.json"), "short body")


def test_fault_bad_answers():
    fresh()
    for kind in ("captive", "malformed"):
        admin("POST", "faults", {"kind": kind, "count": 1})
        status, h, body = call(
            "POST", "requests.json", form={"service_code": "noise", "lat": "1", "long": "1"},
            headers={"Idempotency-Key": "bad-" + kind})
        eq(status, 200, kind + " answers 200")
        expect_json_error(body, kind)
        if kind == "captive":
            check(h["Content-Type"].startswith("text/html"), "captive portal is HTML")
    eq(cases()["count"], 0, "captive portal and malformed store nothing by default")
    admin("POST", "faults", {"kind": "truncated", "count": 1, "method": "POST"})
    status, h, body = call("POST", "requests.json", form={"service_code": "noise", "lat": "1", "long": "1"},
                           headers={"Idempotency-Key": "trunc-1"})
    eq(status, 200, "truncated answers 200")
    expect_json_error(body, "truncated")
    eq(cases()["count"], 1, "truncated is the real answer cut: the case is stored")
    eq(create(key="trunc-1")[0], 200, "retry")
    eq(cases()["count"], 1, "still one")
    admin("POST", "faults", {"kind": "wrong_shape", "count": 1, "method": "POST"})
    status, _, body = create(key="shape-1")
    check(status == 200 and isinstance(body, dict), "an object instead of an array")
    eq(cases()["count"], 1, "wrong shape stores nothing by default")


def expect_json_error(body, what):
    try:
        json.loads(body)
    except ValueError:
        return
    raise AssertionError(what + ": body parsed as JSON")


def test_stats():
    fresh()
    call("GET", "services.json")
    call("GET", "services.json")
    create()
    s = admin("GET", "stats")
    eq(s["paths"].get("GET /open311/v2/services.json"), 2, "GET counted")
    eq(s["paths"].get("POST /open311/v2/requests.json"), 1, "POST counted")
    eq(s["total"], 3, "total")
    admin("POST", "stats")
    eq(admin("GET", "stats")["total"], 0, "counters reset")


def test_certificates():
    for key, words in (("EXPIRED_URL", "expired"), ("WRONG_CA_URL", "issuer"), ("WRONG_HOST_URL", "match")):
        try:
            call("GET", "services.json", base=info[key])
            raise AssertionError(key + ": a verifying client accepted the certificate")
        except ssl.SSLCertVerificationError as e:
            check(words in str(e).lower(), "%s refused for the right reason: %s" % (key, e))
    eq(call("GET", "services.json", base=info["PLAIN_URL"])[0], 200, "plain http on loopback")
    check(info["PIN"].startswith("sha256//"), "pin printed")


def test_quirks():
    fresh({"float_noise": True, "string_booleans": True})
    _, _, b = create({"lat": "51.44", "long": "0.1"})
    _, _, got = jcall("GET", "requests/%d.json" % b[0]["service_request_id"])
    check(got[0]["lat"] != 51.44 and abs(got[0]["lat"] - 51.44) < 1e-5, "float noise: %r" % got[0]["lat"])
    _, _, services = jcall("GET", "services.json")
    check(all(s["metadata"] in ("true", "false") for s in services), "string booleans")


def test_command_line_and_chunked():
    """Flags reach the configuration through start-background.sh; a chunked
    POST body is read whole."""
    tmp = tempfile.mkdtemp(prefix="minyin-platform-test-flags-")
    pid = None
    try:
        out = subprocess.run(["sh", START, tmp, "--quiet", "--watch-pid", str(os.getpid()),
                              "--max-lifetime", "60", "--token-mode", "--strict", "--ids", "string",
                              "--id-start", "0", "--api-key", "k1", "--api-key", "k2",
                              "--jurisdiction", "bj", "--jurisdiction-policy", "required",
                              "--progress-seconds", "5", "--no-updates", "--unknown-id", "empty",
                              "--float-noise", "--string-booleans", "--no-gzip"],
                             capture_output=True, text=True, timeout=30)
        eq(out.returncode, 0, "second platform started: " + out.stderr)
        facts = dict(line.split(" ", 1) for line in out.stdout.splitlines())
        pid = int(facts["PID"])
        u = urllib.parse.urlsplit(facts["ADMIN"])
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
        conn.request("GET", "/config")
        cfg = json.loads(conn.getresponse().read())
        conn.close()
        want = {"token_mode": True, "strict": True, "ids": "string", "id_start": 0,
                "api_keys": ["k1", "k2"], "jurisdiction_id": "bj", "jurisdiction_policy": "required",
                "progress_seconds": 5.0, "updates": False, "unknown_id": "empty",
                "float_noise": True, "string_booleans": True, "gzip": False, "log": False}
        eq({k: cfg.get(k) for k in want}, want, "configuration from flags")
        api = urllib.parse.urlsplit(facts["URL"])
        conn = http.client.HTTPSConnection(api.hostname, api.port, timeout=5,
                                           context=ssl.create_default_context(cafile=facts["CA"]))
        body = urllib.parse.urlencode({"service_code": "other", "address_string": "幸福里1号",
                                       "api_key": "k2", "jurisdiction_id": "bj",
                                       "description": "分块上传" * 100}).encode()
        conn.request("POST", api.path + "requests.json", body=iter([body[:100], body[100:]]),
                     headers={"Content-Type": "application/x-www-form-urlencoded"},
                     encode_chunked=True)
        r = conn.getresponse()
        answer = json.loads(r.read())
        eq(r.status, 200, "chunked create: %r" % answer)
        check("token" in answer[0], "token mode from the flag")
        conn.close()
    finally:
        if pid and alive(pid):
            os.kill(pid, signal.SIGTERM)
        shutil.rmtree(tmp, ignore_errors=True)


def test_shutdown():
    pid = int(info["PID"])
    admin("POST", "shutdown")
    deadline = time.time() + 5
    while time.time() < deadline:
        if not alive(pid):
            return
        time.sleep(0.02)
    raise AssertionError("the platform did not stop within 5 s of POST /shutdown")


TESTS = [v for k, v in list(globals().items()) if k.startswith("test_") and k != "test_shutdown"
         and callable(v)]
TESTS.append(test_shutdown)


def main():
    # meson's timeout sends SIGTERM: leave through `finally` to stop the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    tmp = tempfile.mkdtemp(prefix="minyin-platform-test-")
    pid = None
    print("1..%d" % len(TESTS), flush=True)
    try:
        out = subprocess.run(["sh", START, tmp, "--quiet", "--watch-pid", str(os.getpid()),
                              "--max-lifetime", "120"], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            print("Bail out! the platform did not start: %s" % out.stderr.strip().replace("\n", " | "))
            return 1
        for line in out.stdout.splitlines():
            k, _, v = line.partition(" ")
            info[k] = v
        pid = int(info["PID"])
        failed = 0
        for n, t in enumerate(TESTS, 1):
            name = t.__name__[5:]
            t0 = time.time()
            try:
                t()
                print("ok %d - %s (%.2f s)" % (n, name, time.time() - t0), flush=True)
            except Exception as e:
                failed += 1
                print("not ok %d - %s" % (n, name), flush=True)
                for line in traceback.format_exc().splitlines():
                    print("# " + line)
                if pid and not alive(pid):
                    print("# the platform died; its log:")
                    for line in open(os.path.join(tmp, "platform.log"), errors="replace"):
                        print("# " + line.rstrip())
        return 1 if failed else 0
    finally:
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)


def alive(pid):
    """The server is started by a shell that exits at once, so nobody here
    reaps it: a zombie counts as gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


if __name__ == "__main__":
    sys.exit(main())
