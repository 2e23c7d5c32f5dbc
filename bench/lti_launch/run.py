#!/usr/bin/python3
"""Runs bench_lti_launch against a fresh mentoringd on SQLite (or, with
--database-url, on a PostgreSQL server under a fresh table prefix).

Setup (the platform's side, with Debian's python3-cryptography): an RSA key
for the platform, its JWKS served on loopback, mentoringd started on a new
SQLite file, and the platform registered through the API. Then a short
warm-up and the measured run; prints the driver's JSON report plus the CPU
time mentoringd and the driver used.

  bench/lti_launch/run.py --mentoringd build/bin/mentoringd \\
      --bench build/bin/bench_lti_launch [--concurrency 32] [--seconds 20] [--threads 2] \\
      [--db-dir /dev/shm] [--database-url postgresql://...] [--extra=--database.sqlite_synchronous=normal]
"""
import argparse
import base64
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def b64url_uint(n):
    return base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mentoringd", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=2, help="mentoringd http.threads")
    ap.add_argument("--extra", action="append", default=[], help="extra mentoringd option, repeatable")
    ap.add_argument("--db-dir", default=None, help="where the SQLite file goes (default: a temporary directory)")
    ap.add_argument("--database-url", default="",
                    help="postgresql://... to run on that server instead (fresh table prefix per run)")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = "bench-" + secrets.token_hex(4)
    pem = os.path.join(tmp.name, "platform.pem")
    with open(pem, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    nums = key.public_key().public_numbers()
    jwks = json.dumps({"keys": [{"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
                                 "n": b64url_uint(nums.n), "e": b64url_uint(nums.e)}]}).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "max-age=3600")
            self.send_header("Content-Length", str(len(jwks)))
            self.end_headers()
            self.wfile.write(jwks)

        def log_message(self, *a):
            pass

    platform = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=platform.serve_forever, daemon=True).start()
    issuer = f"http://127.0.0.1:{platform.server_address[1]}"

    port = free_port()
    token = secrets.token_hex(16)
    if args.database_url:
        database = ["--database.url=" + args.database_url, "--database.table_prefix=lti" + secrets.token_hex(4) + "_"]
    else:
        database = ["--database.url=sqlite3:" + os.path.join(args.db_dir or tmp.name, "bench-%d.db" % os.getpid())]
    tool = subprocess.Popen(
        [args.mentoringd, "serve", *database,
         f"--http.port={port}", f"--http.public_url=http://127.0.0.1:{port}", "--api.service_token=" + token,
         f"--http.threads={args.threads}", *args.extra],
        stderr=subprocess.PIPE, text=True)
    log = []
    while True:
        line = tool.stderr.readline()
        if not line:
            sys.exit("mentoringd did not start:\n" + "".join(log))
        log.append(line)
        if re.search(r"serving on port", line):
            break
    threading.Thread(target=lambda: [log.append(l) for l in tool.stderr], daemon=True).start()
    try:
        r = requests.put(f"http://127.0.0.1:{port}/api/v1/lti/platforms", timeout=10,
                         headers={"Authorization": "Bearer " + token},
                         json={"issuer": issuer, "client_id": "bench-client", "auth_login_url": issuer + "/auth",
                               "jwks_url": issuer + "/jwks.json", "deployment_ids": ["bench-deployment"]})
        r.raise_for_status()
        base = [args.bench, f"--port={port}", f"--issuer={issuer}", "--client-id=bench-client",
                "--deployment-id=bench-deployment", f"--key={pem}", f"--kid={kid}"]
        subprocess.run(base + ["--concurrency=8", "--seconds=2"], check=True, capture_output=True)
        tool_cpu = cpu_seconds(tool.pid)
        started = time.time()
        bench = subprocess.Popen(base + [f"--concurrency={args.concurrency}", f"--seconds={args.seconds}"],
                                 stdout=subprocess.PIPE, text=True)
        out, _ = bench.communicate()
        wall = time.time() - started
        report = json.loads(out)
        report["mentoringd_cpu_cores"] = round((cpu_seconds(tool.pid) - tool_cpu) / wall, 2)
        ru = __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
        report["driver_cpu_cores_upper_bound"] = round((ru.ru_utime + ru.ru_stime) / wall, 2)
        report["http_threads"] = args.threads
        report["database"] = "postgresql" if args.database_url else "sqlite"
        report["cores"] = os.cpu_count()
        print(json.dumps(report, indent=2))
        return 0 if bench.returncode == 0 else 1
    finally:
        tool.terminate()
        tool.wait(timeout=30)
        platform.shutdown()
        tmp.cleanup()
        if args.db_dir:
            for suffix in ("", "-wal", "-shm"):
                path = os.path.join(args.db_dir, "bench-%d.db%s" % (os.getpid(), suffix))
                if os.path.exists(path):
                    os.remove(path)


if __name__ == "__main__":
    sys.exit(main())
