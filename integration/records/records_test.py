#!/usr/bin/env python3
"""End-to-end tests of the audit log, demographics, bulk import and privacy
routes against a real mentoringd over loopback HTTP.

- The CPD certificate is a real PDF whose text pdftotext (poppler-utils)
  reads back.
- A 100,000-row mentee file (header included) imports in one transaction within a raised body
  limit, and the default limit refuses it with a message naming the limit.
- Demographic answers written through the API are stored encrypted: the
  test opens the stored row itself with Python's `cryptography` AESGCM.

Runs against SQLite (--backend sqlite) or the PostgreSQL server named by
MENTORING_TEST_POSTGRES_URL (--backend postgresql; exit 77 when unset unless
MENTORING_REQUIRE_POSTGRES=1). --rows changes the size of the large file.
"""
import argparse
import base64
import http.client
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

parser = argparse.ArgumentParser()
parser.add_argument("--mentoringd", required=True)
parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
# 99,999 people and the header: the largest file the importer takes (100,000 rows).
parser.add_argument("--rows", type=int, default=99999)
ARGS, rest = parser.parse_known_args()
sys.argv = [sys.argv[0]] + rest

TOKEN = "records-test-service-token-" + secrets.token_hex(8)
KEY = os.urandom(32)
PLATFORM = "https://portal.example.nhs.uk"
BIG_BODY = 16 << 20


def database_url(tmpdir):
    if ARGS.backend == "sqlite":
        return "sqlite3:" + os.path.join(tmpdir, "mentoring.db"), "mentoring_", []
    url = os.environ["MENTORING_TEST_POSTGRES_URL"]
    prefix = "t" + secrets.token_hex(4) + "_"
    return url, prefix, ["--database.table_prefix=" + prefix]


class Server:
    def __init__(self, url, extra=()):
        self.proc = subprocess.Popen(
            [ARGS.mentoringd, "serve", "--database.url=" + url, "--http.port=0", "--http.threads=2",
             "--api.service_token=" + TOKEN, "--privacy.demographics_keys=1:" + base64.b64encode(KEY).decode(),
             *extra],
            stderr=subprocess.PIPE, text=True)
        self.log, self.port = [], None
        deadline = time.time() + 30
        while time.time() < deadline:
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
            raise RuntimeError("mentoringd did not start:\n" + "".join(self.log))
        threading.Thread(target=lambda: [self.log.append(l) for l in self.proc.stderr], daemon=True).start()

    def request(self, method, path, body=None, content_type="application/json", headers=None, timeout=600):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        hs = {"Authorization": "Bearer " + TOKEN, **(headers or {})}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hs["Content-Type"] = content_type
        conn.request(method, path, body=data, headers=hs)
        res = conn.getresponse()
        raw = res.read()
        conn.close()
        if res.getheader("Content-Type", "").startswith("application/json"):
            return res.status, json.loads(raw)
        return res.status, raw

    def request_oversized(self, method, path, body, content_type):
        """Sends a body the server refuses by its Content-Length alone. The
        server answers 413 from the headers and closes without reading the
        body, so sending the body through http.client ends in a broken pipe
        (or a reset that loses the answer): the headers go first, the answer
        is read, and the body is sent only if no answer came."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        head = ("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n"
                "Content-Length: %d\r\nConnection: close\r\n\r\n"
                % (method, path, self.port, TOKEN, content_type, len(body))).encode()
        sock.sendall(head)
        raw = b""
        sock.settimeout(5)
        try:
            raw = sock.recv(65536)
        except socket.timeout:
            try:
                sock.sendall(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
        sock.settimeout(60)
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                raw += chunk
        except ConnectionResetError:
            pass
        sock.close()
        head_text, _, payload = raw.partition(b"\r\n\r\n")
        lines = head_text.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        if "content-length" in headers:
            payload = payload[:int(headers["content-length"])]
        if headers.get("content-type", "").startswith("application/json"):
            return status, json.loads(payload)
        return status, payload

    def stop(self):
        self.proc.terminate()
        return self.proc.wait(timeout=60)


class RecordsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.url, cls.prefix, extra = database_url(cls.tmp.name)
        cls.server = Server(cls.url, [*extra, "--http.max_body_bytes=%d" % BIG_BODY])
        try:
            cls.set_up_scheme()
        except BaseException:
            # tearDownClass does not run after a failed setUpClass: stop the server here.
            cls.server.stop()
            cls.tmp.cleanup()
            raise

    @classmethod
    def set_up_scheme(cls):
        s = cls.server
        status, scheme = s.request("POST", "/api/v1/schemes",
                                   {"name": "North West Foundation Mentoring", "type": "near_peer",
                                    "aims": "- Support foundation doctors"})
        assert status == 201, scheme
        cls.scheme = scheme["id"]
        def day(offset):
            return time.strftime("%Y-%m-%d", time.gmtime(time.time() + offset * 86400))
        # Open now; a cohort may last at most three years from opening.
        status, cohort = s.request("POST", "/api/v1/schemes/%d/cohorts" % cls.scheme,
                                   {"name": "Open now", "opens_on": day(-30), "closes_on": day(300),
                                    "starts_on": day(0), "ends_on": day(700)})
        assert status == 201, cohort
        cls.cohort = cohort["id"]
        status, mentor = s.request("PUT", "/api/v1/accounts",
                                   {"platform": PLATFORM, "subject": "sub-mentor", "display_name": "Dr Aisha Okafor"})
        assert status == 200, mentor
        cls.mentor = mentor["id"]

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.tmp.cleanup()
        assert code == 0, "mentoringd exited with %s:\n%s" % (code, "".join(cls.server.log))

    def test_cpd_certificate_is_a_pdf_whose_text_states_the_hours(self):
        for date, hours in (("2026-04-02", 1.25), ("2026-06-30", 2)):
            status, body = self.server.request("POST", "/api/v1/accounts/%d/cpd" % self.mentor,
                                               {"date": date, "hours": hours, "activity": "Mentoring meeting"})
            self.assertEqual(status, 201, body)
        status, pdf = self.server.request(
            "GET", "/api/v1/accounts/%d/cpd/certificate.pdf?schemeid=%d&from=2026-04-01&to=2026-07-31"
                   "&issuer=NHS%%20England%%20North%%20West" % (self.mentor, self.scheme))
        self.assertEqual(status, 200, pdf)
        self.assertTrue(pdf.startswith(b"%PDF-"))
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                              check=True).stdout.decode()
        flat = " ".join(text.split())
        self.assertIn("Dr Aisha Okafor", flat)
        self.assertIn("North West Foundation Mentoring", flat)
        self.assertIn("3.25 hours", flat)
        self.assertIn("NHS England North West", flat)
        self.assertIn("CPD-%d-20260731" % self.mentor, flat)

    def test_demographic_answers_are_stored_encrypted_under_the_configured_key(self):
        if ARGS.backend != "sqlite":
            self.skipTest("reads the SQLite file directly")
        status, body = self.server.request("PUT", "/api/v1/accounts/%d/demographics" % self.mentor,
                                           {"ethnicity": "black", "disability": "no"},
                                           headers={"X-Mentoring-Actor": str(self.mentor)})
        self.assertEqual(status, 200, body)
        db = sqlite3.connect(self.url[len("sqlite3:"):])
        key_version, iv, ct = db.execute(
            "SELECT key_version, iv, ciphertext FROM mentoring_demographics WHERE accountid = ?",
            (self.mentor,)).fetchone()
        db.close()
        aad = ("mentoring.demographics.v1:account=%d:key=%d" % (self.mentor, key_version)).encode()
        plain = AESGCM(KEY).decrypt(bytes.fromhex(iv), bytes.fromhex(ct), aad)
        self.assertEqual(plain, b"disability=no\nethnicity=black\n")

    def test_a_large_file_imports_in_one_transaction_within_the_body_limit(self):
        n = ARGS.rows
        lines = ["platform,subject,email,gmc_number,display_name,cohortid"]
        for i in range(n):
            lines.append("%s,bulk-%06d,bulk%06d@example.nhs.uk,%07d,Dr Bulk %06d,%d"
                         % (PLATFORM, i, i, 3000000 + i, i, self.cohort))
        csv = ("\r\n".join(lines) + "\r\n").encode()
        self.assertLess(len(csv), BIG_BODY)
        started = time.time()
        status, preview = self.server.request("POST", "/api/v1/imports/mentees?dry_run=true", csv, "text/csv")
        dry = time.time() - started
        self.assertEqual(status, 200, str(preview)[:500])
        self.assertEqual(preview["rows_read"], n)
        self.assertEqual(preview["error_count"], 0)
        self.assertEqual(len(preview["rows"]), min(n, 1000))
        started = time.time()
        status, report = self.server.request("POST", "/api/v1/imports/mentees", csv, "text/csv")
        applied = time.time() - started
        self.assertEqual(status, 200, str(report)[:500])
        self.assertTrue(report["applied"])
        self.assertEqual(report["created"], n)
        status, page = self.server.request("GET", "/api/v1/cohorts/%d/enrolments?role=mentee&limit=1" % self.cohort)
        self.assertEqual(status, 200)
        status, log = self.server.request("GET", "/api/v1/audit?action=import")
        self.assertEqual(log["total"], 1)
        print("\n%d-row file, %.1f MB: dry run %.1f s, applied %.1f s (%s)"
              % (n, len(csv) / 1e6, dry, applied, ARGS.backend), file=sys.stderr)

        # The default 1 MiB body limit refuses the same file and says so.
        small = Server(self.url, [a for a in ([] if ARGS.backend == "sqlite" else
                                              ["--database.table_prefix=" + self.prefix])])
        try:
            status, body = small.request_oversized("POST", "/api/v1/imports/mentees", csv, "text/csv")
            self.assertEqual(status, 413, body)
            self.assertEqual(body["error"]["reason"], "body_too_large")
            self.assertIn("1048576 bytes", body["error"]["message"])
        finally:
            self.assertEqual(small.stop(), 0)


if __name__ == "__main__":
    if ARGS.backend == "postgresql" and not os.environ.get("MENTORING_TEST_POSTGRES_URL"):
        if os.environ.get("MENTORING_REQUIRE_POSTGRES") == "1":
            print("MENTORING_TEST_POSTGRES_URL is not set", file=sys.stderr)
            sys.exit(1)
        sys.exit(77)
    unittest.main(verbosity=2)
