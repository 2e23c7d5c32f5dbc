#!/usr/bin/python3
"""Inbound webhook benchmark: signed deliveries at a fixed rate, a share of
them duplicates, against a fresh mentoringd on SQLite (or the PostgreSQL
server named by --database-url).

Each unique delivery is a training_outcome.recorded event for one of 50
people who consented to evaluation, so every application adds exactly one
row: after the run, the number of stored outcomes must equal the number of
unique deliveries acknowledged (zero double effects), and every inbox row
must be done.

Open loop: delivery i is due at start + i / rate whatever happened to the
ones before, so a slow answer shows up as latency, not as a lower rate.
Acknowledgement latency is measured from the moment a delivery is sent to
the moment its 200 arrives.

  bench/webhooks/run.py --mentoringd build/bin/mentoringd [--rate 200] [--seconds 120] [--duplicates 0.3]
"""
import argparse
import http.client
import json
import os
import queue
import random
import re
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "integration", "webhook"))
import reference_host as host  # noqa: E402

PLATFORM = "https://portal.example.nhs.uk"
TOKEN = "bench-webhooks-service-token-" + secrets.token_hex(8)


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mentoringd", required=True)
    ap.add_argument("--rate", type=float, default=200.0, help="deliveries per second (default 200)")
    ap.add_argument("--seconds", type=float, default=120.0, help="length of the measured run (default 120)")
    ap.add_argument("--duplicates", type=float, default=0.3, help="share of deliveries that repeat one (0.3)")
    ap.add_argument("--senders", type=int, default=16, help="concurrent connections (default 16)")
    ap.add_argument("--threads", type=int, default=2, help="mentoringd http.threads (default 2)")
    ap.add_argument("--database-url", default="", help="postgresql://... instead of a fresh SQLite file")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--extra", action="append", default=[], help="extra mentoringd option, repeatable")
    args = ap.parse_args()
    rng = random.Random(args.seed)

    tmp = tempfile.TemporaryDirectory()
    if args.database_url:
        url, prefix = args.database_url, "b" + secrets.token_hex(4) + "_"
        extra = ["--database.table_prefix=" + prefix]
    else:
        path = os.path.join(tmp.name, "mentoring.db")
        url, prefix, extra = "sqlite3:" + path, "mentoring_", []

    def sql(query):
        query = query.replace("{p}", prefix)
        if args.database_url:
            out = subprocess.run(["psql", url, "-X", "-A", "-t", "-c", query], capture_output=True, text=True,
                                 check=True).stdout
            return [line.split("|") for line in out.splitlines() if line]
        conn = sqlite3.connect(path, timeout=60)
        try:
            rows = [list(r) for r in conn.execute(query)]
            conn.commit()
            return rows
        finally:
            conn.close()

    secret = host.new_secret()
    proc = subprocess.Popen([args.mentoringd, "serve", "--database.url=" + url, "--http.port=0",
                             "--http.threads=%d" % args.threads, "--api.service_token=" + TOKEN,
                             "--log.access=false", "--webhook.inbound_secrets=" + secret, *extra, *args.extra],
                            stderr=subprocess.PIPE, text=True)
    port = None
    for line in proc.stderr:
        m = re.search(r"serving on port (\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("mentoringd did not start")
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()

    try:
        # 50 people, each with recorded consent.
        base = time.time() - 3600
        sender = host.Sender(port, secret)
        people = ["bench-%02d" % i for i in range(50)]
        for i, subject in enumerate(people):
            status, _ = sender.send(host.event_body("account.updated", {"platform": PLATFORM, "subject": subject,
                                                                         "name": "Dr Bench %d" % i}, base))
            assert status == 200
        deadline = time.time() + 60
        while int(sql("SELECT count(*) FROM {p}accounts")[0][0]) < len(people) and time.time() < deadline:
            time.sleep(0.05)
        for (accountid,) in sql("SELECT id FROM {p}accounts"):
            sql("INSERT INTO {p}evaluation_consents (accountid, given, recorded_on, timecreated, timemodified) "
                "VALUES (%s, 1, '2026-11-25', 0, 0)" % accountid)

        total = int(args.rate * args.seconds)
        plan = []  # (msg_id, body)
        unique = []
        for i in range(total):
            if unique and rng.random() < args.duplicates:
                plan.append(rng.choice(unique))
            else:
                subject = rng.choice(people)
                body = host.event_body("training_outcome.recorded",
                                       {"platform": PLATFORM, "subject": subject, "outcome": "1",
                                        "recorded_on": "2026-06-30", "programme": "delivery %d" % i}, base + 1)
                item = ("msg_bench_%06d" % i, body)
                unique.append(item)
                plan.append(item)

        work = queue.Queue()
        latencies, lags, failures = [], [], []
        acked = set()
        lock = threading.Lock()
        start = time.time() + 0.5

        def worker():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while True:
                item = work.get()
                if item is None:
                    return
                i, (msg_id, body) = item
                due = start + i / args.rate
                now = time.time()
                if now < due:
                    time.sleep(due - now)
                ts = int(time.time())
                headers = {"Content-Type": "application/json", "webhook-id": msg_id,
                           "webhook-timestamp": str(ts), "webhook-signature": host.sign(secret, msg_id, ts, body)}
                sent = time.time()
                try:
                    conn.request("POST", "/api/v1/webhooks/inbound", body=body, headers=headers)
                    res = conn.getresponse()
                    res.read()
                    status = res.status
                except (OSError, http.client.HTTPException) as e:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status = str(e)
                done = time.time()
                with lock:
                    if status == 200:
                        latencies.append(done - sent)
                        lags.append(sent - due)
                        acked.add(msg_id)
                    else:
                        failures.append(status)

        threads = [threading.Thread(target=worker) for _ in range(args.senders)]
        for t in threads:
            t.start()
        for i, item in enumerate(plan):
            work.put((i, item))
        for _ in threads:
            work.put(None)
        for t in threads:
            t.join()
        elapsed = time.time() - start

        # Let the worker apply everything, then count the effects.
        drain_start = time.time()
        while time.time() - drain_start < 300:
            if int(sql("SELECT count(*) FROM {p}webhook_inbox WHERE state = 'pending'")[0][0]) == 0:
                break
            time.sleep(0.2)
        drained_after = time.time() - drain_start
        unique_acked = len(acked)
        stored = int(sql("SELECT count(*) FROM {p}webhook_training_outcomes")[0][0])
        distinct = int(sql("SELECT count(DISTINCT programme) FROM {p}webhook_training_outcomes")[0][0])
        not_done = int(sql("SELECT count(*) FROM {p}webhook_inbox WHERE state <> 'done' AND msgid LIKE 'msg_bench_%'")[0][0])
        lat = sorted(latencies)
        report = {
            "backend": "postgresql" if args.database_url else "sqlite",
            "rate_target": args.rate, "seconds": args.seconds, "deliveries": total,
            "duplicates_sent": total - len(unique), "acknowledged": len(latencies), "failures": len(failures),
            "achieved_rate": round(len(latencies) / elapsed, 1),
            "ack_ms": {"p50": round(percentile(lat, 50) * 1000, 2), "p90": round(percentile(lat, 90) * 1000, 2),
                       "p99": round(percentile(lat, 99) * 1000, 2), "max": round(lat[-1] * 1000, 2) if lat else None},
            "send_lag_ms_p99": round(percentile(sorted(lags), 99) * 1000, 2),
            "unique_acknowledged": unique_acked, "outcomes_stored": stored, "distinct_outcomes": distinct,
            "inbox_rows_not_done": not_done, "inbox_drained_after_s": round(drained_after, 2),
            "double_effects": stored - unique_acked,
        }
        print(json.dumps(report, indent=2))
        ok = (stored == unique_acked == distinct and not_done == 0 and not failures)
        sys.exit(0 if ok else 1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if args.database_url:
            for (t,) in sql("SELECT table_name FROM information_schema.tables WHERE table_name LIKE '%s%%'" % prefix):
                sql('DROP TABLE IF EXISTS "%s" CASCADE' % t)
        tmp.cleanup()


if __name__ == "__main__":
    main()
