#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""SIGKILL the terminal at random moments during sync: nothing lost,
nothing duplicated. MINYIN_SYNC_KILLS sets the number of kills (50 in
`make check`; more for a longer run), MINYIN_SYNC_KILL_SEED the seed. TAP."""

import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sync_harness import ENV, EXE, TAP, Platform, Terminal, exactly_once, tmpdir  # noqa: E402

KILLS = int(os.environ.get("MINYIN_SYNC_KILLS", "50"))
SEED = int(os.environ.get("MINYIN_SYNC_KILL_SEED", str(random.randrange(1 << 30))))


def main():
    t = TAP()
    rnd = random.Random(SEED)
    t.diag("seed %d (MINYIN_SYNC_KILL_SEED), %d kills" % (SEED, KILLS))
    tmp = tmpdir()
    # Cases come with some delay, so kills land inside the drain too.
    p = Platform(tmp)
    term = Terminal(tmp, "t-kill")
    term.provision(p, "--timeout", "5")
    term.run("catalogue", "refresh", check=True)
    filed = len(term.file(30, "kill"))

    killed_mid = 0
    attempts = 0
    # The loop runs until KILLS kills have landed while a sync was running
    # (bounded by 4 x KILLS attempts). Work is kept queued, so a sync always
    # has something to send when it is killed. On a loaded machine a process
    # may need longer than the windows below just to start: whenever ten
    # attempts in a row delivered nothing, the windows grow.
    scale = 1.0
    delivered = len(p.cases())
    while killed_mid < KILLS and attempts < 4 * KILLS:
        i = attempts
        attempts += 1
        on_platform = len(p.cases())
        if i % 10 == 9:
            if on_platform == delivered:
                scale *= 1.6
                t.diag("no delivery in the last ten attempts: kill windows now x%.2f" % scale)
            delivered = on_platform
        if filed - on_platform < 5:
            # More requests arrive while the outbox drains.
            filed += len(term.file(5, "kill-%d" % i))
        if i % 7 == 3:
            # Sometimes the platform also drops the answer after committing.
            p.fault(kind="drop_after_commit", count=1, path="requests\\.json$", method="POST")
        if i % 5 == 0:
            # Slow answers widen the window between commit and answer.
            p.fault(kind="slow", count=2, interval=0.01, chunk=8, path="requests\\.json$",
                    method="POST")
        proc = subprocess.Popen([EXE, "sync", "--once", "--data-dir", term.dir], env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Mostly early kills (start-up, claim, first POSTs); every fourth
        # one later, so that the drain makes progress between kills even
        # on a loaded machine.
        time.sleep(scale * (rnd.uniform(0.2, 1.0) if i % 4 == 3 else rnd.uniform(0.0, 0.12)))
        if proc.poll() is None:
            killed_mid += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        p.clear_faults()
    t.diag("%d kills landed while sync was running, in %d attempts" % (killed_mid, attempts))
    t.ok(killed_mid >= KILLS, "%d kills landed during a sync (%d wanted)" % (killed_mid, KILLS))

    before = len(p.cases())
    t.diag("%d cases reached the platform during the kills" % before)
    t.ok(before > 0, "syncs that were killed still delivered some requests")
    drained, last = term.sync_until_drained()
    t.ok(drained, "after the kills, sync --once drains the outbox",
         (last.stdout + last.stderr) if last else None)
    ok, detail = exactly_once(p, term, filed)
    t.ok(ok, "all %d requests are on the platform exactly once, with their platform ids" % filed,
         detail)
    p.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
