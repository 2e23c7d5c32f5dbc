#!/usr/bin/python3
"""The webhook event catalogue (docs/webhooks.md, docs/webhook-schemas/*.json)
against the code, so the documentation cannot drift from what the plugin
accepts and sends.

  * every schema file is well-formed JSON using only the JSON Schema keywords
    the checker below understands, its examples pass it, and docs/webhooks.md
    names every event and links its schema;
  * the event names are exactly those of plugin/src/core/events.cc;
  * each inbound schema's fields and required fields are exactly those the
    decoder (adapters/webhook/event_codec.cc) reads; each outbound schema's
    fields are exactly those the code writes (app/webhook_events.cc,
    app/relationship_engagement.cc, app/concerns.cc);
  * against a running mentoringd: every inbound example, signed with the
    reference host (Standard Webhooks), is accepted; each one without one of
    its required fields, or with an extra field, is refused; the
    mentoring.enrolled event the plugin sends after an enrolment passes its
    schema; and so does the mentoring.survey_due it sends when a round is
    created and, once per person, to someone who enrols after that.

Debian has no python3-jsonschema installed here, so the checker is a small
one written for the keywords the schemas use (and refuses any other).

  integration/webhook/schemas_test.py --mentoringd build/bin/mentoringd
"""
import argparse
import glob
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import reference_host as host  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--mentoringd", required=True)
ARGS, REST = parser.parse_known_args()

SCHEMA_DIR = os.path.join(ROOT, "docs", "webhook-schemas")
KEYWORDS = {"$schema", "$id", "title", "description", "x-direction", "x-reserved", "examples", "type", "const",
            "enum", "required", "properties", "additionalProperties", "pattern", "minLength", "maxLength",
            "minimum", "items", "minItems", "oneOf", "format"}
JSON_TYPES = {"string": str, "integer": int, "object": dict, "array": list, "null": type(None), "boolean": bool}


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def check_schema_keywords(schema, path="#"):
    problems = []
    if not isinstance(schema, dict):
        return [path + ": a schema must be an object"]
    for k in schema:
        if k not in KEYWORDS:
            problems.append("%s: keyword %s is not understood by this checker" % (path, k))
    for name, sub in schema.get("properties", {}).items():
        problems += check_schema_keywords(sub, path + "/properties/" + name)
    if "items" in schema:
        problems += check_schema_keywords(schema["items"], path + "/items")
    for i, sub in enumerate(schema.get("oneOf", [])):
        problems += check_schema_keywords(sub, path + "/oneOf/%d" % i)
    return problems


def errors(schema, value, path="$"):
    """The ways `value` fails `schema` (empty when it passes)."""
    out = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(isinstance(value, JSON_TYPES[t]) and not (t == "integer" and isinstance(value, bool)) for t in types)
        if not ok:
            return ["%s: %r is not of type %s" % (path, value, "/".join(types))]
    if "const" in schema and value != schema["const"]:
        out.append("%s: %r is not %r" % (path, value, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        out.append("%s: %r is not one of %r" % (path, value, schema["enum"]))
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            out.append("%s: shorter than %d" % (path, schema["minLength"]))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            out.append("%s: longer than %d" % (path, schema["maxLength"]))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            out.append("%s: %r does not match %s" % (path, value, schema["pattern"]))
    if isinstance(value, int) and not isinstance(value, bool) and "minimum" in schema and value < schema["minimum"]:
        out.append("%s: below %d" % (path, schema["minimum"]))
    if isinstance(value, dict):
        for r in schema.get("required", []):
            if r not in value:
                out.append("%s: %s is required" % (path, r))
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                out += errors(props[k], v, path + "." + k)
            elif schema.get("additionalProperties") is False:
                out.append("%s: %s is not allowed" % (path, k))
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            out.append("%s: fewer than %d items" % (path, schema["minItems"]))
        for i, item in enumerate(value):
            if "items" in schema:
                out += errors(schema["items"], item, "%s[%d]" % (path, i))
    if "oneOf" in schema:
        passing = [i for i, sub in enumerate(schema["oneOf"]) if not errors(sub, value, path)]
        if len(passing) != 1:
            out.append("%s: matches %d of the oneOf branches, not exactly one" % (path, len(passing)))
    return out


def load_schemas():
    out = {}
    for path in sorted(glob.glob(os.path.join(SCHEMA_DIR, "*.json"))):
        with open(path, encoding="utf-8") as f:
            out[os.path.basename(path)[:-5]] = json.load(f)
    return out


def code_event_names():
    src = read("plugin/src/core/events.cc")
    inbound = dict(re.findall(r'\{InboundEventType::(k\w+), "([a-z_.]+)"\}', src))
    outbound = dict(re.findall(r'\{OutboundEventType::(k\w+), "([a-z_.]+)"\}', src))
    return inbound, outbound


def decoder_fields():
    """event type -> (allowed data keys, required data keys), read from event_codec.cc."""
    src = read("adapters/webhook/event_codec.cc")
    inbound, _ = code_event_names()
    body = src[src.index("switch (e.type)"):]
    out = {}
    # Each group of case labels up to the next `case` or `break`.
    for m in re.finditer(r"((?:case InboundEventType::k\w+:\s*)+)(.*?)(?=\n    case |\n  \}\n)", body, re.S):
        kinds = re.findall(r"InboundEventType::(k\w+)", m.group(1))
        block = m.group(2)
        keys = re.search(r"check_keys\(\s*data,\s*\{([^}]*)\}", block, re.S)
        allowed = set(re.findall(r'"([a-z_]+)"', keys.group(1)))
        required = set(re.findall(r'read_(?:text|day)\(data, "([a-z_]+)", [^,]+, true\)', block))
        for k in kinds:
            out[inbound[k]] = (allowed, required | {"platform", "subject"})
    # platform and subject are read after the switch, for every event.
    assert re.search(r'read_text\(data, "platform", e\.person\.platform, true\)', src)
    assert re.search(r'read_text\(data, "subject", e\.person\.subject, true\)', src)
    return out


def written_keys(path, start_marker, end_marker):
    src = read(path)
    block = src[src.index(start_marker):]
    block = block[:block.index(end_marker)]
    return set(re.findall(r'data\["([a-z_]+)"\]', block))



def day(offset):
    """The UTC date `offset` days from today, as YYYY-MM-DD."""
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + offset * 86400))


def outbox_position(msg_id):
    """(outbox id, second queued) of a webhook-id "msg_<id>_<queued>", or None."""
    m = re.fullmatch(r"msg_(\d+)_(\d+)", msg_id)
    return (int(m.group(1)), int(m.group(2))) if m else None


class CatalogueTest(unittest.TestCase):
    def setUp(self):
        self.schemas = load_schemas()

    def test_schemas_are_well_formed_and_their_examples_pass(self):
        self.assertTrue(self.schemas)
        for name, schema in self.schemas.items():
            self.assertEqual(check_schema_keywords(schema), [], name)
            self.assertEqual(schema["properties"]["type"], {"const": name}, name)
            self.assertIn(schema.get("x-direction"), ("inbound", "outbound"), name)
            if schema.get("x-reserved"):
                continue
            self.assertTrue(schema.get("examples"), name + " has an example")
            for ex in schema["examples"]:
                self.assertEqual(errors(schema, ex), [], name)

    def test_the_checker_refuses_what_a_schema_forbids(self):
        s = self.schemas["placement.changed"]
        good = s["examples"][0]
        self.assertEqual(errors(s, good), [])
        for bad in ({**good, "extra": 1}, {**good, "data": {k: v for k, v in good["data"].items() if k != "site"}},
                    {**good, "data": {**good["data"], "starts_on": "2 Dec 2026"}}, {**good, "type": "placement"}):
            self.assertNotEqual(errors(s, bad), [], bad)

    def test_event_names_are_those_of_the_code_and_the_document_names_each(self):
        inbound, outbound = code_event_names()
        self.assertEqual(set(self.schemas), set(inbound.values()) | set(outbound.values()))
        for name, schema in self.schemas.items():
            expected = "inbound" if name in inbound.values() else "outbound"
            self.assertEqual(schema["x-direction"], expected, name)
        doc = read("docs/webhooks.md")
        for name in self.schemas:
            self.assertIn("`%s`" % name, doc, name)
            self.assertIn("webhook-schemas/%s.json" % name, doc, name)

    def test_inbound_fields_are_those_the_decoder_reads(self):
        fields = decoder_fields()
        self.assertEqual(set(fields), {n for n, s in self.schemas.items() if s["x-direction"] == "inbound"})
        for name, (allowed, required) in fields.items():
            data = self.schemas[name]["properties"]["data"]
            self.assertEqual(set(data["properties"]), allowed, name)
            self.assertEqual(set(data["required"]), required, name)
            self.assertIs(data["additionalProperties"], False, name)

    def test_outbound_fields_are_those_the_code_writes(self):
        enrolled = self.schemas["mentoring.enrolled"]["properties"]["data"]
        self.assertEqual(set(enrolled["properties"]),
                         written_keys("plugin/src/app/webhook_events.cc", "enrolled_event_payload", "return"))
        nudge_keys = written_keys("plugin/src/app/relationship_engagement.cc", "boost::json::object data;",
                                  "s.outbox.append")
        meeting = self.schemas["mentoring.meeting_due"]["properties"]["data"]
        self.assertEqual(set(meeting["properties"]), nudge_keys)
        branches = self.schemas["mentoring.escalation_raised"]["properties"]["data"]["oneOf"]
        self.assertEqual(set(branches[0]["properties"]), nudge_keys)
        self.assertEqual(set(branches[1]["properties"]),
                         written_keys("plugin/src/app/concerns.cc", "Status append_escalation_event", "s.outbox.append"))
        pairing_keys = written_keys("plugin/src/app/webhook_events.cc", "Status append_pairing_event",
                                    "s.outbox.append")
        self.assertEqual(set(self.schemas["mentoring.pairing_ended"]["properties"]["data"]["properties"]),
                         pairing_keys)
        self.assertEqual(set(self.schemas["mentoring.pairing_confirmed"]["properties"]["data"]["properties"]),
                         pairing_keys - {"end_reason", "ended_by"})
        for name, path, marker, end in (
                ("mentoring.pairing_proposed", "plugin/src/app/webhook_events.cc",
                 "Status append_pairing_proposed_event", "append(s, core::OutboundEventType"),
                ("mentoring.survey_due", "plugin/src/app/survey_due.cc",
                 "Result<bool> announce_survey_round_to(", "s.outbox.append_once"),
                ("mentoring.certificate_issued", "plugin/src/app/webhook_events.cc",
                 "append_certificate_issued_event(", "s.outbox.append_once")):
            data = self.schemas[name]["properties"]["data"]
            keys = written_keys(path, marker, end)
            self.assertEqual(set(data["properties"]), keys, name)
            self.assertEqual(set(data["required"]), keys, name)
        # People are {platform, subject}; reminder recipients add their role.
        src = read("plugin/src/app/relationship_engagement.cc")
        self.assertRegex(src, r'\{"role", ev::to_string\(role\)\},\s*\{"account", boost::json::object\{\{"platform"'
                              r', \(\*a\)->platform\}, \{"subject", \(\*a\)->subject\}\}\}')
        self.assertEqual(set(meeting["properties"]["recipients"]["items"]["properties"]), {"role", "account"})


class LiveTest(unittest.TestCase):
    """The examples against a running plugin, signed like a host would."""

    @classmethod
    def setUpClass(cls):
        cls.schemas = load_schemas()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.inbound_secret = host.new_secret()
        outbound_secret = host.new_secret()
        cls.receiver = host.Receiver([outbound_secret])
        cls.token = "schemas-test-token-" + secrets.token_hex(16)
        cls.proc = subprocess.Popen(
            [ARGS.mentoringd, "serve", "--database.url=sqlite3:" + os.path.join(cls.tmp.name, "m.db"),
             "--http.port=0", "--api.service_token=" + cls.token, "--log.access=false",
             "--webhook.inbound_secrets=" + cls.inbound_secret, "--webhook.outbound_secrets=" + outbound_secret,
             "--webhook.target_url=" + cls.receiver.url, "--webhook.poll_interval_ms=100"],
            stderr=subprocess.PIPE, text=True)
        cls.port = None
        log = []
        deadline = time.time() + 30
        while time.time() < deadline:
            line = cls.proc.stderr.readline()
            if not line:
                break
            log.append(line)
            m = re.search(r"serving on port (\d+)", line)
            if m:
                cls.port = int(m.group(1))
                break
        if cls.port is None:
            cls.proc.kill()
            raise RuntimeError("mentoringd did not start:\n" + "".join(log))
        threading.Thread(target=lambda: [None for _ in cls.proc.stderr], daemon=True).start()
        cls.sender = host.Sender(cls.port, cls.inbound_secret)

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=30)
        cls.receiver.close()
        cls.tmp.cleanup()

    def api(self, method, path, body=None):
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + self.token,
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                return res.status, json.loads(res.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def send(self, event):
        return self.sender.send(json.dumps(event, separators=(",", ":")).encode())

    def webhook_ids(self, event):
        """The webhook-ids under which the receiver got `event` (one unless it was queued twice)."""
        with self.receiver.lock:
            return [msg_id for msg_id, body in self.receiver.unique.items() if body == event]

    def inbound(self):
        return {n: s for n, s in self.schemas.items() if s["x-direction"] == "inbound"}

    def test_every_inbound_example_is_accepted(self):
        for name, schema in self.inbound().items():
            status, body = self.send(schema["examples"][0])
            self.assertEqual(status, 200, "%s: %s" % (name, body))
            self.assertEqual(body["status"], "accepted", name)

    def test_an_example_without_a_required_field_or_with_an_extra_one_is_refused(self):
        for name, schema in self.inbound().items():
            example = schema["examples"][0]
            for field in schema["properties"]["data"]["required"]:
                data = {k: v for k, v in example["data"].items() if k != field}
                status, body = self.send({**example, "data": data})
                self.assertEqual(status, 400, "%s without %s: %s" % (name, field, body))
                self.assertEqual(body["error"]["reason"], "webhook_field_required", (name, field, body))
            status, body = self.send({**example, "data": {**example["data"], "nickname": "x"}})
            self.assertEqual(status, 400, name)
            self.assertEqual(body["error"]["reason"], "webhook_field_unknown", (name, body))

    def enrol_mentee(self, subject, scheme_name, model):
        """Makes an account, a scheme with an open cohort, and enrols the account as a mentee."""
        status, account = self.api("PUT", "/api/v1/accounts", {"platform": "https://portal.example.nhs.uk",
                                                              "subject": subject, "display_name": "Dr " + subject,
                                                              "email": ""})
        self.assertIn(status, (200, 201), account)
        status, scheme = self.api("POST", "/api/v1/schemes", {"name": scheme_name, "type": "near_peer",
                                                             "aims": "Check the catalogue.", "phase": "pilot"})
        self.assertEqual(status, 201, scheme)
        status, cohort = self.api("POST", "/api/v1/schemes/%d/cohorts" % scheme["id"], {
            "name": "Intake", "opens_on": day(-10), "closes_on": day(20), "starts_on": day(25), "ends_on": day(360),
            "matching_model": model})
        self.assertEqual(status, 201, cohort)
        status, enrolment = self.api("POST", "/api/v1/cohorts/%d/enrolments" % cohort["id"],
                                     {"accountid": account["id"], "role": "mentee"})
        self.assertEqual(status, 201, enrolment)
        return account, scheme, cohort, enrolment

    def test_the_enrolled_event_the_plugin_sends_passes_its_schema(self):
        account, scheme, cohort, enrolment = self.enrol_mentee("schema-trainee", "Schema scheme", "hybrid")
        events = self.receiver.wait_for(lambda r: r.events("mentoring.enrolled"), timeout=30)
        self.assertTrue(events, "mentoring.enrolled arrived")
        self.assertEqual(errors(self.schemas["mentoring.enrolled"], events[0]), [])
        self.assertEqual(events[0]["data"]["enrolment_id"], enrolment["id"])

    def test_the_survey_due_event_the_plugin_sends_passes_its_schema(self):
        account, scheme, cohort, enrolment = self.enrol_mentee("schema-survey", "Survey scheme", "assigned")
        status, questionnaire = self.api("POST", "/api/v1/schemes/%d/surveys" % scheme["id"], {"default": True})
        self.assertEqual(status, 201, questionnaire)
        status, rnd = self.api("POST", "/api/v1/schemes/%d/rounds" % scheme["id"], {
            "questionnaireid": questionnaire["id"], "cohortid": cohort["id"], "phase": "baseline",
            "audiences": ["mentees", "supervisors"], "opens_on": day(0), "closes_on": day(14)})
        self.assertEqual(status, 201, rnd)
        mine = lambda r: [e for e in r.events("mentoring.survey_due") if e["data"]["round_id"] == rnd["id"]]
        events = self.receiver.wait_for(mine, timeout=30)
        self.assertEqual(len(events), 1, "one mentoring.survey_due for the one mentee")
        self.assertEqual(errors(self.schemas["mentoring.survey_due"], events[0]), [])
        self.assertEqual(events[0]["data"]["account"], {"platform": "https://portal.example.nhs.uk",
                                                        "subject": "schema-survey"})
        self.assertEqual(events[0]["data"]["audiences"], ["mentees"])

    def test_the_survey_due_event_sent_at_a_late_enrolment_passes_its_schema_once_per_person(self):
        platform = "https://portal.example.nhs.uk"
        first, scheme, cohort, _ = self.enrol_mentee("schema-late-mentee", "Late survey scheme", "assigned")
        status, questionnaire = self.api("POST", "/api/v1/schemes/%d/surveys" % scheme["id"], {"default": True})
        self.assertEqual(status, 201, questionnaire)
        asked = {"phase": "midpoint", "opens_on": day(0), "closes_on": day(21)}
        status, rnd = self.api("POST", "/api/v1/schemes/%d/rounds" % scheme["id"], {
            "questionnaireid": questionnaire["id"], "cohortid": cohort["id"],
            "audiences": ["mentees", "mentors", "supervisors"], **asked})
        self.assertEqual(status, 201, rnd)
        # A mentor enrols once the round exists.
        status, late = self.api("PUT", "/api/v1/accounts", {"platform": platform, "subject": "schema-late-mentor",
                                                           "display_name": "Dr Late", "email": ""})
        self.assertIn(status, (200, 201), late)
        status, enrolment = self.api("POST", "/api/v1/cohorts/%d/enrolments" % cohort["id"],
                                     {"accountid": late["id"], "role": "mentor"})
        self.assertEqual(status, 201, enrolment)
        # The outbox is sent in the order it was queued, so once an event
        # queued after the late enrolment has arrived, so has everything the
        # round's creation and the enrolment queued.
        _, _, _, after = self.enrol_mentee("schema-late-after", "Late survey scheme, after", "assigned")
        arrived = self.receiver.wait_for(
            lambda r: [e for e in r.events("mentoring.enrolled") if e["data"]["enrolment_id"] == after["id"]],
            timeout=30)
        self.assertTrue(arrived, "the mentoring.enrolled queued after the late enrolment arrived")

        notices = [e for e in self.receiver.events("mentoring.survey_due") if e["data"]["round_id"] == rnd["id"]]
        self.assertEqual(sorted(e["data"]["account"]["subject"] for e in notices),
                         ["schema-late-mentee", "schema-late-mentor"],
                         "exactly one mentoring.survey_due per person of the round: %r" % notices)
        by_subject = {e["data"]["account"]["subject"]: e for e in notices}
        event = by_subject["schema-late-mentor"]
        self.assertEqual(errors(self.schemas["mentoring.survey_due"], event), [])
        data = event["data"]
        self.assertEqual(data["round_id"], rnd["id"])
        self.assertEqual({k: data[k] for k in ("scheme_id", "cohort_id", "phase", "opens_on", "closes_on")},
                         {"scheme_id": scheme["id"], "cohort_id": cohort["id"], **asked})
        self.assertEqual(data["audiences"], ["mentors"])
        self.assertEqual(data["account"], {"platform": platform, "subject": "schema-late-mentor"})
        self.assertRegex(data["idempotency_key"], r"^survey_round:[0-9]+:account:[0-9]+$")
        self.assertEqual(data["idempotency_key"], "survey_round:%d:account:%d" % (rnd["id"], late["id"]))
        # The mentee enrolled before the round has the one notice of its creation.
        self.assertEqual(by_subject["schema-late-mentee"]["data"]["idempotency_key"],
                         "survey_round:%d:account:%d" % (rnd["id"], first["id"]))
        self.assertEqual(by_subject["schema-late-mentee"]["data"]["audiences"], ["mentees"])

        # Queued in the enrolment's transaction, next to its mentoring.enrolled
        # and in the same second, rather than later by the background sweep
        # (which would catch the mentor too).
        enrolled = [e for e in self.receiver.events("mentoring.enrolled")
                    if e["data"]["enrolment_id"] == enrolment["id"]]
        self.assertEqual(len(enrolled), 1, "one mentoring.enrolled for the late enrolment")
        notice_ids, enrolled_ids = self.webhook_ids(event), self.webhook_ids(enrolled[0])
        self.assertEqual((len(notice_ids), len(enrolled_ids)), (1, 1), (notice_ids, enrolled_ids))
        notice_at, enrolled_at = outbox_position(notice_ids[0]), outbox_position(enrolled_ids[0])
        self.assertIsNotNone(notice_at, notice_ids)
        self.assertIsNotNone(enrolled_at, enrolled_ids)
        self.assertEqual((abs(notice_at[0] - enrolled_at[0]), notice_at[1]), (1, enrolled_at[1]),
                         "survey_due %s queued with mentoring.enrolled %s" % (notice_ids[0], enrolled_ids[0]))


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]] + REST, verbosity=2)
