#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A damaged or foreign minyin.db, through the command line: every command
that needs the store exits non-zero with one sentence, and the file is
byte-identical afterwards (never overwritten or "repaired")."""

import hashlib
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mn_tap import Minyin, Tap, one_sentence  # noqa: E402

DB_NAME = "minyin.db"

COMMANDS = [
    ["status"],
    ["list"],
    ["list", "--json"],
    ["show", "0000-01-261128-0001-0"],
    ["catalogue", "list"],
    ["file", "--category", "lifts", "--address", "Building 1", "--anonymous",
     "--description", "The lift has stopped"],
]


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def random_bytes(path, rng):
    with open(path, "wb") as f:
        f.write(bytes(rng.getrandbits(8) for _ in range(64 * 1024)))


def text_file(path, rng):
    with open(path, "w", encoding="utf-8") as f:
        f.write("These are my notes, not a database.\n" * 200)


def foreign_sqlite(path, rng):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT, steps TEXT)")
    con.executemany("INSERT INTO recipes VALUES (?, ?)",
                    [(f"dish {i}", "boil " * 50) for i in range(200)])
    con.commit()
    con.close()


def real_store():
    """A genuine store with some requests, closed cleanly, as bytes."""
    d = tempfile.mkdtemp(prefix="minyin-corrupt-src-")
    try:
        m = Minyin(d)
        for i in range(30):
            r = m.run("file", "--category", "lifts", "--address", f"Building {i}",
                      "--anonymous", "--description", f"Request {i} " + "x" * 500)
            if r.status != 0:
                raise RuntimeError(f"cannot make a real store: {r!r}")
        with open(os.path.join(d, DB_NAME), "rb") as f:
            return f.read()
    finally:
        shutil.rmtree(d, ignore_errors=True)


def make_cases(real):
    page = int.from_bytes(real[16:18], "big") or 65536

    def bad_header(path, rng):
        data = bytearray(real)
        data[0:16] = b"SQLite format 2\x00"
        open(path, "wb").write(data)

    def bad_page_size(path, rng):
        data = bytearray(real)
        data[16:18] = (1000).to_bytes(2, "big")  # not a power of two
        open(path, "wb").write(data)

    def garbled_pages(path, rng):
        # The schema on page 1 is intact; every table and index page is
        # noise, so any read of a request meets corruption.
        data = bytearray(real)
        for i in range(page, len(data)):
            data[i] = rng.getrandbits(8)
        open(path, "wb").write(data)

    def truncated(path, rng):
        open(path, "wb").write(real[: page + page // 2])

    return [
        ("random bytes", random_bytes),
        ("a text file", text_file),
        ("another program's SQLite file", foreign_sqlite),
        ("a store with a damaged header", bad_header),
        ("a store with an impossible page size", bad_page_size),
        ("a store whose pages are noise", garbled_pages),
        ("a store cut short", truncated),
    ]


def main(t):
    rng = random.Random(20261128)
    real = real_store()
    t.ok(real.startswith(b"SQLite format 3\x00"), "the real store is an SQLite file")

    for label, make in make_cases(real):
        d = tempfile.mkdtemp(prefix="minyin-corrupt-")
        try:
            path = os.path.join(d, DB_NAME)
            make(path, rng)
            before = digest(path)
            m = Minyin(d)
            for args in COMMANDS:
                r = m.run(*args)
                name = f"{label}: minyin {' '.join(args)}"
                t.ok(r.status == 1 and one_sentence(r),
                     f"{name} → exit 1 and one sentence", r)
            t.eq(digest(path), before, f"{label}: the file is byte-identical afterwards")
            leftovers = [f for f in os.listdir(d)
                         if f.startswith(DB_NAME + "-") and os.path.getsize(os.path.join(d, f))]
            t.eq(leftovers, [], f"{label}: no journal was written beside it")
        finally:
            shutil.rmtree(d, ignore_errors=True)

    # The sentences themselves, for the log: a person reads these.
    d = tempfile.mkdtemp(prefix="minyin-corrupt-")
    try:
        for label, make in (("foreign", foreign_sqlite), ("random", random_bytes),
                            ("text", text_file)):
            make(os.path.join(d, DB_NAME), rng)
            t.diag(f"{label}: {Minyin(d).run('status').err.strip()}")
            os.unlink(os.path.join(d, DB_NAME))
    finally:
        shutil.rmtree(d, ignore_errors=True)

if __name__ == "__main__":
    sys.exit(Tap().run(main))
