#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: drain 10,000 queued requests to the local reference platform
with `minyin sync --once`, against two baselines in the same run: one
`curl` process per request (a smaller sample, extrapolated) and a bare
libcurl loop on one reused connection (tests/bench-sync-tools.c). Prints
requests/s, the ratios, and the terminal's memory sampled while it drains
(VmRSS every 50 ms, VmHWM at the end). MINYIN_BENCH_SYNC_N and
MINYIN_BENCH_CURL_N change the sizes. TAP; the targets (>= 5x the
per-process baseline, within 1.5x of the bare loop, memory flat) are
reported as tests."""

import os
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sync_harness import ENV, EXE, TAP, Platform, Terminal, tmpdir  # noqa: E402

N = int(os.environ.get("MINYIN_BENCH_SYNC_N", "10000"))
CURL_N = int(os.environ.get("MINYIN_BENCH_CURL_N", "300"))
TOOLS = os.environ.get("MINYIN_BENCH_SYNC_TOOLS")


def proc_kb(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def proc_cpu(pid):
    """CPU seconds (user + system) a live process has used so far."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None


def main():
    t = TAP()
    tmp = tmpdir()
    p = Platform(tmp, "--no-gzip")
    t.diag("platform: %s (Python, one process)" % p.url)

    # 1. One curl process per request.
    p.reset()
    desc = urllib.parse.quote("bench: 楼道灯坏了，晚上看不见台阶，老人上下楼很危险。")
    start = time.monotonic()
    ok = 0
    for i in range(CURL_N):
        r = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", p.ca,
             "-H", "Idempotency-Key: curl-%d-%d" % (os.getpid(), i),
             "--data", "service_code=road_light&address_string=x&description=%s%%20%d&device_id=bench" % (desc, i),
             p.url + "requests.json"], capture_output=True, text=True)
        ok += r.stdout == "200"
    curl_s = time.monotonic() - start
    curl_rate = CURL_N / curl_s
    t.ok(ok == CURL_N, "curl per process: %d requests in %.2f s = %.0f requests/s" % (CURL_N, curl_s, curl_rate))

    # 2. The bare libcurl loop, one reused connection.
    p.reset()
    out = subprocess.run([TOOLS, "curl-loop", p.url, p.ca, str(N)], capture_output=True,
                         text=True, check=True).stdout.split()
    bare_s, bare_ok = float(out[0]), int(out[1])
    bare_rate = N / bare_s
    t.ok(bare_ok == N, "bare libcurl loop: %d requests in %.2f s = %.0f requests/s" % (N, bare_s, bare_rate))

    # 3. The terminal: N requests queued, then one sync --once drains them.
    p.reset()
    term = Terminal(tmp, "t-bench")
    term.provision(p)
    term.run("catalogue", "refresh", check=True)
    fill_start = time.monotonic()
    subprocess.run([TOOLS, "fill", term.dir, str(N)], check=True)
    t.diag("queued %d requests in %.1f s (store, synchronous=FULL)" % (N, time.monotonic() - fill_start))

    proc = subprocess.Popen([EXE, "sync", "--once", "--data-dir", term.dir], env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    start = time.monotonic()
    samples = []
    hwm = None
    posts_done_at = None
    cpu = None
    while proc.poll() is None:
        c = proc_cpu(proc.pid)
        if c is not None:
            cpu = c
        rss = proc_kb(proc.pid, "VmRSS")
        h = proc_kb(proc.pid, "VmHWM")
        if rss is not None:
            samples.append((time.monotonic() - start, rss))
        if h is not None:
            hwm = h
        if posts_done_at is None and len(samples) % 5 == 0:
            if p.admin("GET", "/stats")["paths"].get("POST /open311/v2/requests.json", 0) >= N:
                posts_done_at = time.monotonic() - start
        time.sleep(0.05)
    out, err = proc.communicate()
    drain_s = time.monotonic() - start

    rate = N / drain_s
    held = p.admin("GET", "/stats")["paths"].get("POST /open311/v2/requests.json", 0)
    cases = p.admin("GET", "/cases")["count"]
    t.ok(proc.returncode == 0 and cases == N,
         "minyin sync --once: %d requests in %.2f s = %.0f requests/s (platform holds %d, %d POSTs)"
         % (N, drain_s, rate, cases, held), err)

    if posts_done_at:
        t.diag("the %d POSTs were done after about %.1f s (%.0f requests/s); the rest is the "
               "status pull-back of all %d cases and the exit" % (N, posts_done_at, N / posts_done_at, N))
    # Where the time goes: the terminal's own CPU against the wall clock
    # (the platform, one Python process, is the rest).
    pull_start = time.monotonic()
    again = term.sync()
    pull_s = time.monotonic() - pull_start
    t.diag("a sync with nothing to send (catalogue 304 + status pull of %d cases): %.2f s" % (N, pull_s))
    if cpu is not None:
        t.diag("minyin's own CPU time during the drain: %.1f s of %.1f s (the rest is waiting for "
               "the platform, one Python process)" % (cpu, drain_s))

    # Memory: the first quarter of the drain against the last quarter.
    n = len(samples)
    if n >= 8:
        early = max(s[1] for s in samples[n // 8: n // 4 + 1])
        late = max(s[1] for s in samples[3 * n // 4:])
    else:
        early = late = samples[-1][1] if samples else 0
    t.diag("memory while draining: %d samples; RSS %d kB early, %d kB late; VmHWM %s kB"
           % (n, early, late, hwm))
    t.diag("RSS samples (s, kB): " + " ".join("%.1f:%d" % s for s in samples[:: max(1, n // 12)]))

    t.diag("ratio to curl per process: %.1fx (target >= 5x)" % (rate / curl_rate))
    t.diag("ratio of the bare loop to minyin: %.2fx (target <= 1.5x)" % (bare_rate / rate))
    t.ok(rate >= 5 * curl_rate, "at least 5x the per-process baseline (%.1fx)" % (rate / curl_rate))
    t.ok(bare_rate <= 1.5 * rate, "within 1.5x of the bare libcurl loop (%.2fx)" % (bare_rate / rate))
    t.ok(late <= early * 1.25 + 2048, "memory flat while draining (%d kB -> %d kB)" % (early, late))
    p.stop()
    return t.done()


if __name__ == "__main__":
    sys.exit(main())
