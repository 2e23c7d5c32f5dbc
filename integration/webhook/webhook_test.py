#!/usr/bin/python3
"""Webhooks end to end: mentoringd over loopback HTTP and the reference host
(integration/webhook/reference_host.py, an independent Standard Webhooks
implementation in Python's standard library).

  * inbound events are applied exactly once (duplicates, out-of-order
    updates), and refused deliveries (bad signature, stale timestamp,
    oversized body, malformed JSON, unknown event type) get their own reason
    and change nothing;
  * an account deletion leaves nothing personal in the database;
  * the outbound `mentoring.enrolled` event arrives with a valid signature and
    is retried after failures;
  * kill test: mentoringd is killed with SIGKILL at random moments while the
    host keeps resending; after restart every acknowledged delivery is
    applied exactly once.

Runs on SQLite (--backend sqlite) or on the PostgreSQL server named by
MENTORING_TEST_POSTGRES_URL (--backend postgresql).
"""
import argparse
import datetime
import json
import os
import random
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import http.client

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_host as host  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--mentoringd", required=True)
parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
parser.add_argument("--kill-rounds", type=int, default=6)
ARGS, rest = parser.parse_known_args()
sys.argv = [sys.argv[0]] + rest

TOKEN = "webhook-test-service-token-" + secrets.token_hex(8)
PLATFORM = "https://portal.example.nhs.uk"
SKIP_CODE = 77
WEBHOOK_MAX_BODY = 8192


class Database:
    """Read access to the plugin's tables, for checks the API cannot make."""

    def __init__(self, tmpdir):
        if ARGS.backend == "sqlite":
            self.path = os.path.join(tmpdir, "mentoring.db")
            self.url = "sqlite3:" + self.path
            self.prefix = "mentoring_"
            self.extra = []
        else:
            self.url = os.environ["MENTORING_TEST_POSTGRES_URL"]
            self.prefix = "t" + secrets.token_hex(4) + "_"
            self.extra = ["--database.table_prefix=" + self.prefix]

    def rows(self, sql):
        """Rows of `sql` as lists of strings; {p} is the table prefix."""
        sql = sql.replace("{p}", self.prefix)
        if ARGS.backend == "sqlite":
            conn = sqlite3.connect("file:%s?mode=ro" % self.path, uri=True, timeout=30)
            try:
                return [[("" if v is None else str(v)) for v in row] for row in conn.execute(sql)]
            finally:
                conn.close()
        out = subprocess.run(["psql", self.url, "-X", "-A", "-t", "-F", "\x1f", "-c", sql],
                             capture_output=True, text=True, timeout=60, check=True).stdout
        return [line.split("\x1f") for line in out.splitlines() if line != ""]

    def scalar(self, sql):
        return int(self.rows(sql)[0][0])

    def execute(self, sql):
        sql = sql.replace("{p}", self.prefix)
        if ARGS.backend == "sqlite":
            conn = sqlite3.connect(self.path, timeout=30)
            try:
                conn.execute(sql)
                conn.commit()
            finally:
                conn.close()
        else:
            subprocess.run(["psql", self.url, "-X", "-q", "-c", sql], capture_output=True, timeout=60, check=True)

    def tables(self):
        if ARGS.backend == "sqlite":
            names = self.rows("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            names = self.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        return [n[0] for n in names if n[0].startswith(self.prefix)]

    def drop_all(self):
        if ARGS.backend == "postgresql":
            for t in self.tables():
                self.execute('DROP TABLE IF EXISTS "%s" CASCADE' % t)


class Server:
    """A mentoringd process on a free loopback port."""

    def __init__(self, db, receiver_url, inbound_secret, outbound_secret):
        self.proc = subprocess.Popen(
            [ARGS.mentoringd, "serve", "--database.url=" + db.url, "--http.port=0", "--http.threads=4",
             "--api.service_token=" + TOKEN, "--http.max_body_bytes=1048576", "--log.access=false",
             "--webhook.inbound_secrets=" + inbound_secret, "--webhook.outbound_secrets=" + outbound_secret,
             "--webhook.target_url=" + receiver_url, "--webhook.retry_base_seconds=1",
             "--webhook.retry_max_seconds=2", "--webhook.poll_interval_ms=100",
             "--webhook.max_body_bytes=%d" % WEBHOOK_MAX_BODY, "--webhook.send_timeout_ms=3000", *db.extra],
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

    def request(self, method, path, body=None, token=TOKEN):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        hs = {}
        if token:
            hs["Authorization"] = "Bearer " + token
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hs["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=hs)
        res = conn.getresponse()
        raw = res.read()
        conn.close()
        return res.status, (json.loads(raw) if raw else None)

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=30)
        self._drain.join(timeout=5)
        return code


def data(subject, **fields):
    d = {"platform": PLATFORM, "subject": subject}
    d.update(fields)
    return d


class WebhookTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = Database(cls.tmp.name)
        cls.inbound_secret = host.new_secret()
        cls.outbound_secret = host.new_secret()
        cls.receiver = host.Receiver([cls.outbound_secret])
        cls.server = Server(cls.db, cls.receiver.url, cls.inbound_secret, cls.outbound_secret)
        cls.sender = host.Sender(cls.server.port, cls.inbound_secret)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.receiver.close()
        cls.db.drop_all()
        cls.tmp.cleanup()
        assert code == 0, "mentoringd exited with %s:\n%s" % (code, "".join(cls.server.log))

    # -- helpers --

    def send(self, event_type, payload, when=None, msg_id=None, **kw):
        return self.sender.send(host.event_body(event_type, payload, when), msg_id=msg_id, **kw)

    def inbox(self, state=None):
        path = "/api/v1/webhooks/inbox?limit=1000" + ("&state=" + state if state else "")
        status, body = self.server.request("GET", path)
        self.assertEqual(status, 200, body)
        return body["items"]

    def inbox_row(self, msg_id):
        return next((r for r in self.inbox() if r["webhook_id"] == msg_id), None)

    def settle(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.inbox("pending"):
                return
            time.sleep(0.05)
        self.fail("the inbox did not drain: %s" % self.inbox("pending"))

    def account(self, subject):
        rows = self.db.rows("SELECT id, display_name, email, status FROM {p}accounts WHERE platform = '%s' "
                            "AND subject = '%s'" % (PLATFORM, subject))
        return rows[0] if rows else None

    # -- inbound --

    def test_inbound_event_is_applied_exactly_once_and_duplicates_are_acknowledged(self):
        body = host.event_body("account.updated", data("wh-1", name="Dr Ada Lovelace", email="ada@example.nhs.uk",
                                                        gmc_number="7654321", career_stage="st3",
                                                        specialty="Cardiology", programme="Cardiology ST3+",
                                                        site="St Elsewhere", region="London"))
        status, reply = self.sender.send(body, msg_id="msg_wh1")
        self.assertEqual((status, reply["status"]), (200, "accepted"))
        # Committed before the reply.
        self.assertEqual(self.db.scalar("SELECT count(*) FROM {p}webhook_inbox WHERE msgid = 'msg_wh1'"), 1)
        for _ in range(3):
            status, reply = self.sender.send(body, msg_id="msg_wh1")
            self.assertEqual((status, reply["status"]), (200, "duplicate"))
        self.settle()
        account = self.account("wh-1")
        self.assertIsNotNone(account)
        self.assertEqual(account[1:], ["Dr Ada Lovelace", "ada@example.nhs.uk", "active"])
        self.assertEqual(self.db.rows("SELECT gmc_number, career_stage, programme, site, region FROM "
                                      "{p}webhook_accounts WHERE accountid = %s" % account[0]),
                         [["7654321", "st3", "Cardiology ST3+", "St Elsewhere", "London"]])
        self.assertEqual(self.inbox_row("msg_wh1")["state"], "done")
        # A duplicate after it was applied is still only acknowledged.
        status, reply = self.sender.send(body, msg_id="msg_wh1")
        self.assertEqual(reply["status"], "duplicate")
        self.assertEqual(self.db.scalar("SELECT count(*) FROM {p}webhook_inbox WHERE msgid = 'msg_wh1'"), 1)

    def test_refused_deliveries_get_specific_reasons_and_change_nothing(self):
        before = self.db.scalar("SELECT count(*) FROM {p}webhook_inbox")
        accounts_before = self.db.scalar("SELECT count(*) FROM {p}accounts")
        good = host.event_body("account.updated", data("wh-refused", name="Dr Refused"))
        other_secret = host.new_secret()
        cases = [
            ("bad signature", dict(body=good, secret=other_secret), 401, "webhook_signature_invalid"),
            ("no v1 entry", dict(body=good, signature="v1a,abc"), 401, "webhook_signature_unsupported"),
            ("stale timestamp", dict(body=good, timestamp=time.time() - 301), 401, "webhook_timestamp_too_old"),
            ("future timestamp", dict(body=good, timestamp=time.time() + 301), 401, "webhook_timestamp_in_future"),
            ("oversized body", dict(body=good + b" " * WEBHOOK_MAX_BODY), 413, "webhook_body_too_large"),
            ("malformed JSON", dict(body=b'{"type":"account.updated",'), 400, "webhook_body_invalid_json"),
            ("unknown event type", dict(body=host.event_body("account.renamed", data("wh-refused"))), 400,
             "webhook_event_type_unknown"),
            ("bad timestamp field", dict(body=json.dumps({"type": "account.updated", "timestamp": "yesterday",
                                                          "data": data("wh-refused")}).encode()), 400,
             "webhook_timestamp_field_invalid"),
            ("bad field", dict(body=host.event_body("account.updated", data("wh-refused", email="nope"))), 400,
             "event_email_invalid"),
            ("id with a dot", dict(body=good, msg_id="msg.1"), 400, "webhook_id_invalid"),
        ]
        for name, kw, expected_status, reason in cases:
            with self.subTest(name):
                body = kw.pop("body")
                status, reply = self.sender.send(body, **kw)
                self.assertEqual(status, expected_status, reply)
                self.assertEqual(reply["error"]["reason"], reason)
                self.assertTrue(reply["error"]["message"])
        self.assertEqual(self.db.scalar("SELECT count(*) FROM {p}webhook_inbox"), before)
        time.sleep(0.3)
        self.assertEqual(self.db.scalar("SELECT count(*) FROM {p}accounts"), accounts_before)
        self.assertIsNone(self.account("wh-refused"))

    def test_older_updates_arriving_late_are_acknowledged_and_ignored(self):
        now = time.time()
        self.assertEqual(self.send("account.updated", data("wh-2", name="Dr Newer Name"), now - 10,
                                   "msg_wh2_new")[0], 200)
        self.settle()
        status, reply = self.send("account.updated", data("wh-2", name="Dr Older Name"), now - 20, "msg_wh2_old")
        self.assertEqual((status, reply["status"]), (200, "accepted"))
        self.settle()
        self.assertEqual(self.account("wh-2")[1], "Dr Newer Name")
        row = self.inbox_row("msg_wh2_old")
        self.assertEqual(row["state"], "ignored")
        self.assertTrue(row["last_error"].startswith("event_out_of_order"), row)

    def test_events_for_unknown_people_are_dead_lettered_and_replayable(self):
        now = time.time()
        self.assertEqual(self.send("placement.changed", data("wh-3", site="Royal Infirmary"), now - 5,
                                   "msg_wh3_placement")[0], 200)
        self.settle()
        dead = [r for r in self.inbox("dead") if r["webhook_id"] == "msg_wh3_placement"]
        self.assertEqual(len(dead), 1)
        self.assertTrue(dead[0]["last_error"].startswith("account_unknown"), dead[0])
        status, body = self.server.request("GET", "/api/v1/webhooks/inbox?state=dead", token=None)
        self.assertEqual(status, 401)
        self.assertEqual(self.send("account.created", data("wh-3", name="Dr Cy"), now - 50)[0], 200)
        self.settle()
        status, row = self.server.request("POST", "/api/v1/webhooks/inbox/%d/replay" % dead[0]["id"])
        self.assertEqual((status, row["state"]), (200, "pending"), row)
        self.settle()
        self.assertEqual(self.inbox_row("msg_wh3_placement")["state"], "done")
        self.assertEqual(self.db.rows("SELECT site FROM {p}webhook_accounts WHERE accountid = %s"
                                      % self.account("wh-3")[0]), [["Royal Infirmary"]])
        status, again = self.server.request("POST", "/api/v1/webhooks/inbox/%d/replay" % dead[0]["id"])
        self.assertEqual((status, again["error"]["reason"]), (409, "webhook_inbox_not_dead"))

    def test_account_deletion_leaves_nothing_personal_behind(self):
        name, email, subject = "Dr Zelda Erasable", "zelda.erasable@example.nhs.uk", "wh-erase-zelda"
        now = time.time()
        self.assertEqual(self.send("account.updated", data(subject, name=name, email=email, gmc_number="1928374",
                                                           site="Erasure General", region="Deletion Deanery"),
                                   now - 30)[0], 200)
        self.assertEqual(self.send("programme_enrolment.changed", data(subject, programme="Zelda Programme",
                                                                       status="enrolled"), now - 20)[0], 200)
        self.settle()
        account = self.account(subject)
        self.assertIsNotNone(account)
        accountid = account[0]
        # Something aggregate-safe that must survive, anonymised: an enrolment.
        today = datetime.date.today()
        _, scheme = self.server.request("POST", "/api/v1/schemes", {"name": "Erasure scheme"})
        _, cohort = self.server.request("POST", "/api/v1/schemes/%d/cohorts" % scheme["id"], {
            "name": "Now", "opens_on": (today - datetime.timedelta(days=1)).isoformat(),
            "closes_on": (today + datetime.timedelta(days=7)).isoformat(),
            "starts_on": (today + datetime.timedelta(days=7)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=300)).isoformat()})
        status, enrolment = self.server.request("POST", "/api/v1/cohorts/%d/enrolments" % cohort["id"],
                                                {"accountid": int(accountid), "role": "mentee"})
        self.assertEqual(status, 201, enrolment)

        self.assertEqual(self.send("account.deleted", data(subject), now - 10, "msg_erase_1")[0], 200)
        self.settle()
        self.assertEqual(self.inbox_row("msg_erase_1")["state"], "done")
        # An older update arriving late cannot bring the person back.
        self.assertEqual(self.send("account.updated", data(subject, name=name, email=email), now - 25,
                                   "msg_erase_late")[0], 200)
        self.settle()
        self.assertEqual(self.inbox_row("msg_erase_late")["state"], "ignored")

        needles = [name, email, subject, "1928374", "Zelda", "zelda"]
        for table in self.db.tables():
            for row in self.db.rows("SELECT * FROM " + table):
                text = "\x1f".join(row)
                for needle in needles:
                    self.assertNotIn(needle, text, "%s still holds %r: %r" % (table, needle, row))
        # The account row stays, anonymised, so the enrolment still counts.
        self.assertEqual(self.db.rows("SELECT display_name, email, status FROM {p}accounts WHERE id = %s"
                                      % accountid), [["", "", "suspended"]])
        self.assertEqual(self.db.scalar("SELECT count(*) FROM {p}enrolments WHERE accountid = %s" % accountid), 1)

    # -- outbound --

    def enrol_someone(self, subject):
        today = datetime.date.today()
        _, scheme = self.server.request("POST", "/api/v1/schemes", {"name": "Outbound scheme " + subject})
        _, cohort = self.server.request("POST", "/api/v1/schemes/%d/cohorts" % scheme["id"], {
            "name": "Now", "opens_on": (today - datetime.timedelta(days=1)).isoformat(),
            "closes_on": (today + datetime.timedelta(days=7)).isoformat(),
            "starts_on": (today + datetime.timedelta(days=7)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=300)).isoformat()})
        _, account = self.server.request("PUT", "/api/v1/accounts", {"platform": PLATFORM, "subject": subject,
                                                                     "display_name": "Dr Out"})
        status, enrolment = self.server.request("POST", "/api/v1/cohorts/%d/enrolments" % cohort["id"],
                                                {"accountid": account["id"], "role": "mentee"})
        self.assertEqual(status, 201, enrolment)
        return enrolment, cohort, scheme

    def enrolled_event(self, enrolment_id):
        def find(receiver):
            return [e for e in receiver.events("mentoring.enrolled") if e["data"]["enrolment_id"] == enrolment_id]
        return self.receiver.wait_for(find, timeout=30)

    def test_enrolled_event_is_delivered_with_a_valid_signature(self):
        enrolment, cohort, scheme = self.enrol_someone("wh-out-1")
        events = self.enrolled_event(enrolment["id"])
        self.assertEqual(len(events), 1, self.receiver.rejected)
        event = events[0]
        self.assertEqual(event["data"], {"enrolment_id": enrolment["id"], "cohort_id": cohort["id"],
                                         "scheme_id": scheme["id"], "role": "mentee",
                                         "account": {"platform": PLATFORM, "subject": "wh-out-1"}})
        self.assertRegex(event["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(self.receiver.rejected, [])
        status, log = self.server.request("GET", "/api/v1/webhooks/outbox?state=delivered")
        self.assertEqual(status, 200)
        self.assertIn(enrolment["id"], [i["data"]["enrolment_id"] for i in log["items"]
                                        if i["type"] == "mentoring.enrolled"])

    def test_enrolled_event_is_retried_after_failures(self):
        with self.receiver.lock:
            self.receiver.fail_next = 2
        enrolment, _, _ = self.enrol_someone("wh-out-2")
        events = self.enrolled_event(enrolment["id"])
        self.assertEqual(len(events), 1, self.server.log[-20:])
        msg_ids = [m for m, _, b in self.receiver.deliveries if json.loads(b)["data"].get("enrolment_id")
                   == enrolment["id"]]
        self.assertEqual(len(msg_ids), 1)
        self.assertEqual(self.receiver.attempts[msg_ids[0]], 3)
        # The receiver answers before the sender records the delivery: wait
        # for the outbox row to say so.
        row, deadline = None, time.monotonic() + 10
        while row is None and time.monotonic() < deadline:
            status, log = self.server.request("GET", "/api/v1/webhooks/outbox?state=delivered&limit=1000")
            self.assertEqual(status, 200)
            row = next((i for i in log["items"] if i["webhook_id"] == msg_ids[0]), None)
            if row is None:
                time.sleep(0.05)
        self.assertIsNotNone(row, "the delivery is not recorded as delivered")
        self.assertEqual((row["attempts"], row["last_status"]), (3, 204))

    def test_delivery_log_api_checks_its_input(self):
        self.assertEqual(self.server.request("GET", "/api/v1/webhooks/outbox?state=lost")[1]["error"]["reason"],
                         "query_parameter_invalid")
        self.assertEqual(self.server.request("POST", "/api/v1/webhooks/outbox/999999/retry")[0], 404)
        self.assertEqual(self.server.request("GET", "/api/v1/webhooks/outbox", token="x" * 40)[0], 401)


class KillTest(unittest.TestCase):
    """SIGKILL mentoringd at random moments while the host keeps resending."""

    def test_every_acknowledged_delivery_is_applied_exactly_once_across_crashes(self):
        tmp = tempfile.TemporaryDirectory()
        db = Database(tmp.name)
        inbound, outbound = host.new_secret(), host.new_secret()
        receiver = host.Receiver([outbound])
        server = Server(db, receiver.url, inbound, outbound)
        rng = random.Random(int(os.environ.get("WEBHOOK_KILL_SEED", "20261125")))
        try:
            sender = host.Sender(server.port, inbound)
            base = time.time() - 60
            status, _ = sender.send(host.event_body("account.updated", data("kill-1", name="Dr Kill"), base),
                                    msg_id="msg_kill_create")
            self.assertEqual(status, 200)
            deadline = time.time() + 30
            while not db.rows("SELECT id FROM {p}accounts WHERE subject = 'kill-1'") and time.time() < deadline:
                time.sleep(0.05)
            accountid = int(db.rows("SELECT id FROM {p}accounts WHERE subject = 'kill-1'")[0][0])
            status, _ = server.request("PUT", "/api/v1/accounts/%d/evaluation-consent" % accountid, {"given": True})
            if status != 200:
                db.execute("INSERT INTO {p}evaluation_consents (accountid, given, recorded_on, timecreated, "
                           "timemodified) VALUES (%d, 1, '2026-11-25', 0, 0)" % accountid)
            # Each event adds one training outcome row when applied, so a
            # double application shows as an extra row. They share one event
            # time so none is "older" than another.
            events = [("msg_kill_%03d" % i,
                       host.event_body("training_outcome.recorded",
                                       data("kill-1", outcome="1", recorded_on="2026-06-30",
                                            programme="run %d" % i), base + 1))
                      for i in range(150)]
            acked = set()
            state = {"server": server, "stop": False}
            lock = threading.Lock()

            def resend():
                while not state["stop"]:
                    msg_id, body = rng.choice(events)
                    with lock:
                        port = state["server"].port
                    try:
                        status, reply = host.Sender(port, inbound).send(body, msg_id=msg_id, timeout=2)
                    except OSError:
                        time.sleep(0.01)
                        continue
                    if status == 200:
                        with lock:
                            acked.add(msg_id)

            threads = [threading.Thread(target=resend) for _ in range(3)]
            for t in threads:
                t.start()
            for _ in range(ARGS.kill_rounds):
                time.sleep(rng.uniform(0.2, 1.2))
                with lock:
                    victim = state["server"]
                victim.proc.send_signal(signal.SIGKILL)
                victim.proc.wait(timeout=30)
                replacement = Server(db, receiver.url, inbound, outbound)
                with lock:
                    state["server"] = replacement
            # Keep resending until everything has been acknowledged once.
            deadline = time.time() + 60
            while len(acked) < len(events) and time.time() < deadline:
                time.sleep(0.1)
            state["stop"] = True
            for t in threads:
                t.join()
            server = state["server"]
            self.assertEqual(len(acked), len(events))
            deadline = time.time() + 60
            while time.time() < deadline:
                if db.scalar("SELECT count(*) FROM {p}webhook_inbox WHERE state = 'pending'") == 0:
                    break
                time.sleep(0.1)
            states = dict((r[0], r[1]) for r in db.rows("SELECT msgid, state FROM {p}webhook_inbox"))
            for msg_id in acked:
                self.assertEqual(states.get(msg_id), "done", msg_id)
            self.assertEqual(db.scalar("SELECT count(*) FROM {p}webhook_training_outcomes WHERE accountid = %d"
                                       % accountid), len(events))
            self.assertEqual(db.scalar("SELECT count(DISTINCT programme) FROM {p}webhook_training_outcomes"),
                             len(events))
        finally:
            code = server.stop()
            receiver.close()
            db.drop_all()
            tmp.cleanup()
        self.assertEqual(code, 0, "".join(server.log[-30:]))


if __name__ == "__main__":
    if ARGS.backend == "postgresql" and not os.environ.get("MENTORING_TEST_POSTGRES_URL"):
        if os.environ.get("MENTORING_REQUIRE_POSTGRES") == "1":
            print("MENTORING_TEST_POSTGRES_URL is not set but MENTORING_REQUIRE_POSTGRES=1")
            sys.exit(1)
        print("skipped: MENTORING_TEST_POSTGRES_URL is not set")
        sys.exit(SKIP_CODE)
    unittest.main(verbosity=2)
