#!/usr/bin/python3
"""LTI Advantage end to end: a real mentoringd and the platform simulator.

In order, as a platform administrator and staff would meet them:
  1. LTI Dynamic Registration: the tool fetches the simulator's
     openid-configuration and registers; the platform and its deployment are
     stored.
  2. Deep Linking: a scheme manager's LtiDeepLinkingRequest leads to a page
     listing schemes; the choice returns a signed LtiDeepLinkingResponse that
     the simulator verifies with PyJWT.
  3. Names and Role Provisioning: a roster of several pages is synced, in one
     transaction (a failed page changes nothing).
  4. Assignment and Grade Services: milestone scores are posted and the
     simulator records line items and scores.
  5. The gradebook check: the Result service's pages are compared with the
     milestones reached; a score dropped in the platform is reported missing,
     repaired once, and the gradebook is in step again.
The simulator checks every client assertion (RFC 7523) with PyJWT against
the tool's published JWKS.

Runs on SQLite (--backend sqlite) or on the PostgreSQL named by
MENTORING_TEST_POSTGRES_URL (--backend postgresql; skipped with exit code 77
when unset, unless MENTORING_REQUIRE_POSTGRES=1).
"""
import html
import os
import re
import sys
import tempfile
import threading
import unittest
import urllib.parse
import warnings

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import platform_simulator  # noqa: E402
from launch_test import ARGS, SKIP_CODE, Database, Mentoringd, parse_form, reason_of  # noqa: E402

REGISTRATION_TOKEN = "registration-token-123"


def hidden_fields(page):
    return {html.unescape(n): html.unescape(v)
            for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page)}


class AdvantageTest(unittest.TestCase):
    """The steps share one tool and one platform and run in name order."""

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

    @classmethod
    def tearDownClass(cls):
        code = cls.tool.stop()
        cls.httpd.shutdown()
        cls.db.drop()
        cls.tmp.cleanup()
        assert code == 0, "mentoringd exited with %s:\n%s" % (code, "".join(cls.tool.log))

    # -- helpers ------------------------------------------------------------
    def state(self):
        return requests.get(self.platform.base + "/test/state", timeout=10).json()

    def platforms(self):
        return self.tool.api("GET", "/api/v1/lti/platforms").json()["items"]

    def register_url(self, **params):
        return self.tool.base + "/lti/register?" + urllib.parse.urlencode(params)

    def launch(self, kind, message_type="LtiResourceLinkRequest"):
        """Portal launch through login, auth and the form post; returns (browser, 303 response)."""
        browser = requests.Session()
        r = browser.get(self.platform.base + "/launch?" + urllib.parse.urlencode(
            {"kind": kind, "message_type": message_type}), allow_redirects=False)
        r = browser.get(r.headers["Location"], allow_redirects=False)
        self.assertEqual(r.status_code, 302, r.text[:300])
        r = browser.get(r.headers["Location"], allow_redirects=False)
        action, fields = parse_form(r.text)
        self.assertIn("id_token", fields, r.text[:300])
        return browser, browser.post(action, data=fields, allow_redirects=False)

    def context_id(self):
        contexts = self.tool.api("GET", "/api/v1/lti/contexts").json()["items"]
        return [c for c in contexts if c["context_id"] == "course-fy1"][0]["id"]

    def roster(self, context):
        r = self.tool.api("GET", "/api/v1/lti/contexts/%d/roster" % context)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()["items"]

    def assert_page_refused(self, response, reason):
        self.assertIn(response.status_code, (400, 401, 403, 503), response.text[:300])
        self.assertEqual(reason_of(response), reason)
        self.assertIn("Reason code: " + reason, response.text)

    # -- 1. Dynamic Registration ----------------------------------------------
    def test_1_dynamic_registration_stores_the_platform_and_deployment(self):
        config = self.platform.base + "/.well-known/openid-configuration"
        before = len(self.platforms())

        # Bad requests change nothing.
        r = requests.get(self.register_url(), timeout=10)
        self.assert_page_refused(r, "registration_configuration_missing")
        r = requests.get(self.register_url(openid_configuration="http://portal.example.org/config"), timeout=10)
        self.assert_page_refused(r, "registration_configuration_invalid")
        r = requests.get(self.register_url(openid_configuration=config, registration_token="wrong"), timeout=10)
        self.assert_page_refused(r, "registration_refused")
        # The issuer must sit on the site the configuration came from: localhost is not 127.0.0.1.
        foreign = config.replace("127.0.0.1", "localhost")
        r = requests.get(self.register_url(openid_configuration=foreign, registration_token=REGISTRATION_TOKEN),
                         timeout=10)
        self.assert_page_refused(r, "registration_issuer_mismatch")
        self.assertEqual(len(self.platforms()), before)
        self.assertEqual(self.state()["registrations"], [])

        r = requests.get(self.register_url(openid_configuration=config, registration_token=REGISTRATION_TOKEN),
                         timeout=10)
        self.assertEqual(r.status_code, 200, r.text[:500])
        self.assertIn("Mentoring is registered", r.text)
        self.assertIn("data-lti-close", r.text)
        self.assertRegex(r.text, r'<script type="module" src="[^"]*/js/lti\.js"></script>')
        self.assertNotIn("<script>", r.text)
        script = re.search(r'src="([^"]*/js/lti\.js)"', r.text).group(1)
        js = requests.get(self.tool.base + script, timeout=10)
        self.assertEqual(js.status_code, 200)
        self.assertIn("org.imsglobal.lti.close", js.text)

        reg = self.state()["registrations"][0]
        tool_conf = reg["https://purl.imsglobal.org/spec/lti-tool-configuration"]
        self.assertEqual(reg["jwks_uri"], self.tool.base + "/lti/jwks")
        self.assertEqual(reg["initiate_login_uri"], self.tool.base + "/lti/login")
        self.assertEqual(reg["redirect_uris"], [self.tool.base + "/lti/launch"])
        self.assertEqual(reg["token_endpoint_auth_method"], "private_key_jwt")
        self.assertIn("https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly", reg["scope"])
        self.assertIn("https://purl.imsglobal.org/spec/lti-ags/scope/score", reg["scope"])
        self.assertEqual(tool_conf["domain"], urllib.parse.urlsplit(self.tool.base).netloc)
        self.assertIn("LtiDeepLinkingRequest", [m["type"] for m in tool_conf["messages"]])

        stored = [p for p in self.platforms() if p["issuer"] == self.platform.issuer]
        self.assertEqual(len(stored), 1)
        self.assertEqual(stored[0]["client_id"], self.platform.client_id)
        self.assertEqual(stored[0]["deployment_ids"], [self.platform.deployment_id])
        self.assertEqual(stored[0]["auth_token_url"], self.platform.base + "/token")
        self.assertEqual(stored[0]["jwks_url"], self.platform.base + "/jwks.json")

        # The registration works: a launch signs in.
        browser, r = self.launch("trainee")
        self.assertEqual(r.status_code, 303, reason_of(r))

    # -- 2. Deep Linking ------------------------------------------------------
    def test_2_deep_linking_returns_a_signed_response_for_the_chosen_scheme(self):
        scheme = self.tool.api("POST", "/api/v1/schemes", {
            "name": "FY1 North West mentoring", "type": "near_peer", "aims": "Support FY1 doctors.",
            "phase": "pilot"})
        self.assertEqual(scheme.status_code, 201, scheme.text)
        scheme_id = scheme.json()["id"]

        # Only scheme managers choose what to place.
        learner, r = self.launch("trainee", "LtiDeepLinkingRequest")
        self.assertEqual(r.status_code, 303, reason_of(r))
        page = learner.get(self.tool.base + r.headers["Location"], timeout=10)
        self.assert_page_refused(page, "deep_link_not_staff")

        browser, r = self.launch("admin", "LtiDeepLinkingRequest")
        self.assertEqual(r.status_code, 303, reason_of(r))
        self.assertTrue(r.headers["Location"].startswith("/lti/deep-link?request="))
        page = browser.get(self.tool.base + r.headers["Location"], timeout=10)
        self.assertEqual(page.status_code, 200, page.text[:500])
        self.assertIn("FY1 North West mentoring", page.text)
        fields = hidden_fields(page.text)
        self.assertEqual(set(fields), {"csrf_token", "request"})

        # Bad choices: wrong CSRF token, no scheme, a scheme that does not exist.
        for data, reason in (({**fields, "csrf_token": "x" * 43, "schemeid": str(scheme_id)}, "deep_link_csrf_invalid"),
                             ({**fields, "schemeid": ""}, "deep_link_scheme_invalid"),
                             ({**fields, "schemeid": "99999"}, "deep_link_scheme_invalid"),
                             ({**fields, "request": "y" * 43, "schemeid": str(scheme_id)}, "deep_link_request_unknown")):
            bad = browser.post(self.tool.base + "/lti/deep-link", data=data, timeout=10)
            self.assert_page_refused(bad, reason)

        chosen = browser.post(self.tool.base + "/lti/deep-link", data={**fields, "schemeid": str(scheme_id)},
                              timeout=10)
        self.assertEqual(chosen.status_code, 200, chosen.text[:500])
        self.assertNotIn("<script>", chosen.text)
        self.assertIn("data-lti-auto-submit", chosen.text)
        self.assertIn(">Continue</button>", chosen.text)
        action, back = parse_form(chosen.text)
        self.assertEqual(action, self.platform.base + "/deep-link-return")
        self.assertEqual(set(back), {"JWT"})

        # The request is used once.
        again = browser.post(self.tool.base + "/lti/deep-link", data={**fields, "schemeid": str(scheme_id)},
                             timeout=10)
        self.assert_page_refused(again, "deep_link_request_used")

        placed = requests.post(action, data=back, timeout=10)
        self.assertEqual(placed.status_code, 200, placed.text)
        claims = self.state()["deep_links"][-1]
        items = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
        self.assertEqual(items[0]["custom"]["mentoring_scheme_id"], str(scheme_id))
        self.assertEqual(items[0]["url"], self.tool.base + "/lti/launch")
        self.assertEqual(items[0]["title"], "FY1 North West mentoring")
        self.assertEqual(claims["aud"], self.platform.issuer)

        # A deployment that does not accept Deep Linking refuses the launch.
        stored = [p for p in self.platforms() if p["issuer"] == self.platform.issuer][0]
        off = {k: stored[k] for k in ("issuer", "client_id", "auth_login_url", "auth_token_url", "jwks_url")}
        r = self.tool.api("PUT", "/api/v1/lti/platforms", {**off, "deployment_ids": stored["deployment_ids"],
                                                            "deep_linking": False})
        self.assertEqual(r.status_code, 200, r.text)
        r = self.tool.api("PUT", "/api/v1/lti/platforms", {**off, "deployment_ids": stored["deployment_ids"],
                                                            "deep_linking": "yes"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["error"]["field"], "deep_linking")
        _, r = self.launch("admin", "LtiDeepLinkingRequest")
        self.assert_page_refused(r, "launch_deep_linking_not_allowed")
        r = self.tool.api("PUT", "/api/v1/lti/platforms", {**off, "deployment_ids": stored["deployment_ids"],
                                                            "deep_linking": True})
        self.assertEqual(r.status_code, 200, r.text)

    # -- 3. Names and Role Provisioning ------------------------------------------
    def test_3_roster_sync_reads_every_page_in_one_transaction(self):
        self.launch("trainee")
        context = self.context_id()
        requests.post(self.platform.base + "/test/roster?size=23", timeout=10)

        r = self.tool.api("POST", "/api/v1/lti/contexts/%d/roster/sync" % context)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json(), {"added": 23, "updated": 0, "inactive": 0, "members": 23, "pages": 3})
        roster = self.roster(context)
        self.assertEqual(len(roster), 23)
        mentor = [m for m in roster if m["subject"] == "nrps-0005"][0]
        self.assertEqual(mentor["roles"], platform_simulator.ROLES["mentor"])
        self.assertEqual(mentor["display_name"], "Dr Roster Person 5")
        self.assertEqual(mentor["email"], "roster5@example.nhs.uk")
        self.assertEqual(mentor["status"], "Active")

        # A page that fails leaves the roster exactly as it was.
        requests.post(self.platform.base + "/test/roster?size=21&inactive=4&fail_offset=20", timeout=10)
        r = self.tool.api("POST", "/api/v1/lti/contexts/%d/roster/sync" % context)
        self.assertEqual(r.status_code, 503, r.text)
        self.assertEqual(r.json()["error"]["reason"], "nrps_fetch_failed")
        self.assertEqual(self.roster(context), roster)

        # Now without the failure: 5 members became Inactive, 2 left.
        requests.post(self.platform.base + "/test/roster?size=21&inactive=4", timeout=10)
        r = self.tool.api("POST", "/api/v1/lti/contexts/%d/roster/sync" % context)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json(), {"added": 0, "updated": 7, "inactive": 7, "members": 21, "pages": 3})
        statuses = {m["subject"]: m["status"] for m in self.roster(context)}
        self.assertEqual(statuses["nrps-0003"], "Inactive")
        self.assertEqual(statuses["nrps-0022"], "Deleted")
        self.assertEqual(statuses["nrps-0000"], "Active")

        # Bad requests.
        r = self.tool.api("POST", "/api/v1/lti/contexts/99999/roster/sync")
        self.assertEqual((r.status_code, r.json()["error"]["reason"]), (404, "lti_context_not_found"))
        r = self.tool.api("POST", "/api/v1/lti/contexts/abc/roster/sync")
        self.assertEqual(r.status_code, 400)
        r = requests.post(self.tool.base + "/api/v1/lti/contexts/%d/roster/sync" % context, timeout=10)
        self.assertEqual(r.status_code, 401)

    # -- 4. Assignment and Grade Services -----------------------------------------
    def test_4_milestones_create_line_items_once_and_post_scores(self):
        browser, r = self.launch("trainee")
        browser.get(self.tool.base + r.headers["Location"], timeout=10)
        me = browser.get(self.tool.base + "/api/v1/me", timeout=10).json()
        account = me["person"]["id"]
        context = self.context_id()
        path = "/api/v1/lti/contexts/%d/milestones" % context

        for body, reason in (({"accountid": account, "milestone": "passed"}, "milestone_unknown"),
                             ({"accountid": "1", "milestone": "agreement_signed"}, "field_required"),
                             ({"milestone": "agreement_signed"}, "field_required"),
                             ({"accountid": account, "milestone": "agreement_signed", "x": 1}, "unknown_field"),
                             ({"accountid": 999999, "milestone": "agreement_signed"}, "account_not_found")):
            r = self.tool.api("POST", path, body)
            self.assertIn(r.status_code, (400, 404), r.text)
            self.assertEqual(r.json()["error"]["reason"], reason)
        self.assertEqual(self.state()["scores"], [])

        for _ in range(2):
            r = self.tool.api("POST", path, {"accountid": account, "milestone": "agreement_signed"})
            self.assertEqual(r.status_code, 200, r.text)
        r = self.tool.api("POST", path, {"accountid": account, "milestone": "scheme_completed"})
        self.assertEqual(r.status_code, 200, r.text)

        state = self.state()
        self.assertEqual([li["tag"] for li in state["lineitems"]], ["agreement_signed", "scheme_completed"])
        self.assertEqual(state["lineitems"][0]["resourceId"], "mentoring:agreement_signed")
        self.assertEqual(state["lineitems"][0]["scoreMaximum"], 1)
        self.assertEqual(len(state["scores"]), 3)
        score = state["scores"][0]
        self.assertEqual(score["userId"], platform_simulator.USERS["trainee"]["sub"])
        self.assertEqual((score["scoreGiven"], score["scoreMaximum"]), (1, 1))
        self.assertEqual((score["activityProgress"], score["gradingProgress"]), ("Completed", "FullyGraded"))
        self.assertRegex(score["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(score["lineitem"], state["lineitems"][0]["id"])
        self.assertEqual(state["scores"][2]["lineitem"], state["lineitems"][1]["id"])

        # Every token came from a client assertion PyJWT accepted, and tokens
        # are reused per scope set: one for NRPS, one for AGS.
        self.assertEqual(len(state["client_assertions"]), 2)
        self.assertEqual(len(set(state["client_assertions"])), 2)

    # -- 5. Gradebook check and repair --------------------------------------------
    def check(self, context):
        r = self.tool.api("GET", "/api/v1/lti/contexts/%d/gradebook/check" % context)
        self.assertEqual(r.status_code, 200, r.text)
        return r.json()

    def test_5_gradebook_check_finds_dropped_scores_and_repair_restores_them(self):
        context = self.context_id()
        trainee = platform_simulator.USERS["trainee"]["sub"]
        roster = {m["subject"]: m["accountid"] for m in self.roster(context)}
        # Two more people sign their agreement (test 4 covered the trainee).
        for subject in ("nrps-0001", "nrps-0002"):
            r = self.tool.api("POST", "/api/v1/lti/contexts/%d/milestones" % context,
                              {"accountid": roster[subject], "milestone": "agreement_signed"})
            self.assertEqual(r.status_code, 200, r.text)

        reads_before = len(self.state()["result_reads"])
        check = self.check(context)
        self.assertTrue(check["in_step"], check)
        items = {i["milestone"]: i for i in check["items"]}
        lineitems = {li["tag"]: li["id"] for li in self.state()["lineitems"]}
        self.assertEqual(items["agreement_signed"]["lineitem"], lineitems["agreement_signed"])
        self.assertEqual((items["agreement_signed"]["reached"], items["agreement_signed"]["results"]), (3, 3))
        self.assertEqual(items["agreement_signed"]["pages"], 2)  # the simulator gives two results a page
        self.assertEqual((items["scheme_completed"]["reached"], items["scheme_completed"]["pages"]), (1, 1))
        self.assertEqual(items["agreement_signed"]["missing"], [])
        reads = self.state()["result_reads"][reads_before:]
        self.assertEqual(len(reads), 3)
        self.assertTrue(reads[0].endswith("/results"), reads)
        self.assertIn("limit=2&offset=2", reads[1])

        # The platform loses one person's result and lowers another's.
        r = requests.post(self.platform.base + "/test/results", timeout=10,
                          params={"lineitem": lineitems["agreement_signed"], "user": "nrps-0002"})
        self.assertEqual(r.status_code, 200, r.text)
        r = requests.post(self.platform.base + "/test/results", timeout=10,
                          params={"lineitem": lineitems["scheme_completed"], "user": trainee, "score": "0.5"})
        self.assertEqual(r.status_code, 200, r.text)
        scores_before = len(self.state()["scores"])
        check = self.check(context)
        self.assertFalse(check["in_step"])
        items = {i["milestone"]: i for i in check["items"]}
        self.assertEqual(items["agreement_signed"]["missing"],
                         [{"accountid": roster["nrps-0002"], "user_id": "nrps-0002",
                           "result_score": None, "result_maximum": None}])
        self.assertEqual(items["scheme_completed"]["missing"][0]["user_id"], trainee)
        self.assertEqual(items["scheme_completed"]["missing"][0]["result_score"], 0.5)
        self.assertEqual(len(self.state()["scores"]), scores_before, "a check must not post anything")

        r = self.tool.api("POST", "/api/v1/lti/contexts/%d/gradebook/repair" % context)
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["reposted"], 2)
        self.assertFalse(r.json()["before"]["in_step"])
        scores = self.state()["scores"][scores_before:]
        self.assertEqual(sorted(s["userId"] for s in scores), sorted(["nrps-0002", trainee]))
        self.assertTrue(self.check(context)["in_step"])
        # A second repair finds nothing to do.
        r = self.tool.api("POST", "/api/v1/lti/contexts/%d/gradebook/repair" % context, {})
        self.assertEqual((r.status_code, r.json()["reposted"]), (200, 0), r.text)
        self.assertEqual(len(self.state()["scores"]), scores_before + 2)

        # Bad requests change nothing.
        r = self.tool.api("POST", "/api/v1/lti/contexts/%d/gradebook/repair" % context, {"milestone": "x"})
        self.assertEqual((r.status_code, r.json()["error"]["reason"]), (400, "unknown_field"))
        r = self.tool.api("GET", "/api/v1/lti/contexts/%d/gradebook/check?user=1" % context)
        self.assertEqual((r.status_code, r.json()["error"]["reason"]), (400, "unknown_field"))
        r = self.tool.api("GET", "/api/v1/lti/contexts/99999/gradebook/check")
        self.assertEqual((r.status_code, r.json()["error"]["reason"]), (404, "lti_context_not_found"))
        r = self.tool.api("POST", "/api/v1/lti/contexts/99999/gradebook/repair")
        self.assertEqual((r.status_code, r.json()["error"]["reason"]), (404, "lti_context_not_found"))
        r = requests.get(self.tool.base + "/api/v1/lti/contexts/%d/gradebook/check" % context, timeout=10)
        self.assertEqual(r.status_code, 401)
        r = requests.post(self.tool.base + "/api/v1/lti/contexts/%d/gradebook/repair" % context, timeout=10)
        self.assertEqual(r.status_code, 401)
        self.assertEqual(len(self.state()["scores"]), scores_before + 2)


if __name__ == "__main__":
    if ARGS.backend == "postgresql" and not os.environ.get("MENTORING_TEST_POSTGRES_URL"):
        if os.environ.get("MENTORING_REQUIRE_POSTGRES") == "1":
            print("MENTORING_TEST_POSTGRES_URL is not set but MENTORING_REQUIRE_POSTGRES=1", file=sys.stderr)
            sys.exit(1)
        print("skipped: MENTORING_TEST_POSTGRES_URL is not set", file=sys.stderr)
        sys.exit(SKIP_CODE)
    unittest.main(verbosity=2)
