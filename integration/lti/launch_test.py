#!/usr/bin/python3
"""End-to-end LTI 1.3 launches: a real mentoringd and the platform simulator.

The simulator (platform_simulator.py) signs id_tokens with PyJWT, so the
plugin's JOSE code is checked against an independent implementation. Every
rejected launch is checked to have created no session, account or nonce row.

Runs on SQLite (--backend sqlite) or on the PostgreSQL named by
MENTORING_TEST_POSTGRES_URL (--backend postgresql; skipped with exit code 77
when unset, unless MENTORING_REQUIRE_POSTGRES=1).
"""
import argparse
import html
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
import urllib.parse
import warnings

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platform_simulator  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--mentoringd", required=True)
parser.add_argument("--backend", choices=["sqlite", "postgresql"], required=True)
ARGS, rest = parser.parse_known_args()
sys.argv = [sys.argv[0]] + rest

TOKEN = "lti-test-service-token-" + secrets.token_hex(8)
SKIP_CODE = 77
LEARNER_CAPS = ["mentoring/mentee:participate"]
MENTOR_CAPS = ["mentoring/mentor:participate"]
STAFF_CAPS = ["mentoring/evaluation:view", "mentoring/pairing:assign", "mentoring/scheme:manage"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    """Row counts straight from the tables, independent of the plugin."""

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

    def count(self, table):
        sql = "SELECT count(*) FROM " + self.prefix + table
        if ARGS.backend == "sqlite":
            with sqlite3.connect(self.path) as conn:
                return conn.execute(sql).fetchone()[0]
        out = subprocess.run(["psql", self.url, "-tAc", sql], capture_output=True, text=True, check=True)
        return int(out.stdout.strip())

    def counts(self):
        return {t: self.count(t) for t in ("sessions", "accounts", "lti_nonces")}

    def drop(self):
        if ARGS.backend != "postgresql":
            return
        sql = ("DO $$ DECLARE r record; BEGIN FOR r IN SELECT tablename FROM pg_tables WHERE tablename LIKE '"
               + self.prefix + "%' LOOP EXECUTE 'DROP TABLE IF EXISTS ' || quote_ident(r.tablename) || ' CASCADE';"
               " END LOOP; END $$;")
        subprocess.run(["psql", self.url, "-qc", sql], capture_output=True, text=True)


class Mentoringd:
    def __init__(self, db, public_url=None, extra=()):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.public_url = public_url or self.base
        self.proc = subprocess.Popen(
            [ARGS.mentoringd, "serve", "--database.url=" + db.url, "--http.port=%d" % self.port,
             "--http.public_url=" + self.public_url, "--api.service_token=" + TOKEN, "--http.threads=4",
             "--lti.jwks_refetch_interval_seconds=0", *db.extra, *extra],
            stderr=subprocess.PIPE, text=True)
        self.log = []
        started = False
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.log.append(line)
            if re.search(r"serving on port (\d+)", line):
                started = True
                break
        if not started:
            self.proc.kill()
            raise RuntimeError("mentoringd did not start:\n" + "".join(self.log))
        threading.Thread(target=lambda: [self.log.append(l) for l in self.proc.stderr], daemon=True).start()

    def api(self, method, path, body=None):
        return requests.request(method, self.base + path, json=body, timeout=10,
                                headers={"Authorization": "Bearer " + TOKEN})

    def stop(self):
        self.proc.terminate()
        return self.proc.wait(timeout=30)


def parse_form(page):
    action = html.unescape(re.search(r'<form[^>]*action="([^"]*)"', page).group(1))
    fields = {html.unescape(n): html.unescape(v)
              for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page)}
    return action, fields


def data_attributes(page, element_id):
    """The attributes of the element with id `element_id`, unescaped."""
    tag = re.search(r'<[a-z]+ [^>]*id="%s"[^>]*>' % re.escape(element_id), page).group(0)
    return {n: html.unescape(v) for n, v in re.findall(r'([a-z-]+)="([^"]*)"', tag)}


def reason_of(response):
    return response.headers.get("X-Mentoring-Reason")


class LaunchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        warnings.simplefilter("ignore", ResourceWarning)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = Database(cls.tmp.name)
        cls.httpd, cls.platform = platform_simulator.serve(0, "http://127.0.0.1:1")
        threading.Thread(target=cls.httpd.serve_forever, daemon=True).start()
        cls.tool = Mentoringd(cls.db)
        cls.platform.tool = cls.tool.base
        cls.platform.tool_jwks_url = cls.tool.base + "/lti/jwks"
        cls.register(cls.platform)

    @classmethod
    def tearDownClass(cls):
        code = cls.tool.stop()
        cls.httpd.shutdown()
        cls.db.drop()
        cls.tmp.cleanup()
        assert code == 0, "mentoringd exited with %s:\n%s" % (code, "".join(cls.tool.log))

    @classmethod
    def register(cls, platform):
        r = cls.tool.api("PUT", "/api/v1/lti/platforms", {
            "issuer": platform.issuer, "client_id": platform.client_id,
            "auth_login_url": platform.base + "/auth", "auth_token_url": platform.base + "/token",
            "jwks_url": platform.base + "/jwks.json", "deployment_ids": [platform.deployment_id]})
        assert r.status_code == 200, r.text
        return r.json()

    def setUp(self):
        self.platform.jwks_mode = "ok"

    # -- helpers ------------------------------------------------------------
    def login(self, browser, kind="trainee", storage=False):
        """Portal -> /lti/login -> platform /auth; returns the auto-post form."""
        q = "kind=" + kind + ("&storage=1" if storage else "")
        r = browser.get(self.platform.base + "/launch?" + q, allow_redirects=False)
        self.assertEqual(r.status_code, 302)
        r = browser.get(r.headers["Location"], allow_redirects=False)
        if storage:
            # Client-side storage: a page that keeps state and nonce in the
            # portal's frame (lti_storage.js), then goes on to the platform.
            self.assertEqual(r.status_code, 200, r.text)
            page = data_attributes(r.text, "lti-storage")
            self.assertEqual(page["data-lti-storage"], "put")
            self.assertEqual(page["data-platform-origin"], self.platform.base)
            location = page["data-redirect"]
        else:
            self.assertEqual(r.status_code, 302, r.text)
            location = r.headers["Location"]
        auth = urllib.parse.urlsplit(location)
        query = dict(urllib.parse.parse_qsl(auth.query))
        self.assertEqual(query["redirect_uri"], self.tool.public_url + "/lti/launch")
        if storage:
            self.assertEqual(page["data-state"], query["state"])
            self.assertEqual(page["data-nonce"], query["nonce"])
        r = browser.get(location, allow_redirects=False)
        self.assertEqual(r.status_code, 200)
        action, fields = parse_form(r.text)
        self.assertIn("id_token", fields, r.text)
        return action, fields

    def launch(self, kind="trainee"):
        browser = requests.Session()
        action, fields = self.login(browser, kind)
        r = browser.post(action, data=fields, allow_redirects=False)
        self.assertEqual(r.status_code, 303, "%s %s" % (reason_of(r), r.text[:300]))
        home = browser.get(self.tool.base + r.headers["Location"])
        self.assertEqual(home.status_code, 200)
        return browser, r, home

    def me(self, browser):
        return browser.get(self.tool.base + "/api/v1/me", timeout=10)

    def assert_rejected(self, response, reason, statuses=(400, 401, 403)):
        self.assertIn(response.status_code, statuses, response.text[:300])
        self.assertEqual(reason_of(response), reason)
        self.assertIn("text/html", response.headers["Content-Type"])
        self.assertIn("Reason code: " + reason, response.text)
        self.assertNotIn("mentoring_session=", response.headers.get("Set-Cookie", ""))

    # -- successful launches ------------------------------------------------
    def test_trainee_mentor_and_admin_launches_sign_in_with_their_capabilities(self):
        for kind, caps, role in (("trainee", LEARNER_CAPS, "mentee"), ("mentor", MENTOR_CAPS, "mentor"),
                                 ("admin", STAFF_CAPS, "staff")):
            with self.subTest(kind=kind):
                browser, launch, home = self.launch(kind)
                user = platform_simulator.USERS[kind]
                cookie = [c for c in launch.raw.headers.getlist("Set-Cookie") if c.startswith("mentoring_session=")]
                self.assertEqual(len(cookie), 1)
                self.assertIn("HttpOnly", cookie[0])
                # Plain-http loopback: Secure cookies would never come back.
                self.assertNotIn("Secure", cookie[0])
                self.assertIn(html.escape(user["name"]), home.text)
                me = self.me(browser)
                self.assertEqual(me.status_code, 200, me.text)
                body = me.json()
                self.assertEqual(body["person"]["subject"], user["sub"])
                self.assertEqual(body["person"]["platform"], self.platform.issuer)
                self.assertEqual(body["person"]["display_name"], user["name"])
                self.assertEqual(body["person"]["email"], user["email"])
                self.assertEqual(body["capabilities"], caps)
                self.assertEqual(body["role"], role)
                self.assertNotIn("mentoring/confidential:view", body["capabilities"])
                self.assertEqual(len(body["csrf_token"]), 43)

    def test_me_without_a_session_is_refused(self):
        r = requests.get(self.tool.base + "/api/v1/me", timeout=10)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.json()["error"]["reason"], "session_missing")
        r = requests.get(self.tool.base + "/api/v1/me", cookies={"mentoring_session": "x" * 43}, timeout=10)
        self.assertEqual(r.json()["error"]["reason"], "session_invalid")

    def test_context_is_recorded_and_can_be_linked_to_a_scheme(self):
        self.launch("trainee")
        contexts = self.tool.api("GET", "/api/v1/lti/contexts").json()["items"]
        context = [c for c in contexts if c["context_id"] == "course-fy1"][0]
        scheme = self.tool.api("POST", "/api/v1/schemes", {
            "name": "FY1 North West", "type": "near_peer", "aims": "Support FY1 doctors.", "phase": "pilot"})
        self.assertEqual(scheme.status_code, 201, scheme.text)
        r = self.tool.api("PUT", "/api/v1/lti/contexts/%d/scheme" % context["id"], {"schemeid": scheme.json()["id"]})
        self.assertEqual(r.status_code, 200, r.text)
        browser, _, home = self.launch("trainee")
        self.assertEqual(self.me(browser).json()["schemeid"], scheme.json()["id"])
        self.assertIn("FY1 North West", home.text)
        self.tool.api("PUT", "/api/v1/lti/contexts/%d/scheme" % context["id"], {"schemeid": None})

    def test_explicit_role_mapping_grants_confidential_view_in_that_deployment_only(self):
        role = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"
        self.tool.api("PUT", "/api/v1/lti/platforms", {
            "issuer": self.platform.issuer, "client_id": self.platform.client_id,
            "auth_login_url": self.platform.base + "/auth", "jwks_url": self.platform.base + "/jwks.json",
            "auth_token_url": self.platform.base + "/token", "deployment_id": "deployment-mapped"})
        r = self.tool.api("POST", "/api/v1/lti/role-mappings", {
            "issuer": self.platform.issuer, "client_id": self.platform.client_id,
            "deployment_id": "deployment-mapped", "lti_role": role, "capability": "mentoring/confidential:view"})
        self.assertEqual(r.status_code, 201, r.text)
        original = self.platform.deployment_id
        self.platform.deployment_id = "deployment-mapped"
        try:
            browser, _, _ = self.launch("admin")
            self.assertEqual(self.me(browser).json()["capabilities"], sorted(STAFF_CAPS + ["mentoring/confidential:view"]))
            trainee, _, _ = self.launch("trainee")
            self.assertEqual(self.me(trainee).json()["capabilities"], LEARNER_CAPS)
        finally:
            self.platform.deployment_id = original
        browser, _, _ = self.launch("admin")
        self.assertEqual(self.me(browser).json()["capabilities"], STAFF_CAPS)

    def test_new_window_handoff_creates_a_session_once(self):
        browser, launch, home = self.launch("mentor")
        self.assertIn("/lti/handoff?token=", home.text)
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(launch.headers["Location"]).query)["handoff"][0]
        window = requests.Session()
        r = window.get(self.tool.base + "/lti/handoff?token=" + token, allow_redirects=False)
        self.assertEqual(r.status_code, 303, r.text[:300])
        self.assertEqual(self.me(window).json()["person"]["subject"], platform_simulator.USERS["mentor"]["sub"])
        before = self.db.counts()
        again = requests.get(self.tool.base + "/lti/handoff?token=" + token, allow_redirects=False)
        self.assert_rejected(again, "handoff_used")
        self.assertEqual(self.db.counts(), before)

    def storage_check_page(self):
        """A storage login whose launch comes back without the state cookie:
        the tool's check page (nothing written yet) and its form."""
        browser = requests.Session()
        action, fields = self.login(browser, "trainee", storage=True)
        before = self.db.counts()
        r = requests.post(action, data=fields, allow_redirects=False)  # no cookies at all
        self.assertEqual(r.status_code, 200, reason_of(r))
        self.assertEqual(r.headers["Cache-Control"], "no-store")
        self.assertEqual(self.db.counts(), before, "the check page writes nothing")
        form = data_attributes(r.text, "lti-storage")
        self.assertEqual(form["data-lti-storage"], "get")
        self.assertEqual(form["data-platform-origin"], self.platform.base)
        check_action, check_fields = parse_form(r.text)
        self.assertEqual(check_action, "/lti/launch")
        self.assertEqual(check_fields["id_token"], fields["id_token"])
        return form, check_fields, before

    def test_storage_target_launch_works_without_the_state_cookie(self):
        # What lti_storage.js posts once the portal's frame gave the values
        # back (the browser tests run the real postMessage exchange).
        form, fields, before = self.storage_check_page()
        fields.update(lti_storage_state=form["data-state"], lti_storage_nonce=form["data-nonce"])
        r = requests.post(self.tool.base + "/lti/launch", data=fields, allow_redirects=False,
                          headers={"Origin": self.tool.public_url})
        self.assertEqual(r.status_code, 303, reason_of(r))
        self.assertIn("mentoring_session=", r.headers.get("Set-Cookie", ""))
        replay = requests.post(self.tool.base + "/lti/launch", data=fields, allow_redirects=False,
                               headers={"Origin": self.tool.public_url})
        self.assert_rejected(replay, "launch_state_used")

    def test_storage_launch_is_refused_from_another_origin_with_other_values_or_a_frame_error(self):
        form, fields, before = self.storage_check_page()
        good = dict(fields, lti_storage_state=form["data-state"], lti_storage_nonce=form["data-nonce"])
        for case, data, origin, reason in (
                ("no Origin", good, None, "launch_storage_origin_invalid"),
                ("another origin", good, "http://127.0.0.1:9", "launch_storage_origin_invalid"),
                ("other state", dict(good, lti_storage_state=secrets.token_urlsafe(32)), self.tool.public_url,
                 "launch_storage_mismatch"),
                ("other nonce", dict(good, lti_storage_nonce=secrets.token_urlsafe(32)), self.tool.public_url,
                 "launch_storage_mismatch"),
                ("frame error", dict(fields, lti_storage_error="timeout"), self.tool.public_url,
                 "launch_storage_unavailable")):
            with self.subTest(case=case):
                headers = {"Origin": origin} if origin else {}
                r = requests.post(self.tool.base + "/lti/launch", data=data, allow_redirects=False, headers=headers)
                self.assert_rejected(r, reason)
                self.assertEqual(self.db.counts(), before)

    def test_tool_jwks_publishes_keys_and_rotation_keeps_the_previous_one(self):
        first = requests.get(self.tool.base + "/lti/jwks", timeout=10).json()["keys"]
        self.assertGreaterEqual(len(first), 1)
        for key in first:
            self.assertEqual(key["kty"], "RSA")
            self.assertTrue(key["kid"])
            self.assertNotIn("d", key)
        r = self.tool.api("POST", "/api/v1/lti/keys/rotate")
        self.assertEqual(r.status_code, 200, r.text)
        new_kid = r.json()["kid"]
        kids = [k["kid"] for k in requests.get(self.tool.base + "/lti/jwks", timeout=10).json()["keys"]]
        self.assertEqual(kids[0], new_kid)
        self.assertTrue(set(k["kid"] for k in first) <= set(kids))
        self.assertEqual(self.tool.api("POST", "/api/v1/lti/keys/retire").status_code, 200)
        kids = [k["kid"] for k in requests.get(self.tool.base + "/lti/jwks", timeout=10).json()["keys"]]
        self.assertEqual(kids, [new_kid])

    def test_platform_key_rotation_is_picked_up(self):
        self.launch("trainee")
        self.platform.keys.append(platform_simulator.Key())
        browser, _, _ = self.launch("trainee")
        self.assertEqual(self.me(browser).status_code, 200)

    # -- rejected launches --------------------------------------------------
    def test_replayed_state_is_refused(self):
        browser = requests.Session()
        action, fields = self.login(browser)
        first = browser.post(action, data=fields, allow_redirects=False)
        self.assertEqual(first.status_code, 303)
        before = self.db.counts()
        replay = browser.post(action, data=fields, allow_redirects=False)
        self.assert_rejected(replay, "launch_state_used")
        self.assertEqual(self.db.counts(), before)

    def test_state_without_its_cookie_is_refused(self):
        browser = requests.Session()
        action, fields = self.login(browser)
        before = self.db.counts()
        r = requests.post(action, data=fields, allow_redirects=False)
        self.assert_rejected(r, "launch_state_cookie_missing")
        self.assertEqual(self.db.counts(), before)
        # The login is still usable by the browser that started it.
        self.assertEqual(browser.post(action, data=fields, allow_redirects=False).status_code, 303)

    def test_unknown_state_is_refused(self):
        before = self.db.counts()
        r = requests.post(self.tool.base + "/lti/launch", data={"state": "nope", "id_token": "a.b.c"},
                          allow_redirects=False)
        self.assert_rejected(r, "launch_state_unknown")
        self.assertEqual(self.db.counts(), before)

    def test_tampered_id_token_is_refused(self):
        browser = requests.Session()
        action, fields = self.login(browser)
        header, payload, signature = fields["id_token"].split(".")
        claims = json.loads(platform_simulator.base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = "someone-else"
        forged = platform_simulator.base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        fields["id_token"] = ".".join([header, forged, signature])
        before = self.db.counts()
        r = browser.post(action, data=fields, allow_redirects=False)
        self.assert_rejected(r, "launch_signature_invalid")
        self.assertEqual(self.db.counts(), before)

    def test_error_form_post_shows_a_page(self):
        before = self.db.counts()
        r = requests.post(self.tool.base + "/lti/launch",
                          data={"error": "login_required", "error_description": "The user is not logged in",
                                "state": "whatever"}, allow_redirects=False)
        self.assert_rejected(r, "launch_platform_error")
        self.assertIn("The user is not logged in", r.text)
        self.assertEqual(self.db.counts(), before)

    def test_jwks_down_fails_cleanly_then_recovers(self):
        self.launch("trainee")
        # A new platform key forces a fetch, which finds the endpoint down.
        self.platform.keys.append(platform_simulator.Key())
        for mode, reason in (("down", "launch_jwks_unavailable"), ("garbage", "launch_jwks_invalid")):
            with self.subTest(mode=mode):
                self.platform.jwks_mode = mode
                browser = requests.Session()
                action, fields = self.login(browser)
                before = self.db.counts()
                r = browser.post(action, data=fields, allow_redirects=False)
                self.assert_rejected(r, reason, statuses=(503,))
                self.assertEqual(self.db.counts(), before)
        self.platform.jwks_mode = "ok"
        browser, _, _ = self.launch("trainee")
        self.assertEqual(self.me(browser).status_code, 200)

    def test_login_from_an_unknown_issuer_is_refused(self):
        r = requests.get(self.tool.base + "/lti/login", params={
            "iss": "https://unknown.example.org", "login_hint": "x",
            "target_link_uri": self.tool.public_url + "/lti/launch"}, allow_redirects=False)
        self.assert_rejected(r, "login_issuer_unknown")
        self.assertNotIn("lti_state_", r.headers.get("Set-Cookie", ""))

    def test_login_for_a_target_that_is_not_ours_is_refused(self):
        r = requests.post(self.tool.base + "/lti/login", data={
            "iss": self.platform.issuer, "login_hint": "x",
            "target_link_uri": "https://evil.example.org/lti/launch"}, allow_redirects=False)
        self.assert_rejected(r, "login_target_link_uri_invalid")

    def test_login_with_unknown_client_or_deployment_is_refused(self):
        base = {"iss": self.platform.issuer, "login_hint": "x", "target_link_uri": self.tool.public_url + "/lti/launch"}
        r = requests.get(self.tool.base + "/lti/login", params={**base, "client_id": "other"}, allow_redirects=False)
        self.assert_rejected(r, "login_client_id_unknown")
        r = requests.get(self.tool.base + "/lti/login", params={**base, "lti_deployment_id": "other"},
                         allow_redirects=False)
        self.assert_rejected(r, "login_deployment_unknown")

    def test_login_sets_a_state_cookie_and_redirects_with_the_oidc_parameters(self):
        r = requests.get(self.tool.base + "/lti/login", params={
            "iss": self.platform.issuer, "login_hint": "hint-1", "lti_message_hint": "m-1",
            "target_link_uri": self.tool.public_url + "/lti/launch"}, allow_redirects=False)
        self.assertEqual(r.status_code, 302, r.text[:300])
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r.headers["Location"]).query))
        self.assertEqual((q["scope"], q["response_type"], q["response_mode"], q["prompt"]),
                         ("openid", "id_token", "form_post", "none"))
        self.assertEqual((q["client_id"], q["login_hint"], q["lti_message_hint"]),
                         (self.platform.client_id, "hint-1", "m-1"))
        self.assertGreaterEqual(len(q["state"]), 22)
        self.assertNotEqual(q["state"], q["nonce"])
        cookie = r.headers["Set-Cookie"]
        self.assertRegex(cookie, r"^lti_state_[0-9a-f]{16}=" + re.escape(q["state"]) + ";")
        self.assertIn("Path=/lti/", cookie)
        self.assertIn("Max-Age=600", cookie)

    def test_platform_registration_is_validated(self):
        r = self.tool.api("PUT", "/api/v1/lti/platforms", {
            "issuer": "https://x.example.org", "client_id": "c", "auth_login_url": "http://x.example.org/auth",
            "jwks_url": "https://x.example.org/jwks", "deployment_id": "d"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["error"]["field"], "auth_login_url")
        r = requests.put(self.tool.base + "/api/v1/lti/platforms", json={}, timeout=10)
        self.assertEqual(r.status_code, 401)
        listed = self.tool.api("GET", "/api/v1/lti/platforms").json()["items"]
        self.assertIn(self.platform.issuer, [p["issuer"] for p in listed])


class CommandLineAndSecureCookieTest(unittest.TestCase):
    def test_platform_add_registers_through_the_plugin_and_https_public_url_sets_secure_cookies(self):
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(tmp)
            try:
                common = ["--database.url=" + db.url, "--api.service_token=" + TOKEN, *db.extra]
                added = subprocess.run(
                    [ARGS.mentoringd, "platform", "add", "--issuer", "https://portal.example.nhs.uk",
                     "--client-id", "c-1", "--auth-url", "https://portal.example.nhs.uk/auth",
                     "--jwks-url", "https://portal.example.nhs.uk/jwks", "--deployment-id", "d-1", *common],
                    capture_output=True, text=True, timeout=60)
                self.assertEqual(added.returncode, 0, added.stdout + added.stderr)
                self.assertIn('"client_id":"c-1"', added.stdout)
                missing = subprocess.run([ARGS.mentoringd, "platform", "add", "--issuer", "x", *common],
                                         capture_output=True, text=True, timeout=60)
                self.assertNotEqual(missing.returncode, 0)
                listed = subprocess.run([ARGS.mentoringd, "platform", "list", *common], capture_output=True,
                                        text=True, timeout=60)
                self.assertIn("https://portal.example.nhs.uk", listed.stdout)

                tool = Mentoringd(db, public_url="https://mentoring.example.nhs.uk")
                try:
                    r = requests.get(tool.base + "/lti/login", params={
                        "iss": "https://portal.example.nhs.uk", "login_hint": "h",
                        "target_link_uri": "https://mentoring.example.nhs.uk/lti/launch"}, allow_redirects=False)
                    self.assertEqual(r.status_code, 302, r.text[:300])
                    cookie = r.headers["Set-Cookie"]
                    for attribute in ("Secure", "HttpOnly", "SameSite=None", "Partitioned", "Path=/lti/"):
                        self.assertIn(attribute, cookie)
                    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r.headers["Location"]).query))
                    self.assertEqual(q["redirect_uri"], "https://mentoring.example.nhs.uk/lti/launch")
                finally:
                    self.assertEqual(tool.stop(), 0)
            finally:
                db.drop()


if __name__ == "__main__":
    if ARGS.backend == "postgresql" and not os.environ.get("MENTORING_TEST_POSTGRES_URL"):
        if os.environ.get("MENTORING_REQUIRE_POSTGRES") == "1":
            print("MENTORING_TEST_POSTGRES_URL is not set but MENTORING_REQUIRE_POSTGRES=1", file=sys.stderr)
            sys.exit(1)
        print("skipped: MENTORING_TEST_POSTGRES_URL is not set", file=sys.stderr)
        sys.exit(SKIP_CODE)
    unittest.main(verbosity=2)
