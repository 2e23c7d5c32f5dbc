#!/usr/bin/env python3
"""End-to-end tests of mentoringd over real loopback HTTP.

Runs against an SQLite file (--backend sqlite) or against the PostgreSQL
server named by MENTORING_TEST_POSTGRES_URL (--backend postgresql; skipped
when it is unset unless MENTORING_REQUIRE_POSTGRES=1, which ./scripts/test
sets after starting its private server).
"""
import argparse
import datetime
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

parser = argparse.ArgumentParser()
parser.add_argument("--mentoringd", required=True)
parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
ARGS, rest = parser.parse_known_args()
sys.argv = [sys.argv[0]] + rest

TOKEN = "server-test-service-token-" + secrets.token_hex(8)
SKIP_CODE = 77


def database_url(tmpdir):
    if ARGS.backend == "sqlite":
        return "sqlite3:" + os.path.join(tmpdir, "mentoring.db"), []
    url = os.environ["MENTORING_TEST_POSTGRES_URL"]
    # A fresh table prefix per run keeps runs apart in one database.
    return url, ["--database.table_prefix=t" + secrets.token_hex(4) + "_"]


class Server:
    """A mentoringd process on a free loopback port."""

    def __init__(self, url, extra=()):
        self.proc = subprocess.Popen(
            [ARGS.mentoringd, "serve", "--database.url=" + url, "--http.port=0", "--http.threads=2",
             "--api.service_token=" + TOKEN, "--http.max_body_bytes=65536", *extra],
            stderr=subprocess.PIPE, text=True)
        self.log = []
        self.port = None
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
        self._drain = threading.Thread(target=self._read_rest, daemon=True)
        self._drain.start()

    def _read_rest(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def request(self, method, path, body=None, token=TOKEN, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        hs = dict(headers or {})
        if token:
            hs["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            hs.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=hs)
        res = conn.getresponse()
        raw = res.read()
        conn.close()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw
        return res.status, payload

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=30)
        self._drain.join(timeout=5)
        return code


def run_mentoringd(*args, timeout=60):
    return subprocess.run([ARGS.mentoringd, *args], capture_output=True, text=True, timeout=timeout)


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.url, cls.extra = database_url(cls.tmp.name)
        cls.server = Server(cls.url, cls.extra)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.tmp.cleanup()
        assert code == 0, "mentoringd exited with %s:\n%s" % (code, "".join(cls.server.log))

    def test_health_and_readiness(self):
        self.assertEqual(self.server.request("GET", "/healthz", token=None)[0], 200)
        status, body = self.server.request("GET", "/readyz", token=None)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "ready")

    def test_scheme_cohort_account_enrolment_journey(self):
        today = datetime.date.today()
        status, scheme = self.server.request("POST", "/api/v1/schemes", {
            "name": "Foundation mentoring", "type": "traditional",
            "aims": "Improve the experience of FY1 doctors", "phase": "pilot"})
        self.assertEqual(status, 201, scheme)
        status, cohort = self.server.request("POST", f"/api/v1/schemes/{scheme['id']}/cohorts", {
            "name": "August intake",
            "opens_on": (today - datetime.timedelta(days=7)).isoformat(),
            "closes_on": (today + datetime.timedelta(days=7)).isoformat(),
            "starts_on": (today + datetime.timedelta(days=7)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=372)).isoformat(),
            "matching_model": "hybrid"})
        self.assertEqual(status, 201, cohort)
        self.assertEqual(cohort["matching_model"], "hybrid")

        status, account = self.server.request("PUT", "/api/v1/accounts", {
            "platform": "https://portal.example.nhs.uk", "subject": "trainee-1",
            "display_name": "Dr Ada Trainee", "email": "ada@example.nhs.uk"})
        self.assertEqual(status, 200, account)
        # The same person again: same id, fresher name.
        status, again = self.server.request("PUT", "/api/v1/accounts", {
            "platform": "https://portal.example.nhs.uk", "subject": "trainee-1", "display_name": "Dr Ada T."})
        self.assertEqual(again["id"], account["id"])
        self.assertEqual(again["display_name"], "Dr Ada T.")

        path = f"/api/v1/cohorts/{cohort['id']}/enrolments"
        status, enrolment = self.server.request("POST", path, {"accountid": account["id"], "role": "mentee"})
        self.assertEqual(status, 201, enrolment)
        status, body = self.server.request("POST", path, {"accountid": account["id"], "role": "mentee"})
        self.assertEqual(status, 409, body)
        status, listing = self.server.request("GET", path + "?role=mentee")
        self.assertEqual([e["accountid"] for e in listing["items"]], [account["id"]])
        status, withdrawn = self.server.request("POST", f"/api/v1/enrolments/{enrolment['id']}/withdraw")
        self.assertEqual((status, withdrawn["status"]), (200, "withdrawn"))

    def test_enrolment_outside_the_window_is_refused_and_changes_nothing(self):
        today = datetime.date.today()
        _, scheme = self.server.request("POST", "/api/v1/schemes", {"name": "Closed scheme"})
        _, cohort = self.server.request("POST", f"/api/v1/schemes/{scheme['id']}/cohorts", {
            "name": "Past", "opens_on": "2020-06-01", "closes_on": "2020-08-05",
            "starts_on": "2020-08-05", "ends_on": "2021-08-04"})
        _, account = self.server.request("PUT", "/api/v1/accounts", {
            "platform": "https://portal.example.nhs.uk", "subject": "late-" + today.isoformat()})
        path = f"/api/v1/cohorts/{cohort['id']}/enrolments"
        status, body = self.server.request("POST", path, {"accountid": account["id"], "role": "mentor"})
        self.assertEqual(status, 409, body)
        self.assertEqual(body["error"]["reason"], "enrolment_closed")
        self.assertEqual(self.server.request("GET", path)[1]["items"], [])

    def test_bad_requests_get_specific_json_errors(self):
        cases = [
            ("POST", "/api/v1/schemes", b"{", "invalid_json"),
            ("POST", "/api/v1/schemes", {"name": "x", "colour": "red"}, "unknown_field"),
            ("POST", "/api/v1/schemes", {"name": "x", "type": "sideways"}, "scheme_type_invalid"),
            ("POST", "/api/v1/schemes/1/cohorts", {"name": "c", "opens_on": "2026-02-30", "closes_on": "2026-03-01",
                                                   "starts_on": "2026-03-01", "ends_on": "2026-09-01"},
             "field_not_date"),
            ("GET", "/api/v1/schemes/abc", None, None),
            ("GET", "/api/v1/schemes/999999", None, "scheme_not_found"),
            ("GET", "/api/v1/schemes?limit=5000", None, "query_limit_out_of_range"),
        ]
        for method, path, body, reason in cases:
            with self.subTest(path=path, reason=reason):
                status, payload = self.server.request(method, path, body)
                self.assertGreaterEqual(status, 400)
                self.assertLess(status, 500)
                self.assertIn("error", payload)
                if reason:
                    self.assertEqual(payload["error"]["reason"], reason)
                self.assertTrue(payload["error"]["message"])

    def test_authentication_is_required_for_the_api(self):
        status, body = self.server.request("GET", "/api/v1/schemes", token=None)
        self.assertEqual(status, 401)
        status, body = self.server.request("GET", "/api/v1/schemes", token="x" * len(TOKEN))
        self.assertEqual((status, body["error"]["reason"]), (401, "api_token_invalid"))

    def test_oversized_body_is_refused_and_server_keeps_serving(self):
        status, body = self.server.request("POST", "/api/v1/schemes", b"{" + b" " * 70000 + b"}")
        self.assertEqual(status, 413)
        self.assertEqual(self.server.request("GET", "/healthz", token=None)[0], 200)

    def test_malformed_http_gets_400_and_server_keeps_serving(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            reply = s.recv(4096)
        self.assertTrue(reply.startswith(b"HTTP/1.1 400"), reply[:80])
        self.assertEqual(self.server.request("GET", "/healthz", token=None)[0], 200)

    def test_unknown_path_is_a_json_404(self):
        status, body = self.server.request("GET", "/nowhere", token=None)
        self.assertEqual(status, 404)
        self.assertEqual(body["error"]["code"], "not_found")

    def test_many_concurrent_writers_all_succeed(self):
        results = []

        def create(i):
            results.append(self.server.request("POST", "/api/v1/schemes", {"name": f"Concurrent {i}"})[0])

        threads = [threading.Thread(target=create, args=(i,)) for i in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [201] * 40)

    def test_access_log_has_one_line_per_request_without_query(self):
        self.server.request("GET", "/healthz?secret=abc", token=None)
        time.sleep(0.2)
        lines = [l for l in self.server.log if "/healthz" in l]
        self.assertTrue(lines)
        self.assertFalse(any("secret=abc" in l for l in self.server.log))


class StartupFailureTest(unittest.TestCase):
    """Bad configuration or database: one clear line and a non-zero exit."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def check_fails(self, args, *needles):
        r = run_mentoringd(*args)
        self.assertNotEqual(r.returncode, 0, r.stderr)
        for n in needles:
            self.assertIn(n, r.stderr)
        return r

    def test_unknown_flag(self):
        self.check_fails(["check-config", "--http.colour=red"], "http.colour")

    def test_bad_value(self):
        self.check_fails(["check-config", "--http.port=abc"], "http.port")
        self.check_fails(["check-config", "--http.port=99999"], "http.port")

    def test_unknown_key_in_config_file(self):
        path = os.path.join(self.tmp.name, "c.json")
        with open(path, "w") as f:
            json.dump({"http": {"prot": 8080}}, f)
        self.check_fails(["check-config", "--config", path], "http.prot")

    def test_config_file_that_is_not_json(self):
        path = os.path.join(self.tmp.name, "c.json")
        with open(path, "w") as f:
            f.write("port = 8080")
        self.check_fails(["check-config", "--config", path], path)

    def test_check_config_prints_effective_values_and_hides_secrets(self):
        token = "s3cret-" + "x" * 40
        r = subprocess.run([ARGS.mentoringd, "check-config", "--http.port=18123", "--api.service_token=" + token,
                            "--database.url=sqlite3:" + os.path.join(self.tmp.name, "cc.db")],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = {line.split()[0]: line for line in r.stdout.splitlines()[1:] if line.strip()}
        self.assertIn("18123", lines["http.port"])
        self.assertNotIn("(default)", lines["http.port"])
        self.assertIn("(default)", lines["http.threads"])
        self.assertIn("(set, hidden)", lines["api.service_token"])
        self.assertNotIn(token, r.stdout)

    def test_environment_variables_are_read(self):
        env = dict(os.environ, MENTORING_HTTP_PORT="notaport")
        r = subprocess.run([ARGS.mentoringd, "check-config"], capture_output=True, text=True, env=env, timeout=60)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("MENTORING_HTTP_PORT", r.stderr)

    @unittest.skipIf(ARGS.backend != "sqlite", "SQLite files only")
    def test_corrupt_sqlite_file(self):
        path = os.path.join(self.tmp.name, "corrupt.db")
        with open(path, "wb") as f:
            f.write(os.urandom(8192))
        self.check_fails(["migrate", "--database.url=sqlite3:" + path], path)

    @unittest.skipIf(ARGS.backend != "sqlite", "SQLite files only")
    def test_missing_directory(self):
        path = os.path.join(self.tmp.name, "no", "such", "dir", "m.db")
        self.check_fails(["migrate", "--database.url=sqlite3:" + path], os.path.join(self.tmp.name, "no"))

    @unittest.skipIf(ARGS.backend != "postgresql", "PostgreSQL only")
    def test_unreachable_postgresql(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        r = self.check_fails(["migrate", f"--database.url=postgresql://postgres@127.0.0.1:{port}/none"], str(port))
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

    def test_migrate_command_then_newer_database_is_refused(self):
        url, extra = database_url(self.tmp.name)
        r = run_mentoringd("migrate", "--database.url=" + url, *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.search(r"version (\d+)", r.stdout)
        self.assertIsNotNone(m, r.stdout)
        prefix = extra[0].split("=", 1)[1] if extra else "mentoring_"
        future = int(m.group(1)) + 100
        sql = (f"INSERT INTO {prefix}schema_migrations (version, name, applied_at) "
               f"VALUES ({future}, '{future:04d}_from_the_future', 0)")
        if ARGS.backend == "sqlite":
            subprocess.run(["sqlite3", url.split(":", 1)[1], sql], check=True)
        else:
            subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True)
        self.check_fails(["serve", "--http.port=0", "--database.url=" + url, *extra], str(future))


class GracefulStopTest(unittest.TestCase):
    def test_sigint_and_sigterm_stop_with_exit_zero(self):
        with tempfile.TemporaryDirectory() as tmp:
            url, extra = database_url(tmp)
            for sig in (signal.SIGINT, signal.SIGTERM):
                server = Server(url, extra)
                self.assertEqual(server.request("GET", "/healthz", token=None)[0], 200)
                self.assertEqual(server.stop(sig), 0, "".join(server.log))
                self.assertTrue(any("stopped" in l for l in server.log), server.log)


if __name__ == "__main__":
    if ARGS.backend == "postgresql" and not os.environ.get("MENTORING_TEST_POSTGRES_URL"):
        if os.environ.get("MENTORING_REQUIRE_POSTGRES") == "1":
            print("MENTORING_TEST_POSTGRES_URL is not set but MENTORING_REQUIRE_POSTGRES=1")
            sys.exit(1)
        print("skipped: MENTORING_TEST_POSTGRES_URL is not set")
        sys.exit(SKIP_CODE)
    unittest.main(verbosity=2)
