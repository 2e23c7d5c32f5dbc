#!/usr/bin/env python3
"""A simulated LTI 1.3 platform (the host portal) for tests and the demo.

It plays the portal's side with an independent JOSE implementation
(Debian's python3-jwt and python3-cryptography), never the plugin's code:

  GET  /                          portal page: "launch as trainee / mentor / scheme administrator",
                                  the tool in an iframe
  GET  /launch?user=...&kind=...  starts an OIDC third-party login at the tool
  GET|POST /auth                  OIDC authorization endpoint: checks the tool's request and
                                  answers with an auto-posting form carrying a signed id_token
  GET  /jwks.json                 the platform's public keys (Cache-Control: max-age)
  POST /token                     OAuth2 client_credentials with a JWT assertion (RFC 7523)
  GET  /nrps/<context>            Names and Role Provisioning (paged, Link: rel="next")
  GET|POST /ags/<context>/lineitems, POST .../lineitems/<id>/scores
                                  Assignment and Grade Services
  GET  /ags/<context>/lineitems/<id>/results?limit=&offset=
                                  the Result service: the latest score of each person, paged
                                  (limit defaults to 2; Link: rel="next")
  GET  /.well-known/openid-configuration, POST /register
                                  LTI Dynamic Registration
  GET  /test/state                what the platform has seen (for assertions)
  POST /test/rotate-key           adds a new signing key (key rotation)
  POST /test/jwks-mode            "ok", "down" (503) or "garbage"
  POST /test/roster?size=&inactive=&fail_offset=
                                  reshapes the NRPS roster (size members, every inactive-th one
                                  Inactive) and makes the page at fail_offset answer 500
  POST /test/results?lineitem=&user=&score=
                                  changes the gradebook behind the tool's back: sets the person's
                                  resultScore on that line item, or drops the result without score

Run: platform_simulator.py --port 9001 --tool http://127.0.0.1:8080
"""
import argparse
import base64
import html
import json
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ROLES = {
    "trainee": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
    "mentor": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"],
    "admin": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
              "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
              "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"],
}
USERS = {
    "trainee": {"sub": "trainee-0001", "name": "Dr Aisha Okafor", "given_name": "Aisha", "family_name": "Okafor",
                "email": "aisha.okafor@portal.example.nhs.uk"},
    "mentor": {"sub": "mentor-0001", "name": "Dr Ben Hughes", "given_name": "Ben", "family_name": "Hughes",
               "email": "ben.hughes@portal.example.nhs.uk"},
    "admin": {"sub": "staff-0001", "name": "Priya Patel", "given_name": "Priya", "family_name": "Patel",
              "email": "priya.patel@deanery.example.nhs.uk"},
}


# The platform's side of LTI client-side postMessage storage, in the portal
# page: answers lti.capabilities, lti.put_data and lti.get_data from the
# tool's origin only, keeps values per tool origin (or, with ?forget=1, loses
# them), and records every message
# in window.ltiStorageLog for the tests.
STORAGE_SCRIPT = """
(function () {
  const toolOrigin = TOOL_ORIGIN;
  const store = new Map();
  // ?forget=1: a portal page that lost what it was given (a reload, say).
  const forget = new URLSearchParams(window.location.search).has('forget');
  window.ltiStorageLog = [];
  window.addEventListener('message', function (event) {
    const d = event.data;
    if (!d || typeof d !== 'object' || typeof d.subject !== 'string' || !d.subject.startsWith('lti.')) return;
    window.ltiStorageLog.push({ origin: event.origin, subject: d.subject, key: d.key });
    if (event.origin !== toolOrigin || !event.source) return;
    const reply = function (m) { event.source.postMessage(Object.assign({ message_id: d.message_id }, m), event.origin); };
    if (d.subject === 'lti.capabilities') {
      reply({ subject: 'lti.capabilities.response', supported_messages: [
        { subject: 'lti.capabilities' }, { subject: 'lti.put_data' }, { subject: 'lti.get_data' }] });
    } else if (d.subject === 'lti.put_data') {
      if (typeof d.key !== 'string' || typeof d.value !== 'string') {
        return reply({ subject: 'lti.put_data.response', error: { code: 'bad_request', message: 'key and value' } });
      }
      store.set(event.origin + ' ' + d.key, d.value);
      reply({ subject: 'lti.put_data.response', key: d.key, value: d.value });
    } else if (d.subject === 'lti.get_data') {
      const k = event.origin + ' ' + d.key;
      if (forget || !store.has(k)) return reply({ subject: 'lti.get_data.response', key: d.key, value: null });
      reply({ subject: 'lti.get_data.response', key: d.key, value: store.get(k) });
    }
  });
})();
"""


def b64url_uint(n):
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Key:
    def __init__(self):
        self.kid = "platform-" + secrets.token_hex(4)
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self):
        nums = self.private.public_key().public_numbers()
        return {"kty": "RSA", "kid": self.kid, "alg": "RS256", "use": "sig",
                "n": b64url_uint(nums.n), "e": b64url_uint(nums.e)}


class Platform:
    def __init__(self, base, tool, client_id, deployment_id, roster_size=25):
        self.base = base
        self.issuer = base
        self.tool = tool.rstrip("/")
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.keys = [Key()]
        self.jwks_mode = "ok"
        self.lock = threading.Lock()
        self.seen = {"logins": [], "tokens_issued": 0, "scores": [], "lineitems": [], "registrations": [],
                     "jwks_fetches": 0, "client_assertions": [], "result_reads": []}
        self.lineitems = {}
        self.results = {}  # line item id -> {userId: result}
        self.access_tokens = {}
        self.nrps_fail_offset = None
        self.deep_link_data = set()
        self.tool_jwks_url = self.tool + "/lti/jwks"
        self.roster = [{"user_id": f"nrps-{i:04d}", "name": f"Dr Roster Person {i}", "email": f"roster{i}@example.nhs.uk",
                        "status": "Active", "roles": ROLES["trainee"] if i % 5 else ROLES["mentor"]}
                       for i in range(roster_size)]

    # -- id_token ---------------------------------------------------------
    def id_token(self, kind, nonce, message_type="LtiResourceLinkRequest", target_link_uri=None, context="course-fy1"):
        user = USERS[kind]
        now = int(time.time())
        claims = {
            "iss": self.issuer, "aud": self.client_id, "sub": user["sub"],
            "iat": now, "exp": now + 300, "nonce": nonce,
            "name": user["name"], "given_name": user["given_name"], "family_name": user["family_name"],
            "email": user["email"],
            LTI + "message_type": message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": target_link_uri or self.tool + "/lti/launch",
            LTI + "roles": ROLES[kind],
            LTI + "context": {"id": context, "label": "FY1", "title": "Foundation Year 1 (North West)",
                              "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]},
            LTI + "tool_platform": {"guid": "portal-simulator", "name": "Portal simulator",
                                    "product_family_code": "simulator"},
            LTI + "launch_presentation": {"document_target": "iframe", "locale": "en-GB",
                                          "return_url": self.base + "/"},
            LTI + "custom": {"scheme": "demo"},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{self.base}/nrps/{context}",
                "service_versions": ["2.0"]},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                          "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                          "https://purl.imsglobal.org/spec/lti-ags/scope/score"],
                "lineitems": f"{self.base}/ags/{context}/lineitems"},
        }
        if message_type == "LtiResourceLinkRequest":
            claims[LTI + "resource_link"] = {"id": "resource-mentoring", "title": "Mentoring"}
        else:
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.base}/deep-link-return",
                "accept_types": ["ltiResourceLink"], "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False, "data": "dl-" + secrets.token_hex(4)}
            with self.lock:
                self.deep_link_data.add(claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]["data"])
        key = self.keys[-1]
        with self.lock:
            self.seen["tokens_issued"] += 1
        return jwt.encode(claims, key.private, algorithm="RS256", headers={"kid": key.kid})

    def jwks(self):
        return {"keys": [k.jwk() for k in self.keys]}


class Handler(BaseHTTPRequestHandler):
    server_version = "PortalSimulator/1.0"
    platform: Platform = None

    def log_message(self, fmt, *args):  # keep test output quiet
        if self.server.verbose:
            sys.stderr.write("simulator: " + fmt % args + "\n")

    # -- plumbing -----------------------------------------------------------
    def send(self, status, body, content_type="application/json", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def params(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            ctype = self.headers.get("Content-Type", "")
            if ctype.startswith("application/x-www-form-urlencoded"):
                q.update(dict(urllib.parse.parse_qsl(raw.decode())))
            else:
                self._raw_body = raw
        return url.path, q

    def bearer(self):
        auth = self.headers.get("Authorization", "")
        token = auth[7:] if auth.startswith("Bearer ") else ""
        return self.platform.access_tokens.get(token)

    # -- routes -------------------------------------------------------------
    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def route(self):
        p = self.platform
        path, q = self.params()
        if path == "/":
            return self.portal_page()
        if path == "/launch":
            return self.start_login(q)
        if path == "/auth":
            return self.authorize(q)
        if path == "/jwks.json":
            with p.lock:
                p.seen["jwks_fetches"] += 1
            if p.jwks_mode == "down":
                return self.send(503, {"error": "unavailable"})
            if p.jwks_mode == "garbage":
                return self.send(200, "<<not json>>", "application/json")
            return self.send(200, p.jwks(), headers={"Cache-Control": "max-age=300"})
        if path == "/token":
            return self.token(q)
        if path.startswith("/nrps/"):
            return self.nrps(path, q)
        if path.startswith("/ags/"):
            return self.ags(path, q)
        if path == "/.well-known/openid-configuration":
            return self.send(200, self.openid_configuration())
        if path == "/register":
            return self.register()
        if path == "/deep-link-return":
            return self.deep_link_return(q)
        if path == "/test/state":
            return self.send(200, p.seen)
        if path == "/test/rotate-key":
            p.keys.append(Key())
            return self.send(200, {"kid": p.keys[-1].kid})
        if path == "/test/roster":
            size = int(q.get("size", len(p.roster)))
            inactive = int(q.get("inactive", 0))
            p.roster = [{"user_id": f"nrps-{i:04d}", "name": f"Dr Roster Person {i}",
                         "email": f"roster{i}@example.nhs.uk",
                         "status": "Inactive" if inactive and i % inactive == inactive - 1 else "Active",
                         "roles": ROLES["trainee"] if i % 5 else ROLES["mentor"]} for i in range(size)]
            p.nrps_fail_offset = int(q["fail_offset"]) if q.get("fail_offset") else None
            return self.send(200, {"size": size})
        if path == "/test/results":
            lineitem, user = q.get("lineitem", ""), q.get("user", "")
            with p.lock:
                held = p.results.get(lineitem, {})
                if user not in held:
                    return self.send(404, {"error": "no such result"})
                if q.get("score") is None:
                    del held[user]
                else:
                    held[user]["resultScore"] = float(q["score"])
            return self.send(200, {"lineitem": lineitem, "user": user})
        if path == "/test/jwks-mode":
            p.jwks_mode = q.get("mode", "ok")
            return self.send(200, {"mode": p.jwks_mode})
        if path == "/test/id-token":
            # Lets a test obtain a token for a nonce it chose (after a real login).
            return self.send(200, {"id_token": p.id_token(q.get("kind", "trainee"), q["nonce"],
                                                           q.get("message_type", "LtiResourceLinkRequest"),
                                                           q.get("target_link_uri"))})
        self.send(404, {"error": "not found"})

    def portal_page(self):
        p = self.platform
        links = "".join(
            f'<li><a href="/launch?kind={k}" target="tool">Launch as {label}</a></li>'
            for k, label in (("trainee", "trainee (mentee)"), ("mentor", "mentor"), ("admin", "scheme administrator")))
        links += '<li><a href="/launch?kind=trainee&amp;storage=1" target="tool">Launch as trainee with portal storage</a></li>'
        tool_origin = json.dumps(urllib.parse.urlsplit(p.tool).scheme + "://" + urllib.parse.urlsplit(p.tool).netloc)
        page = f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Portal simulator</title></head>
<body><header><h1>Portal simulator</h1><p>An LTI 1.3 platform playing the e-portfolio.</p></header>
<main><nav aria-label="Launch"><ul>{links}</ul></nav>
<iframe name="tool" title="Mentoring" src="about:blank" style="width:100%;height:80vh;border:1px solid #ccc"
 allow="clipboard-write"></iframe></main>
<script>{STORAGE_SCRIPT.replace("TOOL_ORIGIN", tool_origin)}</script></body></html>"""
        self.send(200, page, "text/html; charset=utf-8")

    def start_login(self, q):
        p = self.platform
        kind = q.get("kind", "trainee")
        message_type = q.get("message_type", "LtiResourceLinkRequest")
        hint = json.dumps({"kind": kind, "message_type": message_type})
        params = {"iss": p.issuer, "login_hint": USERS[kind]["sub"], "target_link_uri": p.tool + "/lti/launch",
                  "lti_message_hint": hint, "client_id": p.client_id, "lti_deployment_id": p.deployment_id}
        if q.get("storage") == "1":
            params["lti_storage_target"] = "_parent"
        self.send(302, "", "text/plain", {"Location": p.tool + "/lti/login?" + urllib.parse.urlencode(params)})

    def authorize(self, q):
        p = self.platform
        problems = []
        expect = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
                  "prompt": "none", "client_id": p.client_id}
        for k, v in expect.items():
            if q.get(k) != v:
                problems.append(f"{k} must be {v!r}, got {q.get(k)!r}")
        if q.get("redirect_uri") != p.tool + "/lti/launch":
            problems.append("redirect_uri is not registered")
        if not q.get("nonce") or not q.get("state"):
            problems.append("state and nonce are required")
        with p.lock:
            p.seen["logins"].append({k: q.get(k) for k in ("login_hint", "state", "nonce", "lti_message_hint")})
        if problems:
            # The platform reports errors back to the tool, as OIDC says.
            return self.form_post(q.get("redirect_uri") or p.tool + "/lti/launch",
                                  {"error": "invalid_request", "error_description": "; ".join(problems),
                                   "state": q.get("state", "")})
        hint = json.loads(q.get("lti_message_hint") or "{}")
        kind = hint.get("kind", "trainee")
        token = p.id_token(kind, q["nonce"], hint.get("message_type", "LtiResourceLinkRequest"))
        self.form_post(q["redirect_uri"], {"id_token": token, "state": q["state"]})

    def form_post(self, action, fields):
        inputs = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in fields.items())
        page = f"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Signing in</title></head>
<body><form id="f" method="post" action="{html.escape(action)}">{inputs}
<noscript><button type="submit">Continue</button></noscript></form>
<script>document.getElementById('f').submit();</script></body></html>"""
        self.send(200, page, "text/html; charset=utf-8")

    def token(self, q):
        p = self.platform
        if q.get("grant_type") != "client_credentials" or \
                q.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return self.send(400, {"error": "unsupported_grant_type"})
        assertion = q.get("client_assertion", "")
        try:
            header = jwt.get_unverified_header(assertion)
            jwks = json.loads(urllib.request.urlopen(p.tool_jwks_url, timeout=5).read())
            keys = {k["kid"]: k for k in jwks["keys"]}
            key = RSAAlgorithm.from_jwk(json.dumps(keys[header["kid"]]))
            claims = jwt.decode(assertion, key, algorithms=["RS256"], audience=p.base + "/token",
                                issuer=p.client_id, options={"require": ["exp", "iat", "jti", "sub"]})
            if claims["sub"] != p.client_id:
                raise ValueError("sub must be the client_id")
        except Exception as e:  # any failure is the client's
            return self.send(401, {"error": "invalid_client", "error_description": str(e)})
        with p.lock:
            p.seen["client_assertions"].append(claims["jti"])
        access = secrets.token_urlsafe(24)
        scopes = q.get("scope", "").split()
        p.access_tokens[access] = set(scopes)
        self.send(200, {"access_token": access, "token_type": "Bearer", "expires_in": 3600, "scope": " ".join(scopes)})

    def nrps(self, path, q):
        p = self.platform
        scopes = self.bearer()
        if scopes is None or "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly" not in scopes:
            return self.send(401, {"error": "invalid_token"})
        limit = int(q.get("limit", 10))
        offset = int(q.get("offset", 0))
        if p.nrps_fail_offset is not None and offset == p.nrps_fail_offset:
            return self.send(500, {"error": "roster page unavailable"})
        members = p.roster[offset:offset + limit]
        headers = {}
        if offset + limit < len(p.roster):
            nxt = f"{p.base}{path}?limit={limit}&offset={offset + limit}"
            headers["Link"] = f'<{nxt}>; rel="next"'
        self.send(200, {"id": p.base + path, "context": {"id": path.split("/")[2]}, "members": members},
                  "application/vnd.ims.lti-nrps.v2.membershipcontainer+json", headers)

    def ags(self, path, q):
        p = self.platform
        scopes = self.bearer()
        if scopes is None:
            return self.send(401, {"error": "invalid_token"})
        parts = path.strip("/").split("/")  # ags, context, lineitems[, id, scores]
        if len(parts) == 3 and self.command == "GET":
            return self.send(200, list(p.lineitems.values()), "application/vnd.ims.lis.v2.lineitemcontainer+json")
        if len(parts) == 3 and self.command == "POST":
            item = json.loads(self._raw_body)
            item["id"] = f"{p.base}{path}/{len(p.lineitems) + 1}"
            p.lineitems[item["id"]] = item
            with p.lock:
                p.seen["lineitems"].append(item)
            return self.send(201, item, "application/vnd.ims.lis.v2.lineitem+json")
        if len(parts) == 5 and parts[4] == "scores" and self.command == "POST":
            if "https://purl.imsglobal.org/spec/lti-ags/scope/score" not in scopes:
                return self.send(403, {"error": "insufficient_scope"})
            if self.headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
                return self.send(415, {"error": "score media type expected"})
            score = json.loads(self._raw_body)
            lineitem = f"{p.base}/{'/'.join(parts[:4])}"
            with p.lock:
                p.seen["scores"].append({"lineitem": lineitem, **score})
                # The latest score of a person is their result (AGS 2.0).
                p.results.setdefault(lineitem, {})[score["userId"]] = {
                    "id": f"{lineitem}/results/{urllib.parse.quote(score['userId'], safe='')}",
                    "scoreOf": lineitem, "userId": score["userId"],
                    "resultScore": score.get("scoreGiven"), "resultMaximum": score.get("scoreMaximum", 1)}
            return self.send(200, {})
        if len(parts) == 5 and parts[4] == "results" and self.command == "GET":
            if "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly" not in scopes:
                return self.send(403, {"error": "insufficient_scope"})
            lineitem = f"{p.base}/{'/'.join(parts[:4])}"
            if lineitem not in p.lineitems:
                return self.send(404, {"error": "no such line item"})
            limit = max(1, int(q.get("limit", 2)))
            offset = max(0, int(q.get("offset", 0)))
            with p.lock:
                p.seen["result_reads"].append(self.path)
                held = [dict(r) for r in p.results.get(lineitem, {}).values()]
            headers = {}
            if offset + limit < len(held):
                headers["Link"] = f'<{p.base}{path}?limit={limit}&offset={offset + limit}>; rel="next"'
            return self.send(200, held[offset:offset + limit], "application/vnd.ims.lis.v2.resultcontainer+json",
                             headers)
        self.send(404, {"error": "not found"})

    def openid_configuration(self):
        p = self.platform
        return {
            "issuer": p.issuer, "authorization_endpoint": p.base + "/auth", "token_endpoint": p.base + "/token",
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
            "jwks_uri": p.base + "/jwks.json", "registration_endpoint": p.base + "/register",
            "scopes_supported": ["openid"], "response_types_supported": ["id_token"],
            "subject_types_supported": ["public", "pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "simulator", "version": "1.0",
                "messages_supported": [{"type": "LtiResourceLinkRequest"}, {"type": "LtiDeepLinkingRequest"}],
                "variables": []},
        }

    def register(self):
        p = self.platform
        auth = self.headers.get("Authorization", "")
        if auth != "Bearer registration-token-123":
            return self.send(401, {"error": "invalid_token"})
        reg = json.loads(self._raw_body)
        # What LTI Dynamic Registration 1.0 section 3.5.2 requires of the tool.
        tool_conf = reg.get("https://purl.imsglobal.org/spec/lti-tool-configuration") or {}
        problems = [k for k in ("client_name", "jwks_uri", "initiate_login_uri", "redirect_uris", "scope")
                    if not reg.get(k)]
        if reg.get("token_endpoint_auth_method") != "private_key_jwt":
            problems.append("token_endpoint_auth_method")
        if not tool_conf.get("domain") or not tool_conf.get("target_link_uri"):
            problems.append("lti-tool-configuration")
        if problems:
            return self.send(400, {"error": "invalid_client_metadata", "error_description": ", ".join(problems)})
        client_id = "client-" + secrets.token_hex(4)
        reg["client_id"] = client_id
        reg.setdefault("https://purl.imsglobal.org/spec/lti-tool-configuration", {})["deployment_id"] = \
            "deployment-" + secrets.token_hex(3)
        with p.lock:
            p.seen["registrations"].append(reg)
            # From now on the platform launches as this registration.
            p.client_id = client_id
            p.deployment_id = reg["https://purl.imsglobal.org/spec/lti-tool-configuration"]["deployment_id"]
        self.send(200, reg)

    def deep_link_return(self, q):
        p = self.platform
        token = q.get("JWT", "")
        try:
            header = jwt.get_unverified_header(token)
            jwks = json.loads(urllib.request.urlopen(p.tool_jwks_url, timeout=5).read())
            key = RSAAlgorithm.from_jwk(json.dumps({k["kid"]: k for k in jwks["keys"]}[header["kid"]]))
            claims = jwt.decode(token, key, algorithms=["RS256"], audience=p.issuer, issuer=p.client_id,
                                options={"require": ["exp", "iat", "nonce", "iss", "aud"]})
            # Deep Linking 2.0 section 4.5: what a response must carry.
            if claims.get(LTI + "message_type") != "LtiDeepLinkingResponse":
                raise ValueError("message_type must be LtiDeepLinkingResponse")
            if claims.get(LTI + "version") != "1.3.0":
                raise ValueError("version must be 1.3.0")
            if claims.get(LTI + "deployment_id") != p.deployment_id:
                raise ValueError("deployment_id does not match")
            data = claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/data")
            with p.lock:
                if data not in p.deep_link_data:
                    raise ValueError("data was not echoed from a request")
                p.deep_link_data.discard(data)
            items = claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/content_items")
            if not isinstance(items, list) or len(items) != 1 or items[0].get("type") != "ltiResourceLink":
                raise ValueError("exactly one ltiResourceLink content item expected")
        except Exception as e:
            return self.send(400, {"error": str(e)})
        with p.lock:
            p.seen.setdefault("deep_links", []).append(claims)
        self.send(200, "<!doctype html><title>Placed</title><p>The mentoring scheme was placed in the course.</p>",
                  "text/html; charset=utf-8")


import urllib.request  # noqa: E402  (used by handlers)


def serve(port, tool, client_id="mentoring-client", deployment_id="deployment-1", verbose=False):
    base = f"http://127.0.0.1:{port}"
    platform = Platform(base, tool, client_id, deployment_id)
    handler = type("BoundHandler", (Handler,), {"platform": platform})
    httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
    httpd.verbose = verbose
    if port == 0:
        platform.base = platform.issuer = f"http://127.0.0.1:{httpd.server_address[1]}"
    return httpd, platform


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=9001)
    ap.add_argument("--tool", default="http://127.0.0.1:8080")
    ap.add_argument("--client-id", default="mentoring-client")
    ap.add_argument("--deployment-id", default="deployment-1")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    httpd, platform = serve(args.port, args.tool, args.client_id, args.deployment_id, args.verbose)
    print(f"portal simulator on {platform.base} (issuer {platform.issuer}, client_id {platform.client_id}, "
          f"deployment {platform.deployment_id})", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
