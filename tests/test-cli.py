#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line: every subcommand with and without --json, every usage
mistake (exit status and sentence), hostile input."""

import json
import os
import re
import sys
import tempfile
import shutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mn_tap import Minyin, Tap, one_sentence  # noqa: E402

DISPLAY_RE = re.compile(r"^\d{4}-\d{2}-\d{6}-\d{4}-\d$")
CANONICAL_RE = re.compile(r"^\d{17}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")

BASE = ["file", "--category", "lifts", "--address", "Building 3, Unit 2", "--anonymous"]


def parse_json(t, result, name):
    try:
        return json.loads(result.out)
    except ValueError as e:
        t.ok(False, f"{name}: stdout is JSON", f"{e}\n{result!r}")
        return None


def count_requests(m):
    r = m.run("list", "--json")
    return len(json.loads(r.out)) if r.status == 0 else -1


def main(t):
    m = Minyin()
    try:
        body(t, m)
    finally:
        m.cleanup()


def body(t, m):
    # --- help ------------------------------------------------------------
    for args in (["--help"], ["help"], ["-h"]):
        r = m.run(*args)
        t.ok(r.status == 0 and all(w in r.out for w in
                                   ("file", "list", "show", "status", "catalogue")),
             f"minyin {' '.join(args)} lists the commands", r)
    r = m.run("help", "file")
    t.ok(r.status == 0 and "--category" in r.out and "--anonymous" in r.out
         and "--data-dir" in r.out and "--json" in r.out,
         "minyin help file shows the options of file", r)
    r = m.run("file", "--help")
    t.ok(r.status == 0 and "minyin file" in r.out, "minyin file --help names the command", r)
    r = m.run("help", "frobnicate")
    t.ok(r.status == 2 and one_sentence(r) and "frobnicate" in r.err and "minyin help" in r.err,
         "help for an unknown command is a usage error", r)

    # --- an empty terminal ----------------------------------------------
    r = m.run("list")
    t.ok(r.status == 0 and "No requests" in r.out, "list on an empty terminal says so", r)
    r = m.run("list", "--json")
    t.ok(r.status == 0 and parse_json(t, r, "list --json") == [], "list --json is [] at first", r)
    r = m.run("status", "--json")
    st = parse_json(t, r, "status --json") if r.status == 0 else None
    t.ok(st is not None and st["requests_total"] == 0 and st["outbox_total"] == 0
         and st["catalogue"]["source"] == "bundled" and st["data_dir"] == m.data_dir,
         "status --json on an empty terminal", r)

    # --- catalogue -------------------------------------------------------
    r = m.run("catalogue", "list")
    t.ok(r.status == 0 and "bundled" in r.out and "lifts" in r.out and "Lifts" in r.out
         and "Livelihood" in r.out, "catalogue list shows the bundled default, grouped", r)
    r = m.run("catalogue", "list", "--json")
    cat = parse_json(t, r, "catalogue list --json") if r.status == 0 else None
    if t.ok(cat is not None, "catalogue list --json", r):
        cats = [c for g in cat["groups"] for c in g["categories"]]
        t.eq(cat["source"], "bundled", "catalogue source is bundled")
        t.eq(cat["fetched_at"], None, "a bundled catalogue was never fetched")
        t.eq(len(cats), 14, "the bundled catalogue has the 14 community categories")
        t.ok(all(4 <= len(c["phrases"]) <= 8 and c["icon_name"] and c["name"]
                 for c in cats), "every category has a name, an icon and 4-8 phrases")
        lifts = [c for c in cats if c["service_code"] == "lifts"]
        t.ok(lifts and "Someone is trapped in the lift" in lifts[0]["phrases"],
             "lifts carries its preset phrases")
    r = m.run("catalogue")
    t.ok(r.status == 2 and one_sentence(r) and "catalogue list" in r.err,
         "catalogue without a subcommand is a usage error", r)
    r = m.run("catalogue", "frob")
    t.ok(r.status == 2 and one_sentence(r) and "frob" in r.err,
         "an unknown catalogue subcommand is a usage error", r)

    # --- file ------------------------------------------------------------
    r = m.run(*BASE, "--description", "The lift has stopped")
    first_display = r.out.strip()
    t.ok(r.status == 0 and r.err == "" and r.out.count("\n") == 1
         and DISPLAY_RE.match(first_display),
         "file prints one line: the case code in its display form", r)

    r = m.run("file", "--category", "water-power", "--description", "No water since 6 am",
              "--place", "330902002008-02-03-2", "--phone", "138 0013 8000", "--name", "Wang Fang",
              "--urgency", "same_day", "--channel", "assisted", "--helper", "staff-7", "--json")
    filed = parse_json(t, r, "file --json") if r.status == 0 else None
    if t.ok(filed is not None, "file --json succeeds", r):
        for key in ("case_code", "case_code_display", "uuid", "status", "created_at",
                    "deadline_at"):
            t.ok(filed.get(key), f"file --json has {key}", filed)
        t.ok(CANONICAL_RE.match(filed["case_code"] or ""), "case_code is 17 digits", filed)
        t.ok(DISPLAY_RE.match(filed["case_code_display"] or ""), "case_code_display is grouped",
             filed)
        t.eq(filed["case_code_display"].replace("-", ""), filed["case_code"],
             "display and canonical forms agree")
        t.ok(UUID_RE.match(filed["uuid"] or ""), "uuid is a UUID", filed)
        t.eq(filed["status"], "saved", "a new request is saved on the terminal")
        t.ok(ISO_RE.match(filed["created_at"]) and ISO_RE.match(filed["deadline_at"]),
             "times are ISO 8601", filed)
        t.ok(filed["deadline_at"] > filed["created_at"], "the deadline is after filing", filed)
        t.eq((filed["urgency"], filed["channel"], filed["filed_by"], filed["service_code"],
              filed["place_code"], filed["anonymous"]),
             ("same_day", "assisted", "staff-7", "water-power", "330902002008-02-03-2", False),
             "file --json echoes what was stored")
        t.eq(filed["contact_hint"], "138****8000", "the contact is masked")
        t.ok("13800138000" not in r.out and "Wang Fang" not in r.out,
             "file --json never prints the contact in clear", r.out)

        r = m.run("show", filed["case_code_display"], "--json")
        shown = parse_json(t, r, "show --json") if r.status == 0 else None
        if t.ok(shown is not None, "show --json finds the request by display code", r):
            t.eq(shown["uuid"], filed["uuid"], "show returns the same request")
            t.eq(shown["contact_hint"], "138****8000", "show has only the masked hint")
            t.ok("13800138000" not in r.out and "Wang Fang" not in r.out,
                 "show --json never prints the contact in clear", r.out)
            t.ok(shown["events"] and shown["events"][0]["kind"] == "filed"
                 and ISO_RE.match(shown["events"][0]["at"]),
                 "the timeline starts with the filing", shown.get("events"))
        for form in (filed["case_code"], " ".join(filed["case_code_display"].split("-")),
                     filed["uuid"]):
            r = m.run("show", form)
            t.ok(r.status == 0 and filed["case_code_display"] in r.out
                 and "138****8000" in r.out and "Timeline" in r.out
                 and "13800138000" not in r.out,
                 f"show accepts {form!r}", r)

        # The phone number is sealed: not in any file of the data directory.
        leaked = []
        for root, _dirs, files in os.walk(m.data_dir):
            for f in files:
                with open(os.path.join(root, f), "rb") as fh:
                    data = fh.read()
                if b"13800138000" in data or b"Wang Fang" in data:
                    leaked.append(f)
        t.eq(leaked, [], "the contact is not written in clear anywhere in the data directory")

    # --- list ----------------------------------------------------------------
    r = m.run("list")
    t.ok(r.status == 0 and len(r.out.splitlines()) == 2 and first_display in r.out,
         "list shows one line per request", r)
    r = m.run("list", "--json")
    lst = parse_json(t, r, "list --json") if r.status == 0 else None
    if t.ok(lst is not None and len(lst) == 2, "list --json has both requests", r):
        t.eq(lst[1]["case_code_display"], first_display, "list is newest first")
        t.ok(all("case_code" in x and "uuid" in x and "status" in x for x in lst),
             "list --json items carry the request keys")
    r = m.run("list", "--limit", "1", "--json")
    t.ok(r.status == 0 and len(json.loads(r.out)) == 1, "list --limit 1", r)

    # --- status ----------------------------------------------------------
    r = m.run("status", "--json")
    st = parse_json(t, r, "status --json") if r.status == 0 else None
    if t.ok(st is not None, "status --json", r):
        t.eq(st["requests_total"], 2, "status counts the requests")
        t.eq(st["requests"].get("saved"), 2, "status counts requests by status")
        t.eq(st["outbox_total"], 2, "every request queued one outbox message")
        t.ok(sum(st["outbox"].values()) == 2, "outbox counts by state add up", st)
    r = m.run("status")
    t.ok(r.status == 0 and "2 requests" in r.out and "outbox" in r.out, "status in words", r)

    # --- --data-dir wins over MINYIN_DATA_DIR ------------------------------
    other = tempfile.mkdtemp(prefix="minyin-test-other-")
    try:
        r = m.run(*BASE, "--description", "In the other terminal", "--data-dir", other)
        t.ok(r.status == 0, "file --data-dir DIR", r)
        r2 = m.run("list", "--json", "--data-dir", other)
        t.ok(r2.status == 0 and len(json.loads(r2.out)) == 1, "the other terminal has it", r2)
        t.eq(count_requests(m), 2, "the default terminal does not")
    finally:
        shutil.rmtree(other, ignore_errors=True)

    usage_errors(t, m)
    hostile(t, m)
    languages(t, m)
    voice_notes(t, m)


def write_wav(path, seconds):
    """A 440 Hz tone, 16-bit mono 16 kHz, as a recorder on a phone would."""
    import math
    import struct
    import wave
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / 16000)))
                               for i in range(int(seconds * 16000))))


def voice_notes(t, m):
    import hashlib
    wav = os.path.join(m.data_dir, "..", os.path.basename(m.data_dir) + "-note.wav")
    junk = wav + ".junk.ogg"
    try:
        write_wav(wav, 3.0)
        with open(junk, "wb") as f:
            f.write(os.urandom(3000))
        digest = hashlib.sha256(open(wav, "rb").read()).hexdigest()
        before = count_requests(m)

        # A voice note alone stands for the description.
        r = m.run(*BASE, "--voice-note", wav, "--json")
        t.ok(r.status == 0, "file --voice-note FILE without a description", r)
        filed = parse_json(t, r, "file --voice-note") or {}
        t.eq(filed.get("description"), "(voice note, 3 seconds, kept at the terminal)",
             "the description says a voice note is kept at the terminal")
        r = m.run("show", filed.get("case_code", "?"), "--json")
        shown = parse_json(t, r, "show --json") or {}
        att = shown.get("attachments") or [{}]
        kept = os.path.join(m.data_dir, att[0].get("path", "missing"))
        sealed = open(kept, "rb").read() if os.path.exists(kept) else b""
        plain = open(wav, "rb").read()
        # Sealed at rest: the row's size and hash are of the sealed bytes on
        # the disk (see app/mn-attachment.h), the MIME type is the sound's.
        t.ok(len(att) == 1 and att[0].get("kind") == "voice_note"
             and att[0].get("sha256") == hashlib.sha256(sealed).hexdigest()
             and att[0].get("sha256") != digest
             and att[0].get("byte_size") == len(sealed)
             and att[0].get("path", "").endswith(".wav.sealed")
             and att[0].get("mime") == "audio/wav"
             and abs(att[0].get("duration_ms", 0) - 3000) <= 50
             and att[0].get("intact") is True,
             "show --json lists the note with its hash, size, type and length", r)
        t.ok(len(sealed) > len(plain) and b"RIFF" not in sealed and b"WAVE" not in sealed
             and not any(plain[i:i + 32] in sealed for i in range(0, len(plain) - 32, 64)),
             "the note on the disk is cipher text: no WAV header, no piece of the sound")
        r = m.run("show", filed.get("case_code", "?"))
        t.ok(r.status == 0 and "voice note, 3 seconds" in r.out
             and att[0].get("sha256", "?")[:12] in r.out and "damaged" not in r.out,
             "show lists the note: kind, length, size, hash prefix", r)

        # With a description, both are kept.
        r = m.run(*BASE, "--description", "The lift is stuck", "--voice-note", wav, "--json")
        both = parse_json(t, r, "file --description --voice-note") or {}
        t.eq(both.get("description"),
             "The lift is stuck; (voice note, 3 seconds, kept at the terminal)",
             "a description and a voice note are joined")

        # A file that is no recording, or no file: refused, nothing saved.
        for path, what in ((junk, "not a recording"), (wav + ".missing", "missing")):
            r = m.run(*BASE, "--voice-note", path)
            t.ok(r.status == 2 and one_sentence(r), f"--voice-note {what} → exit 2, one sentence", r)
        t.eq(count_requests(m), before + 2, "refused notes filed nothing")

        # One byte flipped in the kept file: show says it is damaged, and
        # does not crash.
        bad = bytearray(sealed)
        bad[len(bad) // 2] ^= 0x01
        with open(kept, "wb") as f:
            f.write(bad)
        r = m.run("show", filed.get("case_code", "?"))
        t.ok(r.status == 0 and "damaged" in r.out, "show reports a note with a flipped byte", r)
        # The row's hash made to match the damaged file: the seal itself
        # does not open, and that is "damaged" too.
        import sqlite3
        db = sqlite3.connect(os.path.join(m.data_dir, "minyin.db"))
        db.execute("UPDATE attachments SET sha256 = ? WHERE path = ?",
                   (hashlib.sha256(bytes(bad)).hexdigest(), att[0].get("path")))
        db.commit()
        db.close()
        r = m.run("show", filed.get("case_code", "?"), "--json")
        shown = parse_json(t, r, "show --json, forged hash") or {}
        forged = (shown.get("attachments") or [{}])[0]
        t.ok(r.status == 0 and forged.get("intact") is False
             and "damaged" in (forged.get("problem") or ""),
             "show reports a note whose seal does not open as damaged", r)
        os.remove(kept)
        r = m.run("show", filed.get("case_code", "?"), "--json")
        shown = parse_json(t, r, "show --json, note missing") or {}
        att = shown.get("attachments") or [{}]
        t.ok(r.status == 0 and att[0].get("intact") is False and "missing" in (att[0].get("problem") or ""),
             "show --json reports a missing note", r)
    finally:
        for p in (wav, junk):
            if os.path.exists(p):
                os.remove(p)


def languages(t, m):
    """A terminal with no language set speaks Chinese; English on request."""
    env = dict(m.env)
    for k in ("LC_ALL", "LANGUAGE", "LC_MESSAGES"):
        env.pop(k, None)
    env["LANG"] = "C.UTF-8"
    r = m.run("file", "--category", "lift", "--description", "x", "--address", "y",
              "--anonymous", env=env)
    t.ok(r.status == 2 and one_sentence_zh(r)
         and r.err.strip() == "没有“lift”这个分类。运行“minyin catalogue list”查看分类代码。",
         "with no language set, mistakes are told in Chinese", r)
    r = m.run("catalogue", "list", "--json", env=env)
    cats = {c["service_code"]: c for g in json.loads(r.out)["groups"] for c in g["categories"]} \
        if r.status == 0 else {}
    t.ok(cats.get("lifts", {}).get("name") == "电梯故障"
         and "有人被困在电梯里" in cats.get("lifts", {}).get("phrases", []),
         "the bundled catalogue is shown in Chinese", r)
    env["LANGUAGE"] = "en"
    r = m.run("catalogue", "list", "--json", env=env)
    cats = {c["service_code"]: c for g in json.loads(r.out)["groups"] for c in g["categories"]} \
        if r.status == 0 else {}
    t.eq(cats.get("lifts", {}).get("name"), "Lifts", "and in English under LANGUAGE=en")


def one_sentence_zh(result):
    err = result.err
    return (err.endswith("\n") and err.count("\n") == 1 and err.strip().endswith("。")
            and result.out == "")


USAGE_CASES = [
    # (args, status, exact sentence or None, words that must appear)
    (["file", "--description", "x", "--address", "y", "--anonymous"], 2,
     "Say which category the request is in with --category CODE. Run ‘minyin catalogue list’ "
     "to see the category codes.", []),
    (["file", "--category", "lift", "--description", "x", "--address", "y", "--anonymous"], 2,
     "Unknown category ‘lift’. Run ‘minyin catalogue list’ to see the category codes.", []),
    (["file", "--category", "lifts", "--address", "y", "--anonymous"], 2,
     "Say what the problem is with --description TEXT, or give a recorded --voice-note FILE.",
     []),
    (["file", "--category", "lifts", "--description", "x", "--anonymous"], 2,
     "Say where the problem is with --place CODE or --address TEXT.", []),
    (["file", "--category", "lifts", "--description", "x", "--place", "1101", "--address", "y",
      "--anonymous"], 2, "Give either --place or --address, not both.", []),
    (["file", "--category", "lifts", "--description", "x", "--address", "y"], 2,
     "Give the resident’s phone number with --phone NUMBER, or file with --anonymous.", []),
    (["file", "--category", "lifts", "--description", "x", "--address", "y", "--anonymous",
      "--phone", "13800138000"], 2, "Give either --phone or --anonymous, not both.", []),
    (["file", "--category", "lifts", "--description", "x", "--address", "y", "--anonymous",
      "--name", "Li"], 2, "An anonymous request has no name; leave out --name or --anonymous.",
     []),
    (["file", "--category", "lifts", "--description", "x", "--address", "y", "--phone",
      "1380013800"], 2, "A mobile number has 11 digits; this one has 10.", []),
    (["file", "--category", "lifts", "--description", "x", "--address", "y", "--phone",
      "65123456"], 2,
     "Add the area code in front of the landline number, for example 010 for Beijing.", []),
    (["file", "--category", "lifts", "--description", "x", "--address", "y", "--anonymous",
      "--urgency", "asap"], 2,
     "Unknown urgency; use immediate, same_day, routine or dispute.", []),
    (["file", "--category", "lifts", "--description", "x", "--address", "y", "--anonymous",
      "--channel", "fax"], 2, "Unknown channel; use kiosk, assisted or field.", []),
    (["file", "--category", "lifts", "--description", "x", "--address", "y", "--anonymous",
      "--channel", "assisted"], 2,
     "Assisted filing needs the helper’s id; add --helper ID.", []),
    (["file", "--category", "lifts", "--description", "x", "--place", "Room 3; DROP",
      "--anonymous"], 2, None, ["place code", "--address"]),
    (["file", "--category", "lifts", "--description", "   \n\t ", "--address", "y",
      "--anonymous"], 2,
     "The text given with --description is empty; give some text or leave the option out.", []),
    (["file", "--colour", "red"], 2,
     "Unknown option --colour. Run ‘minyin file --help’ to see the options.", []),
    (["file", "--category"], 2, None, ["--category", "minyin file --help"]),
    (["file", "stray", "--category", "lifts", "--description", "x", "--address", "y",
      "--anonymous"], 2,
     "Unexpected argument ‘stray’. Run ‘minyin file --help’ to see how to use the command.", []),
    (["list", "--limit", "-1"], 2, "The limit must be 0 (all) or more.", []),
    (["list", "--limit", "many"], 2, None, ["many", "minyin list --help"]),
    (["list", "extra"], 2, None, ["extra"]),
    (["status", "extra"], 2, None, ["extra"]),
    (["show"], 2,
     "Say which request to show: ‘minyin show CODE’, with the case code from the receipt.", []),
    (["show", "a", "b"], 2, None, ["‘b’"]),
    (["show", "no-such-code"], 1,
     "No request with the case code ‘no-such-code’ is on this terminal; check the code on the "
     "receipt.", []),
    (["show", "0000-01-261128-0001-9"], 1, None, []),
]


def usage_errors(t, m):
    before = count_requests(m)
    for args, status, sentence, words in USAGE_CASES:
        r = m.run(*args)
        name = "minyin " + " ".join(args)
        good = r.status == status and one_sentence(r)
        if sentence is not None:
            good = good and r.err.strip() == sentence
        good = good and all(w in r.err for w in words)
        t.ok(good, f"{name} → exit {status}, one sentence", r)
    t.eq(count_requests(m), before, "no mistake stored anything")

    # A case code with a typo gets the parser's reason: one changed digit
    # must be caught by the check digit.
    r = m.run("list", "--json")
    code = json.loads(r.out)[0]["case_code"]
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    r = m.run("show", wrong)
    t.ok(r.status == 1 and one_sentence(r) and "digit" in r.err
         and "No request" not in r.err,
         "show with a wrong check digit gives the parser's reason", r)


def hostile(t, m):
    before = count_requests(m)

    # The platform's limit is 4,000 characters: characters, not bytes.
    for ch, label in (("a", "ASCII"), ("诉", "Chinese")):
        r = m.run(*BASE, "--description", ch * 4001)
        t.ok(r.status == 2 and one_sentence(r) and "4001" in r.err and "4000" in r.err
             and "shorten" in r.err,
             f"a 4,001-character {label} description is refused with the sentence", r)
        t.eq(count_requests(m), before, f"nothing was stored for the 4,001 {label} characters")
        r = m.run(*BASE, "--description", ch * 4000, "--json")
        ok = r.status == 0
        t.ok(ok, f"a 4,000-character {label} description is accepted", r)
        if ok:
            before += 1
            code = json.loads(r.out)["case_code"]
            s = m.run("show", code, "--json")
            t.eq(json.loads(s.out)["description"] if s.status == 0 else s,
                 ch * 4000, f"the 4,000 {label} characters come back whole")

    # Invalid UTF-8 anywhere on the command line is refused, nothing stored.
    bad = b"Lift \xff\xfe broken \xc3"
    for args, what in (
        (["file", "--category", "lifts", "--description", bad, "--address", "y",
          "--anonymous"], "--description"),
        (["file", "--category", "lifts", "--description", "x", "--address", bad,
          "--anonymous"], "--address"),
        (["file", "--category", "lifts", "--description", "x", "--address", "y",
          "--phone", "13800138000", "--name", bad], "--name"),
        (["file", "--category", b"lifts\xff", "--description", "x", "--address", "y",
          "--anonymous"], "--category"),
        (["file", b"--description=\xff", "--category", "lifts", "--address", "y",
          "--anonymous"], "--description=VALUE"),
        (["show", b"\xff\xfe"], "show CODE"),
    ):
        r = m.run(*args)
        t.ok(r.status == 2 and one_sentence(r) and "UTF-8" in r.err,
             f"invalid UTF-8 in {what} is refused with a sentence", r)
    t.eq(count_requests(m), before, "nothing was stored from invalid UTF-8")

    # Control characters are cleaned, the rest is kept.
    r = m.run(*BASE, "--description", "Lift\x07 broken\x1b[31m red\r\nsecond\tline\x7f",
              "--json")
    if t.ok(r.status == 0, "a description with control characters is accepted", r):
        d = json.loads(r.out)["description"]
        t.ok(not any(ord(c) < 0x20 and c not in "\n\t" for c in d) and "\r" not in d
             and "\x7f" not in d, "no control character is stored", repr(d))
        t.ok("Lift" in d and "broken" in d and "[31m red\nsecond\tline" in d,
             "the text around them is kept, CR LF made LF", repr(d))
        s = m.run("show", json.loads(r.out)["case_code"])
        t.ok(s.status == 0 and "\x1b" not in s.out and "\x07" not in s.out,
             "show prints no control character", s)
        before += 1

    # SQL metacharacters and emoji are stored and shown verbatim.
    verbatim = [
        "'; DROP TABLE requests; --",
        "Robert'); DELETE FROM outbox WHERE 1=1; -- \" ` \\ % _ *",
        "电梯坏了 🛗😡 👍🏽 👨\u200d👩\u200d👧 ❤️ 𠀀",
    ]
    for text in verbatim:
        r = m.run("file", "--category", "lifts", "--anonymous", "--description", text,
                  "--address", text, "--json")
        if t.ok(r.status == 0, f"{text!r} is accepted", r):
            before += 1
            filed = json.loads(r.out)
            t.eq(filed["description"], text, f"{text!r} is stored verbatim")
            t.eq(filed["address"], text, f"{text!r} as an address is stored verbatim")
            s = m.run("show", filed["case_code"], "--json")
            t.eq(json.loads(s.out)["description"] if s.status == 0 else s, text,
                 f"{text!r} is shown verbatim by show --json")
            s = m.run("show", filed["case_code"])
            t.ok(s.status == 0 and text in s.out, f"{text!r} is shown verbatim by show", s)
    r = m.run("list", "--json")
    t.ok(r.status == 0 and len(json.loads(r.out)) == before,
         "the requests table survived the SQL in the text", r)
    r = m.run("status", "--json")
    t.ok(r.status == 0 and json.loads(r.out)["outbox_total"] == before,
         "so did the outbox", r)


if __name__ == "__main__":
    sys.exit(Tap().run(main))
