#!/usr/bin/env python3
"""The demo's pilot history end to end: pilot_history.py seeds a small pilot
year (40 mentees, 12 mentors, 30 comparator trainees) into a fresh SQLite
file on a mentoringd under libfaketime, then a mentoringd on the real clock
reads it back through the API: the pilot's report has its pairings, held
meetings, baseline and end survey responses and outcomes, compared with the
year before. A second run leaves the data alone, and a run on another file
gives the same report (seeded, deterministic).
"""
import argparse
import base64
import datetime
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--mentoringd", required=True)
ARGS, rest = parser.parse_known_args()
sys.argv = [sys.argv[0]] + rest

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "pilot-history-test-token-" + secrets.token_hex(8)
KEY = "1:" + base64.b64encode(secrets.token_bytes(32)).decode()
SIZES = ["--mentees", "40", "--mentors", "12", "--comparator", "30"]


def seed(db):
    env = dict(os.environ, MENTORING_PRIVACY_DEMOGRAPHICS_KEYS=KEY)
    out = subprocess.run([sys.executable, os.path.join(HERE, "pilot_history.py"), "--mentoringd", ARGS.mentoringd,
                          "--database-url", "sqlite3:" + db, "--token", TOKEN, *SIZES],
                         capture_output=True, text=True, timeout=120, env=env)
    if out.returncode != 0:
        raise AssertionError("pilot_history.py failed:\n" + out.stdout + out.stderr)
    return out.stdout


class Server:
    """mentoringd on the real clock, on a free loopback port."""

    def __init__(self, db):
        self.proc = subprocess.Popen(
            [ARGS.mentoringd, "serve", "--database.url=sqlite3:" + db, "--http.port=0", "--http.threads=2",
             "--api.service_token=" + TOKEN, "--privacy.demographics_keys=" + KEY, "--webhook.worker=false"],
            stderr=subprocess.PIPE, text=True)
        self.log, self.port = [], None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.port is None:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.log.append(line)
            m = re.search(r"serving on port (\d+)", line)
            if m:
                self.port = int(m.group(1))
        if self.port is None:
            self.proc.kill()
            raise RuntimeError("mentoringd did not start:\n" + "".join(self.log))
        self.drain = threading.Thread(target=lambda: [self.log.append(x) for x in self.proc.stderr], daemon=True)
        self.drain.start()

    def get(self, path, actor=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                     headers={"Authorization": "Bearer " + TOKEN})
        if actor is not None:
            req.add_header("X-Mentoring-Actor", str(actor))
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.loads(res.read())

    def stop(self):
        self.proc.terminate()
        code = self.proc.wait(timeout=30)
        self.drain.join(timeout=5)
        self.proc.stderr.close()
        return code

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def shown(count):
    """The value of a published count (None when withheld)."""
    return count["value"]


class PilotHistoryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "demo.db")
        started = time.monotonic()
        cls.first_run = seed(cls.db)
        cls.seconds = time.monotonic() - started
        with Server(cls.db) as s:
            cls.read_back(s)

    @classmethod
    def read_back(cls, s):
        schemes = [x for x in s.get("/api/v1/schemes?limit=1000")["items"]
                   if x["name"] == "North West Foundation mentoring (demo)"]
        assert len(schemes) == 1, schemes
        cls.scheme = schemes[0]["id"]
        cohorts = {c["name"]: c for c in s.get(f"/api/v1/schemes/{cls.scheme}/cohorts")["items"]}
        cls.cohorts = cohorts
        cls.pilot = cohorts["2025 pilot intake"]
        cls.comparator = cohorts["2024 intake (not mentored)"]
        cls.report = s.get(f"/api/v1/schemes/{cls.scheme}/report?cohort={cls.pilot['id']}"
                           f"&compare={cls.comparator['id']}")
        cls.pairings = s.get(f"/api/v1/cohorts/{cls.pilot['id']}/pairings?limit=1000")["items"]
        cls.checkins = s.get(f"/api/v1/cohorts/{cls.pilot['id']}/checkins/summary")["items"]
        enrolments = s.get(f"/api/v1/cohorts/{cls.pilot['id']}/enrolments?role=mentee&limit=1000")["items"]
        account_of = {e["id"]: e["accountid"] for e in enrolments}
        cls.sessions = s.get(f"/api/v1/cohorts/{cls.pilot['id']}/sessions")["items"]
        mentors = s.get(f"/api/v1/cohorts/{cls.pilot['id']}/enrolments?role=mentor&limit=1000")["items"]
        cls.mentor_enrolments = {e["id"] for e in mentors}
        cls.mentee_enrolments = set(account_of)
        first = min(cls.pairings, key=lambda p: p["id"])
        cls.relationship = s.get(f"/api/v1/relationships/{first['id']}", actor=account_of[first["menteeid"]])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_pilot_lies_in_the_past_and_its_comparator_before_it(self):
        today = datetime.date.today().isoformat()
        self.assertLess(self.comparator["ends_on"], self.pilot["starts_on"])
        self.assertLess(self.pilot["ends_on"], today)
        self.assertEqual(self.pilot["matching_model"], "assigned")

    def test_every_mentee_was_paired_and_the_pairings_have_ended(self):
        self.assertEqual(len(self.pairings), 40)
        self.assertTrue(all(p["state"] == "ended" for p in self.pairings), self.pairings)
        completed = [p for p in self.pairings if p["end_reason"] == "completed"]
        self.assertGreaterEqual(len(completed), 30)
        engagement = self.report["engagement"]
        self.assertEqual(shown(engagement["matched"]["overall"]["numerator"]), 40)
        self.assertEqual(shown(engagement["pairings_completed"]), len(completed))
        self.assertGreaterEqual(shown(engagement["meetings_held"]), 100)

    def test_a_relationship_has_its_agreement_meetings_and_goals(self):
        r = self.relationship
        self.assertEqual(r["agreement"]["status"], "accepted")
        states = {m["state"] for m in r["meetings"]}
        self.assertIn("held", states)
        self.assertTrue(states <= {"held", "missed", "cancelled"}, states)
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.assertTrue(all(m["starts_at"] < now for m in r["meetings"]))
        self.assertGreaterEqual(len(r["goals"]), 1)

    def test_baseline_midpoint_and_end_rounds_have_answers(self):
        by_phase = {r["phase"]: shown(r["respondents"]["total"]) for r in self.report["responses"]}
        self.assertEqual(set(by_phase), {"baseline", "midpoint", "end"})
        for phase in ("baseline", "end"):
            self.assertGreaterEqual(by_phase[phase] or 0, 10, by_phase)
        change = {c["key"]: c for c in self.report["survey_change"]}
        self.assertEqual(change["confidence"]["after_phase"], "end")
        self.assertIsNotNone(change["confidence"]["analysis"], change["confidence"])
        self.assertGreater(change["confidence"]["analysis"]["mean_difference"], 0)
        compared = [c for c in self.report["comparison"] if c["comparison"]]
        self.assertTrue(compared, self.report["comparison"])

    def test_outcomes_for_the_pilot_and_its_comparator(self):
        for section in (self.report["outcomes"], self.report["comparator_outcomes"]):
            self.assertGreaterEqual(shown(section["arcp"]["total"]) or 0, 10, section["arcp"])
            self.assertIsNotNone(section["fy1_preparedness_summary"], section)

    def test_midpoint_and_end_check_ins_were_answered(self):
        tallies = {(t["phase"], t["role"]): t for t in self.checkins}
        for key in (("midpoint", "mentee"), ("end", "mentee"), ("end", "mentor")):
            self.assertFalse(tallies[key]["withheld"], tallies[key])
            self.assertGreaterEqual(tallies[key]["responses"], 10)

    def test_the_group_check_in_and_end_meeting_were_held_and_the_end_meeting_gave_mentors_cpd(self):
        self.assertEqual([x["kind"] for x in self.sessions], ["midpoint", "end"])
        for session in self.sessions:
            self.assertLess(session["starts_at"], time.time())
            recorded = {a["enrolmentid"] for a in session["attendance"]}
            self.assertEqual(recorded, self.mentee_enrolments | self.mentor_enrolments)
            came = [a for a in session["attendance"] if a["attended"]]
            self.assertGreaterEqual(len([a for a in came if a["enrolmentid"] in self.mentee_enrolments]), 10)
            self.assertGreaterEqual(len([a for a in came if a["enrolmentid"] in self.mentor_enrolments]), 5)
        midpoint, end = self.sessions
        self.assertTrue(all(a["cpd_entryid"] is None for a in midpoint["attendance"]))
        for a in end["attendance"]:
            gets_cpd = a["attended"] and a["enrolmentid"] in self.mentor_enrolments
            self.assertEqual(a["cpd_entryid"] is not None, gets_cpd, a)

    def test_a_second_run_leaves_the_data_alone(self):
        self.assertIn("already has its pilot history", seed(self.db))
        with Server(self.db) as s:
            again = s.get(f"/api/v1/schemes/{self.scheme}/report?cohort={self.pilot['id']}"
                          f"&compare={self.comparator['id']}")
            self.assertEqual(len(s.get(f"/api/v1/schemes/{self.scheme}/cohorts")["items"]), len(self.cohorts))
        self.assertEqual(again, self.report)

    def test_the_same_seed_gives_the_same_history(self):
        other = os.path.join(self.tmp.name, "other.db")
        seed(other)
        with Server(other) as s:
            report = s.get(f"/api/v1/schemes/{self.scheme}/report?cohort={self.pilot['id']}"
                           f"&compare={self.comparator['id']}")
        self.assertEqual(report, self.report)


if __name__ == "__main__":
    unittest.main(verbosity=2)
