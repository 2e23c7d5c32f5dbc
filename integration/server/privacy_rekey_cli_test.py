#!/usr/bin/env python3
"""`mentoringd privacy rekey-concerns` and `rekey-demographics` end to end.

The commands run in-process against an SQLite file, as the administration
API with api.service_token, in the name of --actor: the flags are checked,
an actor without the confidential data responsibility is refused, and the
holder gets the counts back.
"""
import argparse
import datetime
import json
import os
import secrets
import subprocess
import sys
import tempfile
import unittest

parser = argparse.ArgumentParser()
parser.add_argument("--mentoringd", required=True)
ARGS, rest = parser.parse_known_args()
sys.argv = [sys.argv[0]] + rest

TOKEN = "rekey-cli-test-token-" + secrets.token_hex(8)
# Version 1 (bytes 0..31) and version 2 (bytes 32..63); 2 is current.
KEYS = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="


class PrivacyRekeyCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.flags = ["--database.url=sqlite3:" + os.path.join(cls.tmp.name, "m.db"),
                     "--api.service_token=" + TOKEN, "--privacy.demographics_keys=" + KEYS,
                     "--webhook.worker=false"]
        r = cls.run_cli("migrate")
        assert r.returncode == 0, r.stderr
        cls.dpo = cls.api("PUT", "/api/v1/accounts", {"platform": "https://portal.example.nhs.uk",
                                                     "subject": "dpo", "display_name": "Data Protection Lead"})["id"]
        cls.other = cls.api("PUT", "/api/v1/accounts", {"platform": "https://portal.example.nhs.uk",
                                                       "subject": "other", "display_name": "Someone Else"})["id"]
        scheme = cls.api("POST", "/api/v1/schemes", {"name": "Foundation mentoring"})["id"]
        due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        cls.api("PUT", f"/api/v1/schemes/{scheme}/governance", {"assignments": [
            {"responsibility": "confidential_data", "accountid": cls.dpo, "reports_to": "Postgraduate Dean",
             "cadence": "quarterly", "next_report_due": due}]})

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def run_cli(cls, *args):
        return subprocess.run([ARGS.mentoringd, *args, *cls.flags], capture_output=True, text=True, timeout=120)

    @classmethod
    def api(cls, method, target, body):
        r = cls.run_cli("request", method, target, json.dumps(body), "--header",
                        "Authorization: Bearer " + TOKEN)
        assert r.returncode == 0, r.stdout + r.stderr
        return json.loads(r.stdout.split("\n", 1)[1])

    def answer(self, r):
        status, body = r.stdout.split("\n", 1)
        return int(status), json.loads(body)

    def test_the_actor_is_required_and_checked(self):
        r = self.run_cli("privacy", "rekey-concerns")
        self.assertEqual(r.returncode, 2)
        self.assertIn("needs --actor ID", r.stderr)
        r = self.run_cli("privacy", "rekey-concerns", "--actor", "abc")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--actor must be an account id", r.stderr)
        r = self.run_cli("privacy", "rekey-everything", "--actor", str(self.dpo))
        self.assertEqual(r.returncode, 2)
        self.assertIn("'rekey-concerns' or 'rekey-demographics'", r.stderr)

    def test_someone_without_the_confidential_data_responsibility_is_refused(self):
        r = self.run_cli("privacy", "rekey-concerns", "--actor", str(self.other))
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        status, body = self.answer(r)
        self.assertEqual(status, 403)
        self.assertEqual(body["error"]["reason"], "confidential_access_required")

    def test_the_holder_rekeys_concerns_and_demographics(self):
        r = self.run_cli("privacy", "rekey-concerns", "--actor", str(self.dpo))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        status, body = self.answer(r)
        self.assertEqual(status, 200)
        self.assertEqual(body["key_version"], 2)
        self.assertEqual(body["concerns"], {"reencrypted": 0, "already_current": 0})
        self.assertEqual(body["actions"], {"reencrypted": 0, "already_current": 0})
        r = self.run_cli("privacy", "rekey-demographics", "--actor", str(self.dpo))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        status, body = self.answer(r)
        self.assertEqual((status, body["key_version"]), (200, 2))


if __name__ == "__main__":
    unittest.main()
