#!/usr/bin/env python3
"""Seeds a synthetic deanery into a running plugin through its public API,
exactly as a host portal would: a scheme, its cohorts, 2,000 trainees as
mentees and 600 mentors. Deterministic (seeded) and idempotent: a second run
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


def people(rng, n, prefix):
    out = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        out.append({"platform": PLATFORM, "subject": f"{prefix}-{i:05d}",
                    "display_name": f"Dr {first} {last}",
                    "email": f"{first}.{last}.{prefix}{i}@demo.nhs.uk".lower()})
    return out


def parallel(items, fn, workers=4):
    errors = []
    chunks = [items[i::workers] for i in range(workers)]

    def run(chunk):
        for item in chunk:
            try:
                fn(item)
            except Exception as e:  # reported after the threads finish
                errors.append(e)
                return

    threads = [threading.Thread(target=run, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--mentees", type=int, default=2000)
    ap.add_argument("--mentors", type=int, default=600)
    args = ap.parse_args()
    client = Client(args.url, args.token)

    existing = client.call("GET", "/api/v1/schemes?limit=1000")["items"]
    if any(s["name"] == SCHEME_NAME for s in existing):
        print(f"demo: '{SCHEME_NAME}' is already seeded")
        return 0

    started = time.time()
    rng = random.Random(20260805)
    scheme = client.call("POST", "/api/v1/schemes", {
        "name": SCHEME_NAME, "type": "traditional", "phase": "pilot",
        "aims": "Improve the experience and preparedness of foundation doctors across the deanery, "
                "and help reduce the attainment gap."})
    today = datetime.date.today()
    client.call("POST", f"/api/v1/schemes/{scheme['id']}/cohorts", {
        "name": "Previous intake (comparator)", "opens_on": "2025-06-11", "closes_on": "2025-08-06",
        "starts_on": "2025-08-06", "ends_on": "2026-08-04", "matching_model": "assigned"})
    cohort = client.call("POST", f"/api/v1/schemes/{scheme['id']}/cohorts", {
        "name": "Current intake",
        "opens_on": (today - datetime.timedelta(days=30)).isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "starts_on": (today + datetime.timedelta(days=30)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=394)).isoformat(),
        "matching_model": "hybrid"})

    def enrol_as(role):
        def go(person):
            account = client.call("PUT", "/api/v1/accounts", person)
            client.call("POST", f"/api/v1/cohorts/{cohort['id']}/enrolments",
                        {"accountid": account["id"], "role": role})
        return go

    parallel(people(rng, args.mentees, "trainee"), enrol_as("mentee"))
    parallel(people(rng, args.mentors, "mentor"), enrol_as("mentor"))
    print(f"demo: seeded '{SCHEME_NAME}' with {args.mentees} mentees and {args.mentors} mentors "
          f"in {time.time() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
