#!/usr/bin/env python3
"""Seeds a synthetic deanery into a running plugin through its public API,
exactly as a host portal would: the current intake of a scheme at the size a
deanery runs (3,000 trainees as mentees and 800 mentors by default, each
group one bulk CSV import), and a second, smaller and newer scheme. The
scheme's past (a finished pilot year, and the year before it as the
comparator) is seeded first by pilot_history.py, on a server whose clock is
set back; the pilot is the current intake's previous cohort. Deterministic
(seeded) and idempotent: a second run finds the current intake and leaves
everything alone.

Usage: seed_demo.py --url http://127.0.0.1:8080 --token <api.service_token>
"""
import argparse
import datetime
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

PLATFORM = "https://portal.demo.nhs.uk"
SCHEME_NAME = "North West Foundation mentoring (demo)"
COMPARATOR_NAME = "North West IMG mentoring (demo)"
SCHEME_AIMS = ("Improve the experience and preparedness of foundation doctors across the deanery, "
               "and help reduce the attainment gap.")
CURRENT_COHORT = "Current intake"

FIRST = ["Aisha", "Ben", "Chloe", "Daniel", "Efua", "Farhan", "Grace", "Harpreet", "Ioana", "James", "Kemi",
         "Liam", "Mei", "Nikhil", "Olivia", "Priya", "Qasim", "Rosa", "Sam", "Tomasz", "Uche", "Vikram",
         "Wen", "Xavier", "Yasmin", "Zainab"]
LAST = ["Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fernandes", "Gupta", "Hughes", "Ibrahim", "Jones",
        "Khan", "Lewis", "Mensah", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Singh", "Taylor",
        "Usman", "Vaughan", "Williams", "Xu", "Young", "Zhou"]


class Client:
    def __init__(self, url, token):
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.token = u.hostname, u.port or 80, token
        self.local = threading.local()

    def call(self, method, path, body=None, actor=None):
        """One JSON call on this thread's keep-alive connection; `actor` (an
        account id) is sent as X-Mentoring-Actor for a mentee's or mentor's call."""
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Authorization": "Bearer " + self.token}
        if actor is not None:
            headers["X-Mentoring-Actor"] = str(actor)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=headers)
            res = conn.getresponse()
            payload = json.loads(res.read() or b"null")
        except (http.client.HTTPException, OSError):
            self.local.conn = None
            raise
        if res.status >= 400:
            raise RuntimeError(f"{method} {path} -> {res.status}: {payload}")
        return payload

    def call_csv(self, method, path, body):
        """One CSV upload on its own connection (a large file may take a while)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
        try:
            conn.request(method, path, body=body,
                         headers={"Authorization": "Bearer " + self.token, "Content-Type": "text/csv"})
            res = conn.getresponse()
            payload = json.loads(res.read() or b"null")
        finally:
            conn.close()
        if res.status >= 400:
            raise RuntimeError(f"{method} {path} -> {res.status}: {str(payload)[:500]}")
        return payload


def people(rng, n, prefix):
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        out.append({"platform": PLATFORM, "subject": f"{prefix}-{i:05d}",
                    "display_name": f"Dr {first} {last}",
                    "email": f"{first}.{last}.{prefix}{i}@demo.nhs.uk".lower()})
    return out


def csv_of(rows):
    out = ["platform,subject,email,gmc_number,display_name,cohortid"]
    for r in rows:
        out.append(",".join([r["platform"], r["subject"], r["email"], r["gmc_number"],
                             '"' + r["display_name"].replace('"', '""') + '"', str(r["cohortid"])]))
    return ("\r\n".join(out) + "\r\n").encode()


def import_people(client, kind, rows):
    """One bulk import (POST /api/v1/imports/{kind}): all rows in one
    transaction, checked first by the importer itself."""
    report = client.call_csv("POST", f"/api/v1/imports/{kind}", csv_of(rows))
    if not report.get("applied") or report.get("error_count"):
        raise RuntimeError(f"import of {kind} not applied: {report}")
    return report


def current_intake(client, rng, scheme, mentees, mentors, prefix, gmc_base):
    """The intake enrolling now (hybrid matching), each group one CSV import."""
    today = datetime.date.today()
    cohort = client.call("POST", f"/api/v1/schemes/{scheme['id']}/cohorts", {
        "name": CURRENT_COHORT,
        "opens_on": (today - datetime.timedelta(days=30)).isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "starts_on": (today + datetime.timedelta(days=30)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=394)).isoformat(),
        "matching_model": "hybrid"})
    for kind, n, who, base in (("mentees", mentees, f"{prefix}-trainee", gmc_base),
                               ("mentors", mentors, f"{prefix}-mentor", gmc_base + 500000)):
        rows = people(rng, n, who)
        for i, r in enumerate(rows):
            r["cohortid"] = cohort["id"]
            r["gmc_number"] = "%07d" % (base + i)
        import_people(client, kind, rows)
    return cohort


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--mentees", type=int, default=3000)
    ap.add_argument("--mentors", type=int, default=800)
    args = ap.parse_args()
    client = Client(args.url, args.token)

    existing = {s["name"]: s for s in client.call("GET", "/api/v1/schemes?limit=1000")["items"]}
    scheme = existing.get(SCHEME_NAME)
    if scheme:
        cohorts = client.call("GET", f"/api/v1/schemes/{scheme['id']}/cohorts")["items"]
        if any(c["name"] == CURRENT_COHORT for c in cohorts):
            print(f"demo: '{SCHEME_NAME}' is already seeded")
            return 0
    else:
        # pilot_history.py creates the scheme with its past years; without
        # it the scheme starts with today's intake.
        scheme = client.call("POST", "/api/v1/schemes", {"name": SCHEME_NAME, "type": "traditional",
                                                         "phase": "pilot", "aims": SCHEME_AIMS})
        print(f"demo: '{SCHEME_NAME}' has no history (run integration/demo/pilot_history.py first for one)")

    started = time.time()
    rng = random.Random(20260805)
    current_intake(client, rng, scheme, args.mentees, args.mentors, "fy", 7000000)
    # A second, smaller and newer scheme of the same deanery, in its first intake.
    if COMPARATOR_NAME not in existing:
        img = client.call("POST", "/api/v1/schemes", {
            "name": COMPARATOR_NAME, "type": "near_peer", "phase": "pilot",
            "aims": "Support international medical graduates new to UK practice in their first post."})
        current_intake(client, rng, img, max(1, args.mentees // 5), max(1, args.mentors // 5), "img", 8000000)
    print(f"demo: seeded the current intake of '{SCHEME_NAME}' with {args.mentees} mentees and {args.mentors} "
          f"mentors, and '{COMPARATOR_NAME}' with {max(1, args.mentees // 5)} and {max(1, args.mentors // 5)}, "
          f"in {time.time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
