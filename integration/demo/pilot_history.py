#!/usr/bin/env python3
"""Seeds the demo scheme's history: a finished pilot year and the year before
it, through the public API only, on a temporary mentoringd whose clock is
moved forward through those years (libfaketime; see faketime_server.py).

The plugin's rules follow the real clock: people enrol only while a cohort is
open, meetings are booked ahead and recorded once they have started, survey
rounds and check-ins take answers only while they are open. So the history is
made the way it would have happened, step by step, each call checked by the
same validation as any other client's:

  ~765 days ago  the scheme is set up; the previous year's trainees, who had
                 no mentoring, enrol for the evaluation only (the comparator)
  ~415 days ago  they answer the end-of-year survey
  ~405 days ago  the pilot cohort ("2025 pilot intake", assigned matching)
                 enrols by CSV import; baseline survey; evaluation consent
  ~394 days ago  a matching run is published; agreements are accepted; goals
  every 6 weeks  meetings are recorded (held or missed) and the next booked;
                 concerns are raised and handled; some pairings end early
  ~268 days ago  the midpoint group check-in is scheduled
  ~226 days ago  midpoint check-ins and survey round; who came to the group
                 check-in is recorded
   ~58 days ago  end check-ins and survey round; the end-of-scheme meeting
                 is scheduled
   ~33 days ago  the last meetings are recorded, pairings complete, who came
                 to the end-of-scheme meeting is recorded (each mentor who
                 came gets its CPD entry), and ARCP,
                 exam and FY1 preparedness outcomes are imported by CSV for
                 the pilot and for the comparator

Deterministic (one seeded random generator; every body is computed before
the calls of a step are sent in parallel) and idempotent: when the scheme
already exists nothing is done.

Usage: pilot_history.py --mentoringd build/bin/mentoringd --database-url sqlite3:var/mentoring.db
                        --token <api.service_token> [--mentees 1000 --mentors 300 --comparator 800]
"""
import argparse
import concurrent.futures
import datetime
import email.utils
import http.client
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from faketime_server import FaketimeServer  # noqa: E402
from seed_demo import FIRST, LAST, PLATFORM, SCHEME_AIMS, SCHEME_NAME, Client, import_people  # noqa: E402

PILOT_COHORT = "2025 pilot intake"
COMPARATOR_COHORT = "2024 intake (not mentored)"
LIKERT_KEYS = ["confidence", "job_satisfaction", "preparedness", "career_clarity"]
CYCLE_DAYS = 42  # the agreement's meeting frequency: every six weeks
WORKERS = 8

SITES = [("Royal Preston Hospital", "Lancashire"), ("Royal Blackburn Hospital", "Lancashire"),
         ("Manchester Royal Infirmary", "Greater Manchester"), ("Salford Royal", "Greater Manchester"),
         ("Royal Liverpool University Hospital", "Merseyside"), ("Aintree University Hospital", "Merseyside"),
         ("Royal Lancaster Infirmary", "Cumbria and Lancashire"), ("Cumberland Infirmary", "Cumbria and Lancashire")]
SPECIALTIES = ["General medicine", "General surgery", "Paediatrics", "Psychiatry", "General practice",
               "Emergency medicine", "Anaesthetics", "Obstetrics and gynaecology", "Radiology", "Cardiology"]
TOPICS = ["portfolio", "ARCP", "teaching", "leadership", "wellbeing", "rota", "exams", "research",
          "specialty applications", "quality improvement", "communication", "time management"]
MENTEE_GOALS = ["Prepare a strong specialty application", "Pass MRCP Part 1 this year",
                "Build confidence leading a ward round", "Plan a quality improvement project",
                "Find a better balance between rota and life", "Get involved in teaching medical students",
                "Understand what the ARCP panel looks for", "Settle into the first post and the team"]
GOAL_TITLES = ["Complete a quality improvement project", "Pass MRCP(UK) Part 1", "Teach on the FY1 programme",
               "Submit a specialty application", "Present a case at the regional meeting",
               "Complete the portfolio before the ARCP", "Arrange a taster week", "Lead a handover"]
WENT_WELL = ["Having someone outside my team to talk to.", "Practical advice on my portfolio.",
             "My mentor helped me plan my application.", "Regular meetings kept me on track.",
             "Feeling listened to during a hard rotation.", ""]
COULD_IMPROVE = ["Harder to meet during nights.", "More structure in the first meeting.",
                 "Earlier matching would help.", "Video meetings were easier than in person.", ""]
CONCERN_TEXTS = {
    "meetings": "We have not managed to meet for two months; our rotas never line up.",
    "personality_fit": "I do not think we are a good fit; the conversations are not helping me.",
    "wellbeing": "I am struggling on this rotation and would like to talk to someone about support.",
    "other": "My mentor is moving to another trust and I am not sure what happens next.",
}


def at(day, hour=9, minute=0):
    """A UTC instant on `day` (a date)."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=datetime.timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def clip(x, lo=1, hi=5):
    return max(lo, min(hi, int(round(x))))


class History:
    """The state of the seeding: who is who, and what each pairing has done."""

    def __init__(self, client, server, rng, today, args):
        self.c, self.server, self.rng, self.today, self.args = client, server, rng, today, args
        self.calls = 0
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS)

    # -- the clock -----------------------------------------------------------

    def day(self, offset):
        return self.today + datetime.timedelta(days=offset)

    def step(self, offset, hour=9):
        """Moves the server's clock to `offset` days from today and checks it has moved."""
        when = at(self.day(offset), hour)
        self.server.set_time(when)
        self.now = when
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.request("GET", "/healthz")
            res = conn.getresponse()
            res.read()
            served = email.utils.parsedate_to_datetime(res.getheader("Date"))
        finally:
            conn.close()
        if abs((served - when).total_seconds()) > 120:
            raise RuntimeError(f"the server's clock reads {served}, not {when}: is libfaketime working?")

    # -- calls -----------------------------------------------------------------

    def call(self, method, path, body=None, actor=None):
        self.calls += 1
        return self.c.call(method, path, body, actor)

    def parallel(self, calls):
        """Sends (method, path, body, actor) calls in parallel; results in order."""
        calls = list(calls)
        self.calls += len(calls)
        return list(self.pool.map(lambda a: self.c.call(*a), calls))

    # -- people ----------------------------------------------------------------

    def people(self, n, prefix, gmc_base, cohortid):
        rows = []
        for i in range(n):
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            rows.append({"platform": PLATFORM, "subject": f"{prefix}-{i:05d}", "display_name": f"Dr {first} {last}",
                         "email": f"{first}.{last}.{prefix}{i}@demo.nhs.uk".lower(),
                         "gmc_number": "%07d" % (gmc_base + i), "cohortid": cohortid})
        return rows

    def enrol(self, kind, rows):
        """Imports the rows by CSV (at most 1,000 a file, so the report names
        every account) and returns their account ids in row order."""
        ids = []
        for start in range(0, len(rows), 1000):
            report = import_people(self.c, kind, rows[start:start + 1000])
            self.calls += 1
            ids += [r["accountid"] for r in report["rows"]]
        return ids

    def enrolment_ids(self, cohortid, role):
        out, offset = {}, 0
        while True:
            page = self.call("GET", f"/api/v1/cohorts/{cohortid}/enrolments?role={role}&limit=1000&offset={offset}")
            for e in page["items"]:
                out[e["accountid"]] = e["id"]
            if len(page["items"]) < 1000:
                return out
            offset += 1000

    def mentee_profiles(self, ids):
        bodies = []
        for aid in ids:
            site, region = self.rng.choice(SITES)
            bodies.append(("PUT", f"/api/v1/accounts/{aid}/mentee-profile", {
                "career_stage": "fy1", "goals": self.rng.choice(MENTEE_GOALS), "specialty": self.rng.choice(SPECIALTIES),
                "site": site, "region": region, "topics": self.rng.sample(TOPICS, 3),
                "location_preference": self.rng.choice(["no_preference", "local", "local", "remote"]),
                "meeting_mode": self.rng.choice(["no_preference", "in_person", "virtual"])}, None))
        self.parallel(bodies)

    def consent(self, ids, rate):
        given = {aid: self.rng.random() < rate for aid in ids}
        self.parallel(("PUT", f"/api/v1/accounts/{aid}/evaluation-consent", {"given": g}, None)
                      for aid, g in given.items())
        return [aid for aid, g in given.items() if g]

    # -- surveys ---------------------------------------------------------------

    def round(self, cohortid, phase, opens, closes):
        return self.call("POST", f"/api/v1/schemes/{self.scheme}/rounds", {
            "questionnaireid": self.questionnaire, "cohortid": cohortid, "phase": phase, "audiences": ["mentees"],
            "opens_on": self.day(opens).isoformat(), "closes_on": self.day(closes).isoformat()})["id"]

    def answer(self, roundid, answers_by_account):
        self.parallel(("POST", f"/api/v1/rounds/{roundid}/responses",
                       {"accountid": aid, "audience": "mentees", "answers": answers}, None)
                      for aid, answers in answers_by_account.items())

    def answers(self, base, gain, satisfaction=None):
        out = {k: clip(base[k] + gain + self.rng.gauss(0, 0.6)) for k in LIKERT_KEYS}
        if satisfaction is not None:
            out["scheme_satisfaction"] = clip(satisfaction + self.rng.gauss(0, 0.7))
            out["platform_satisfaction"] = clip(3.6 + self.rng.gauss(0, 0.8))
            out["went_well"] = self.rng.choice(WENT_WELL) or None
            out["could_improve"] = self.rng.choice(COULD_IMPROVE) or None
        return out

    def baseline_scores(self, ids):
        """Each person's underlying scores before mentoring, 1 to 5."""
        out = {}
        for aid in ids:
            level = self.rng.gauss(2.7, 0.6)
            out[aid] = {k: level + self.rng.gauss(0, 0.4) for k in LIKERT_KEYS}
        return out


def seed(h):
    a, rng = h.args, h.rng

    # ---- ~765 days ago: the scheme, and the previous year's trainees -------
    h.step(-765)
    h.scheme = h.call("POST", "/api/v1/schemes", {"name": SCHEME_NAME, "type": "traditional", "phase": "pilot",
                                                  "aims": SCHEME_AIMS})["id"]
    staff = {}
    for key, name in (("lead", "Dr Helen Marsh"), ("contact", "Ms Joanne Pickering"), ("evaluation", "Dr Ravi Menon")):
        staff[key] = h.call("PUT", "/api/v1/accounts", {
            "platform": PLATFORM, "subject": f"fy-staff-{key}", "display_name": name,
            "email": f"{key}.mentoring@demo.nhs.uk"})["id"]
    h.questionnaire = h.call("POST", f"/api/v1/schemes/{h.scheme}/surveys", {"default": True})["id"]
    comparator = h.call("POST", f"/api/v1/schemes/{h.scheme}/cohorts", {
        "name": COMPARATOR_COHORT, "opens_on": h.day(-775).isoformat(), "closes_on": h.day(-760).isoformat(),
        "starts_on": h.day(-758).isoformat(), "ends_on": h.day(-400).isoformat(), "matching_model": "assigned"})["id"]
    comp_ids = h.enrol("mentees", h.people(a.comparator, "fy24-trainee", 7200000, comparator))
    h.mentee_profiles(comp_ids)
    comp_consented = h.consent(comp_ids, 0.9)
    comp_base = h.baseline_scores(comp_ids)
    comp_end = h.round(comparator, "end", -428, -401)

    # ---- ~415 days ago: their end-of-year survey (no mentoring) ------------
    h.step(-415)
    h.answer(comp_end, {aid: h.answers(comp_base[aid], 0.15) for aid in comp_consented if rng.random() < 0.72})

    # ---- ~405 days ago: the pilot cohort enrols ------------------------------
    h.step(-405)
    governance = lambda due: {"assignments": [  # noqa: E731
        {"responsibility": r, "accountid": staff[who], "reports_to": "Director of Postgraduate Medical Education",
         "cadence": "quarterly", "next_report_due": due}
        for r, who in (("set_up_and_initial_delivery", "lead"), ("funding_and_procurement", "lead"),
                       ("confidential_data", "evaluation"), ("recruitment", "contact"), ("training", "lead"),
                       ("day_to_day_management_and_point_of_contact", "contact"),
                       ("evaluation_and_improvement", "evaluation"))]}
    h.call("PUT", f"/api/v1/schemes/{h.scheme}/governance", governance(h.day(-345).isoformat()))
    agreement = h.call("PUT", f"/api/v1/schemes/{h.scheme}/agreement", {
        "frequency": "every_six_weeks", "meeting_minutes": 60, "duration_months": 12})
    pilot = h.call("POST", f"/api/v1/schemes/{h.scheme}/cohorts", {
        "name": PILOT_COHORT, "opens_on": h.day(-410).isoformat(), "closes_on": h.day(-394).isoformat(),
        "starts_on": h.day(-393).isoformat(), "ends_on": h.day(-35).isoformat(), "matching_model": "assigned"})["id"]
    h.pilot = pilot
    h.call("PUT", f"/api/v1/cohorts/{pilot}/audience-size", {"size": int(a.mentees * 1.3)})
    mentee_ids = h.enrol("mentees", h.people(a.mentees, "fy25-trainee", 7100000, pilot))
    mentor_rows = h.people(a.mentors, "fy25-mentor", 7600000, pilot)
    mentor_ids = h.enrol("mentors", mentor_rows)
    h.mentee_profiles(mentee_ids)
    capacity = a.mentees / max(1, a.mentors)
    bodies = []
    for aid in mentor_ids:
        site, region = rng.choice(SITES)
        bodies.append(("PUT", f"/api/v1/accounts/{aid}/mentor-profile", {
            "career_stage": rng.choice(["st3", "st4", "st5", "st6", "st7", "consultant", "consultant", "gp"]),
            "bio": "Happy to help with " + ", ".join(rng.sample(TOPICS, 2)) + ".",
            "specialty": rng.choice(SPECIALTIES), "site": site, "region": region,
            "expertise_areas": rng.sample(TOPICS, 3),
            "capacity": max(1, min(10, int(capacity + 1 + rng.random() * 1.5)))}, None))
    h.parallel(bodies)
    consented = h.consent(mentee_ids, 0.93)
    base = h.baseline_scores(mentee_ids)
    baseline = h.round(pilot, "baseline", -408, -394)
    h.answer(baseline, {aid: h.answers(base[aid], 0) for aid in consented if rng.random() < 0.86})
    midpoint = h.round(pilot, "midpoint", -229, -195)
    end = h.round(pilot, "end", -63, -21)

    # ---- ~394 days ago: matching, agreements, first meetings, goals --------
    s0 = -394
    h.step(s0)
    run = h.call("POST", f"/api/v1/cohorts/{pilot}/matching/runs", {"model": "assigned", "mode": "optimal"})
    deadline = time.monotonic() + 120
    while run["state"] == "running":
        if time.monotonic() > deadline:
            raise RuntimeError("the matching run did not finish")
        time.sleep(0.2)
        run = h.call("GET", f"/api/v1/matching/runs/{run['id']}")
    if run["state"] != "ready":
        raise RuntimeError(f"the matching run ended {run['state']}: {run.get('error')}")
    pairings = h.call("POST", f"/api/v1/matching/runs/{run['id']}/publish")["pairings"]
    mentee_of = {e: aid for aid, e in h.enrolment_ids(pilot, "mentee").items()}
    mentor_of = {e: aid for aid, e in h.enrolment_ids(pilot, "mentor").items()}
    slots = {}
    pairs = []
    for p in sorted(pairings, key=lambda p: p["id"]):
        k = slots.get(p["mentorid"], 0)
        slots[p["mentorid"]] = k + 1
        pairs.append({"id": p["id"], "mentee": mentee_of[p["menteeid"]], "mentor": mentor_of[p["mentorid"]],
                      "enrolment": p["menteeid"], "slot": k, "engagement": rng.uniform(0.25, 1.0),
                      "booked": None, "held": 0, "active": True, "goals": []})
    version = agreement["version"]
    h.parallel(("POST", f"/api/v1/relationships/{p['id']}/agreement/accept", {"version": version}, p[who])
               for p in pairs for who in ("mentee", "mentor"))

    def book(offset):
        todo = []
        for p in pairs:
            if not p["active"] or rng.random() > 0.55 + 0.45 * p["engagement"]:
                continue
            when = at(h.day(offset + 7 + 3 * p["slot"]), 8 + (p["id"] % 9), rng.choice([0, 30]))
            mode = rng.choice(["in_person", "video", "video", "phone"])
            body = {"starts_at": iso(when), "minutes": rng.choice([45, 60, 60, 90]), "mode": mode,
                    "place": rng.choice(SITES)[0] + ", education centre" if mode == "in_person" else "",
                    "link": f"https://meet.demo.nhs.uk/mentoring/{p['id']}" if mode == "video" else "",
                    "topics": ", ".join(rng.sample(TOPICS, 2))}
            todo.append((p, ("POST", f"/api/v1/relationships/{p['id']}/meetings", body,
                             p[rng.choice(["mentee", "mentor"])])))
        for (p, _), meeting in zip(todo, h.parallel(c for _, c in todo)):
            p["booked"] = meeting["id"]

    def record():
        todo = []
        for p in pairs:
            if not p["active"] or not p["booked"]:
                continue
            held = rng.random() < 0.78 + 0.2 * p["engagement"]
            body = {"outcome": "held" if held else "missed",
                    "agreed_actions": ("Next: " + rng.choice(TOPICS)) if held else "", "private_note": ""}
            todo.append(("POST", f"/api/v1/meetings/{p['booked']}/record", body, p[rng.choice(["mentee", "mentor"])]))
            p["held"] += held
            p["booked"] = None
        h.parallel(todo)

    def end_early(share):
        reasons = [("mentee_withdrew", "mentee", "Left the programme for personal reasons."),
                   ("mentor_withdrew", "mentor", "Moved to a post outside the region."),
                   ("not_a_good_fit", "admin", ""), ("other", "admin", "Mentee moved to another deanery.")]
        chosen = [p for p in pairs if p["active"] and rng.random() < share * (1.5 - p["engagement"])]
        cancels, ends, withdrawals = [], [], []
        for p in chosen:
            reason, by, note = rng.choice(reasons)
            if p["booked"]:
                cancels.append(("POST", f"/api/v1/meetings/{p['booked']}/cancel", None, p["mentee"]))
            ends.append(("POST", f"/api/v1/pairings/{p['id']}/end", {"reason": reason, "ended_by": by, "note": note},
                         None))
            if reason == "mentee_withdrew":
                withdrawals.append(("POST", f"/api/v1/enrolments/{p['enrolment']}/withdraw", None, None))
            p["active"], p["booked"] = False, None
        h.parallel(cancels)
        h.parallel(ends)
        h.parallel(withdrawals)

    def checkins(phase):
        todo = []
        for p in pairs:
            if not p["active"]:
                continue
            for who in ("mentee", "mentor"):
                if rng.random() > 0.7 + 0.25 * p["engagement"]:
                    continue
                e = p["engagement"] + rng.gauss(0, 0.15)
                freq = ("not_met" if p["held"] == 0 else "monthly" if e > 0.75 else
                        rng.choice(["monthly", "less_often"]) if e > 0.45 else "less_often")
                todo.append(("PUT", f"/api/v1/pairings/{p['id']}/checkins/{phase}", {
                    "working": "yes" if e > 0.5 else "partly" if e > 0.3 else "no", "frequency": freq,
                    "goals_progress": clip(1.5 + 3 * e + (0.5 if phase == "end" else 0)),
                    "would_continue": "yes" if e > 0.5 else "unsure" if e > 0.3 else "no",
                    "comments": ""}, p[who]))
        h.parallel(todo)

    def survey(roundid, gain, share):
        chosen = {}
        for p in pairs:
            if p["active"] and p["mentee"] in consented_set and rng.random() < share:
                e = p["engagement"]
                chosen[p["mentee"]] = h.answers(base[p["mentee"]], gain * (0.4 + e), satisfaction=2.4 + 2.4 * e)
        h.answer(roundid, chosen)

    def group_session(kind, title, when):
        return h.call("POST", f"/api/v1/cohorts/{pilot}/sessions", {
            "kind": kind, "title": title, "starts_at": int(when.timestamp()), "minutes": 90,
            "location": "Education centre, lecture theatre 1, or online at https://meet.demo.nhs.uk/mentoring/group"},
            staff["contact"])["id"]

    def attendance(sessionid, bar):
        """Records every mentee and mentor of the pilot: a mentee came when their
        pairing is still going and their engagement is above `bar`, a mentor
        when one of their mentees came. No random draw, so the rest of the
        history is as it was without the sessions."""
        came = {}
        for p in pairs:
            here = p["active"] and p["engagement"] > bar
            came[p["enrolment"]] = came.get(p["enrolment"], False) or here
            came[mentor_enrolment[p["mentor"]]] = came.get(mentor_enrolment[p["mentor"]], False) or here
        for e in list(mentee_of) + list(mentor_of):
            came.setdefault(e, False)
        marks = [{"enrolmentid": e, "attended": a} for e, a in sorted(came.items())]
        for start in range(0, len(marks), 500):  # at most 1,000 a call
            h.call("PUT", f"/api/v1/sessions/{sessionid}/attendance", {"attendance": marks[start:start + 500]},
                   staff["contact"])

    mentor_enrolment = {aid: e for e, aid in mentor_of.items()}
    sessions = {}
    consented_set = set(consented)
    book(s0)
    goals = []
    for p in pairs:
        for _ in range(1 if rng.random() < 0.6 else 2):
            title = rng.choice(GOAL_TITLES)
            goals.append((p, ("POST", f"/api/v1/relationships/{p['id']}/goals", {
                "title": title, "specific": title + " during this training year.",
                "measurable": "Agreed with my mentor and recorded in my portfolio.",
                "achievable": "With protected time each month.", "relevant": "Part of my personal development plan.",
                "target_on": h.day(s0 + rng.randint(200, 340)).isoformat(),
                "review_on": h.day(s0 + rng.randint(120, 190)).isoformat()}, p["mentee"])))
    for (p, _), goal in zip(goals, h.parallel(c for _, c in goals)):
        p["goals"].append(goal["id"])

    # ---- every six weeks: meetings, concerns, endings, check-ins -----------
    concerns = []
    steps = [s0 + CYCLE_DAYS * i for i in range(1, 9)]  # -352 ... -58
    for i, offset in enumerate(steps, start=1):
        h.step(offset)
        record()
        if i in (2, 5, 6):
            end_early(0.02)
        if i == 3:  # the midpoint group check-in, six weeks ahead
            sessions["midpoint"] = group_session("midpoint", "Midpoint group check-in", at(h.day(-227), 12, 30))
        if i == 3:  # a few concerns to the point of contact, acknowledged
            raised = []
            for p in pairs:
                if p["active"] and rng.random() < 0.04 * (1.4 - p["engagement"]):
                    category = rng.choice(list(CONCERN_TEXTS))
                    raised.append((p, category, ("POST", "/api/v1/concerns", {
                        "pairingid": p["id"], "category": category,
                        "urgency": rng.choice(["routine", "routine", "soon", "urgent"]),
                        "text": CONCERN_TEXTS[category]}, p["mentee"])))
            for (p, category, _), concern in zip(raised, h.parallel(c for _, _, c in raised)):
                concerns.append((p, category, concern["id"]))
            h.parallel(("POST", f"/api/v1/concerns/{cid}/acknowledge", {"note": "Contacted the mentee."},
                        staff["contact"]) for _, _, cid in concerns)
        if i == 4:  # midpoint: check-ins and survey round; concerns handled
            outcomes = []
            for n, (p, category, cid) in enumerate(concerns):
                if n % 5 == 4:
                    h.call("POST", f"/api/v1/concerns/{cid}/escalate", {"note": "Needs the scheme lead."},
                           staff["contact"])
                    outcomes.append((p, "signposted", cid, staff["lead"]))
                elif category == "personality_fit" and p["active"]:
                    outcomes.append((p, "rematch", cid, staff["contact"]))
                else:
                    outcomes.append((p, rng.choice(["resolved", "resolved", "signposted"]), cid, staff["contact"]))
            for p, outcome, cid, who in outcomes:
                if outcome == "rematch" and p["booked"]:
                    h.call("POST", f"/api/v1/meetings/{p['booked']}/cancel", None, p["mentee"])
                    p["booked"] = None
            h.parallel(("POST", f"/api/v1/concerns/{cid}/resolve",
                        {"outcome": outcome, "note": "Discussed with both; agreed the next step."}, who)
                       for _, outcome, cid, who in outcomes)
            for p, outcome, _, _ in outcomes:
                if outcome == "rematch":
                    p["active"] = False
            checkins("midpoint")
            survey(midpoint, 0.3, 0.72)
            attendance(sessions["midpoint"], 0.35)
            h.parallel(("POST", f"/api/v1/goals/{g}/notes", {"note": "Reviewed at the midpoint: on track."},
                        p["mentor"]) for p in pairs if p["active"] for g in p["goals"][:1] if rng.random() < 0.5)
        if i == 8:  # end: check-ins and survey round; the end-of-scheme meeting
            checkins("end")
            survey(end, 0.55, 0.78)
            sessions["end"] = group_session("end", "End-of-scheme meeting", at(h.day(-34), 13))
        book(offset)

    # ---- ~33 days ago: the pilot closes; outcomes arrive ---------------------
    h.step(-33)
    record()
    status = []
    for p in pairs:
        for g in p["goals"] if p["active"] else []:
            x = rng.random() * (0.6 + 0.5 * p["engagement"])
            if x > 0.45:
                status.append(("PATCH", f"/api/v1/goals/{g}", {"status": "achieved"}, p["mentee"]))
            elif x < 0.08:
                status.append(("PATCH", f"/api/v1/goals/{g}", {"status": "dropped"}, p["mentee"]))
    h.parallel(status)
    h.parallel(("POST", f"/api/v1/pairings/{p['id']}/end",
                {"reason": "completed", "ended_by": "admin", "note": ""}, None) for p in pairs if p["active"])
    attendance(sessions["end"], 0.45)
    engagement = {p["mentee"]: p["engagement"] for p in pairs}
    outcome_csv(h, mentee_ids, engagement, base, -60, -40, mentored=True)
    outcome_csv(h, comp_ids, {}, comp_base, -425, -405, mentored=False)
    h.call("PUT", f"/api/v1/schemes/{h.scheme}/governance", governance(h.day(20).isoformat()))
    held = sum(p["held"] for p in pairs)
    return {"pilot": pilot, "comparator": comparator, "pairings": len(pairs), "meetings_held": held}


def outcome_csv(h, ids, engagement, base, arcp_day, rating_day, mentored):
    """ARCP outcomes, an exam and FY1 preparedness ratings, one CSV import."""
    rng = h.rng
    lines = ["account_id,type,date,arcp_outcome,exam_name,exam_result,rating"]
    for aid in ids:
        lift = (0.04 + 0.08 * engagement.get(aid, 0.4)) if mentored else 0
        level = sum(base[aid].values()) / len(LIKERT_KEYS)
        x = rng.random()
        code = "1" if x < 0.78 + lift else "2" if x < 0.86 + lift / 2 else "5" if x < 0.95 else "3" if x < 0.99 else "8"
        lines.append(f"{aid},arcp,{h.day(arcp_day).isoformat()},{code},,,")
        if rng.random() < 0.3:
            passed = rng.random() < 0.58 + 0.05 * (level - 2.7) + lift
            lines.append(f"{aid},exam,{h.day(arcp_day - 30).isoformat()},,MRCP(UK) Part 1,"
                         f"{'pass' if passed else 'fail'},")
        lines.append(f"{aid},fy1_preparedness,{h.day(rating_day).isoformat()},,,,"
                     f"{clip(level + 0.3 + (1.2 * lift * 5 if mentored else 0) + rng.gauss(0, 0.7))}")
    report = h.c.call_csv("POST", f"/api/v1/schemes/{h.scheme}/outcomes/import?apply=true",
                          ("\r\n".join(lines) + "\r\n").encode())
    h.calls += 1
    if not report.get("applied"):
        raise RuntimeError(f"outcomes not applied: {report}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mentoringd", required=True)
    ap.add_argument("--database-url", default=os.environ.get("MENTORING_DATABASE_URL", "sqlite3:var/mentoring.db"))
    ap.add_argument("--token", required=True)
    ap.add_argument("--mentees", type=int, default=1000)
    ap.add_argument("--mentors", type=int, default=300)
    ap.add_argument("--comparator", type=int, default=800)
    args = ap.parse_args()

    today = datetime.datetime.now(datetime.timezone.utc).date()
    started = time.monotonic()
    server = FaketimeServer(args.mentoringd, args.database_url, args.token, at(today + datetime.timedelta(days=-765)))
    try:
        client = Client(server.url, args.token)
        existing = [s for s in client.call("GET", "/api/v1/schemes?limit=1000")["items"] if s["name"] == SCHEME_NAME]
        if existing:
            cohorts = client.call("GET", f"/api/v1/schemes/{existing[0]['id']}/cohorts")["items"]
            if any(c["name"] == PILOT_COHORT for c in cohorts):
                print(f"demo: '{SCHEME_NAME}' already has its pilot history")
            else:
                print(f"demo: '{SCHEME_NAME}' was seeded without a pilot history; remove the demo database "
                      "to seed it again with one")
            return 0
        h = History(client, server, random.Random(20250805), today, args)
        try:
            done = seed(h)
        finally:
            h.pool.shutdown()
    except Exception:
        sys.stderr.write("".join(server.log[-20:]))
        raise
    finally:
        code = server.stop()
    if code != 0:
        raise RuntimeError(f"the temporary mentoringd exited with {code}:\n" + "".join(server.log[-20:]))
    print(f"demo: seeded the pilot year of '{SCHEME_NAME}' ({args.mentees} mentees, {args.mentors} mentors, "
          f"{done['pairings']} pairings, {done['meetings_held']} meetings held) and its comparator "
          f"({args.comparator} trainees) with {h.calls} API calls in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
