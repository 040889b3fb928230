# SPDX-License-Identifier: GPL-3.0-or-later
"""Small helpers shared by the Python drivers of the command line tests:
TAP output, running the built `minyin` in a private data directory."""

import os
import shutil
import subprocess
import sys
import tempfile
import traceback


class Tap:
    """Prints TAP as the checks run, so a hang still shows how far it got."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=None):
        self.n += 1
        # A test name is one line of TAP, and "#" would start a directive.
        name = (name.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
                .replace("#", "\\#"))
        if cond:
            print(f"ok {self.n} - {name}", flush=True)
        else:
            self.failed += 1
            print(f"not ok {self.n} - {name}", flush=True)
            if diag is not None:
                for line in str(diag).splitlines() or [""]:
                    print(f"#   {line}", flush=True)
        return cond

    def eq(self, got, want, name):
        return self.ok(got == want, name, f"got:  {got!r}\nwant: {want!r}")

    def diag(self, text):
        for line in str(text).splitlines():
            print(f"# {line}", flush=True)

    def run(self, func):
        """Runs the test body; an exception is a failure, not a crash."""
        try:
            func(self)
        except Exception:  # noqa: BLE001 - report anything as a failed check
            self.ok(False, "the test driver ran to the end", traceback.format_exc())
        print(f"1..{self.n}", flush=True)
        return 1 if self.failed else 0


def exe():
    path = os.environ.get("MINYIN_EXE")
    if not path:
        print("1..0 # SKIP MINYIN_EXE is not set (run through meson test)")
        sys.exit(0)
    return path


def english_env(data_dir):
    """The environment of every run: English messages (the expected
    sentences are the source strings), a private data directory."""
    env = dict(os.environ)
    env["LC_ALL"] = "en_US.UTF-8"
    env["LANGUAGE"] = "en"
    env["MINYIN_DATA_DIR"] = str(data_dir)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


class Result:
    def __init__(self, proc):
        self.status = proc.returncode
        self.out_bytes = proc.stdout
        self.err_bytes = proc.stderr
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")

    def __repr__(self):
        return f"status={self.status} stdout={self.out[:400]!r} stderr={self.err[:400]!r}"


class Minyin:
    def __init__(self, data_dir=None):
        self.exe = exe()
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="minyin-test-")
        self.env = english_env(self.data_dir)

    def run(self, *args, env=None, timeout=60, **kwargs):
        argv = [self.exe] + [a if isinstance(a, bytes) else str(a) for a in args]
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env or self.env, timeout=timeout, stdin=subprocess.DEVNULL,
                              **kwargs)
        return Result(proc)

    def cleanup(self):
        if self.own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def one_sentence(result):
    """A mistake is reported as one line on stderr, a sentence, and
    nothing on stdout."""
    err = result.err
    return (err.endswith("\n") and err.count("\n") == 1 and err.strip().endswith(".")
            and result.out == "" and "CRITICAL" not in err and "WARNING" not in err)
