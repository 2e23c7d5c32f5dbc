"""A temporary mentoringd whose clock is set by the caller, for seeding a
history through the public API.

The process runs under Debian's libfaketime (package `faketime`), preloaded
with a timestamp file: FAKETIME_TIMESTAMP_FILE names a file holding a "start
at" time ("@YYYY-MM-DD hh:mm:ss"), and FAKETIME_NO_CACHE=1 makes the library
read it on every clock call, so writing the file moves the server's clock at
once, after which it runs on at normal speed. Only the wall clock is faked
(FAKETIME_DONT_FAKE_MONOTONIC=1): timers, timeouts and the workers' waits keep
the real monotonic clock.
"""
import datetime
import glob
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

LIBRARY_GLOB = "/usr/lib/*/faketime/libfaketimeMT.so.1"


def find_libfaketime():
    found = sorted(glob.glob(LIBRARY_GLOB))
    if not found:
        raise RuntimeError("libfaketime is not installed (Debian package 'faketime'; run ./scripts/install-deps)")
    return found[0]


class FaketimeServer:
    """`mentoringd serve` on a free loopback port with a settable clock."""

    def __init__(self, mentoringd, database_url, token, start, extra=()):
        self.dir = tempfile.mkdtemp(prefix="mentoring-faketime-")
        self.stamp = os.path.join(self.dir, "clock")
        self.log = []
        self.set_time(start)
        env = dict(os.environ)
        env.update({
            "LD_PRELOAD": find_libfaketime(),
            "FAKETIME_TIMESTAMP_FILE": self.stamp,
            "FAKETIME_NO_CACHE": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        })
        env.pop("FAKETIME", None)  # it would take precedence over the file
        self.proc = subprocess.Popen(
            [mentoringd, "serve", "--database.url=" + database_url, "--http.address=127.0.0.1", "--http.port=0",
             "--http.threads=2", "--api.service_token=" + token, "--webhook.worker=false",
             "--database.sqlite_synchronous=normal", "--log.access=false", "--http.max_body_bytes=16777216",
             *extra],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        self.port = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.log.append(line)
            m = re.search(r"serving on port (\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            self.proc.kill()
            self.proc.wait()
            shutil.rmtree(self.dir, ignore_errors=True)
            raise RuntimeError("mentoringd did not start under libfaketime:\n" + "".join(self.log))
        self._drain = threading.Thread(target=self._read_rest, daemon=True)
        self._drain.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _read_rest(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def set_time(self, when):
        """Moves the server's clock to `when` (a UTC datetime); it runs on from there."""
        if when.tzinfo is not None:
            when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        tmp = self.stamp + ".new"
        with open(tmp, "w") as f:
            f.write(when.strftime("@%Y-%m-%d %H:%M:%S") + "\n")
        os.replace(tmp, self.stamp)  # never half a line for the library to read

    def stop(self):
        try:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            self._drain.join(timeout=5)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
