#!/usr/bin/env python3
"""Seeds a synthetic deanery into a running plugin through its public API,
exactly as a host portal would: a scheme at the size a deanery runs (3,000
trainees as mentees and 800 mentors by default, each group one bulk CSV
import), its previous intake as a comparator cohort, and a second, smaller
scheme to compare with. Deterministic (seeded) and idempotent: a second run
finds the demo scheme and leaves it alone.

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

    def call(self, method, path, body=None):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Authorization": "Bearer " + self.token}
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


def seed_scheme(client, rng, name, scheme_type, aims, mentees, mentors, prefix, gmc_base):
    scheme = client.call("POST", "/api/v1/schemes", {"name": name, "type": scheme_type, "phase": "pilot",
                                                     "aims": aims})
    today = datetime.date.today()
    # The previous intake, closed now: the cohort outcomes are compared with.
    client.call("POST", f"/api/v1/schemes/{scheme['id']}/cohorts", {
        "name": "Previous intake (comparator)",
        "opens_on": (today - datetime.timedelta(days=420)).isoformat(),
        "closes_on": (today - datetime.timedelta(days=370)).isoformat(),
        "starts_on": (today - datetime.timedelta(days=365)).isoformat(),
        "ends_on": (today - datetime.timedelta(days=1)).isoformat(),
        "matching_model": "assigned"})
    cohort = client.call("POST", f"/api/v1/schemes/{scheme['id']}/cohorts", {
        "name": "Current intake",
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
    return scheme


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--mentees", type=int, default=3000)
    ap.add_argument("--mentors", type=int, default=800)
    args = ap.parse_args()
    client = Client(args.url, args.token)

    existing = client.call("GET", "/api/v1/schemes?limit=1000")["items"]
    if any(s["name"] == SCHEME_NAME for s in existing):
        print(f"demo: '{SCHEME_NAME}' is already seeded")
        return 0

    started = time.time()
    rng = random.Random(20260805)
    seed_scheme(client, rng, SCHEME_NAME, "traditional",
                "Improve the experience and preparedness of foundation doctors across the deanery, "
                "and help reduce the attainment gap.", args.mentees, args.mentors, "fy", 7000000)
    # A second, smaller scheme of the same deanery, for comparison.
    seed_scheme(client, rng, COMPARATOR_NAME, "near_peer",
                "Support international medical graduates new to UK practice in their first post.",
                max(1, args.mentees // 5), max(1, args.mentors // 5), "img", 8000000)
    print(f"demo: seeded '{SCHEME_NAME}' with {args.mentees} mentees and {args.mentors} mentors, and "
          f"'{COMPARATOR_NAME}' with {max(1, args.mentees // 5)} and {max(1, args.mentors // 5)}, "
          f"in {time.time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
