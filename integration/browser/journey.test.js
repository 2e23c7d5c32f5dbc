// One matched pair's whole journey in the browser, launched from the LTI
// platform simulator's portal: both accept the agreement, a meeting is
// booked and then recorded as held, the baseline, midpoint and end surveys
// and the midpoint check-in are answered on the feedback pages, staff
// schedule the midpoint group check-in and the end-of-scheme meeting on the
// cohort's group session pages and tick who attended, which puts the meeting
// on the mentor's CPD log and certificate and invites the mentee to mentor,
// and staff open the evaluation report and its CSV.
// Every page visited passes axe-core.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newWatchedPage } from './support.js';
import { USERS, assertLoopbackOnly, checkAccessible, launchInPortal, linkCourseToScheme, openOwnWindow, startToolAndPortal } from './lti_support.js';

let env;
let browser;
let schemeId;
let cohortId;
let pairingId;
let meetingId;
const accounts = {};
const enrolment = {};
const rounds = {};

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  env = await startToolAndPortal();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

// Launches `kind` and opens `path` in a window of the same session.
async function open(kind, path) {
  const page = await newWatchedPage(browser);
  await launchInPortal(page, env, kind);
  const own = await openOwnWindow(page, env, path);
  return { page, own, close: () => page.context().close() };
}

// Answers every question of the survey form on `own`: the first choice of
// each radio or checkbox group, a number in number fields, text in text areas.
async function answerSurvey(own, note) {
  const groups = await own.evaluate(() => {
    const names = new Set();
    document.querySelectorAll('main input[type=radio], main input[type=checkbox]').forEach((i) => names.add(i.name));
    return [...names];
  });
  for (const name of groups) await own.locator(`main input[name="${name}"]`).first().check();
  for (const input of await own.locator('main input[inputmode=decimal]').all()) await input.fill('3');
  for (const area of await own.locator('main textarea').all()) await area.fill(note);
}

test('set-up: accounts, a running cohort with its agreement, surveys and one pair', async () => {
  for (const [kind, user] of Object.entries(USERS)) {
    const r = await env.api('PUT', '/api/v1/accounts', {
      platform: env.portal, subject: user.sub, display_name: user.name, email: `${kind}@example.nhs.uk`,
    });
    assert.ok(r.status === 200 || r.status === 201, r.text);
    accounts[kind] = r.json.id;
  }
  const scheme = await env.api('POST', '/api/v1/schemes', {
    name: 'FY1 North West', type: 'near_peer', aims: 'Support FY1 doctors through their first year.', phase: 'pilot',
  });
  assert.equal(scheme.status, 201, scheme.text);
  schemeId = scheme.json.id;
  const agreement = await env.api('PUT', `/api/v1/schemes/${schemeId}/agreement`, {
    frequency: 'monthly', meeting_minutes: 60, duration_months: 12,
    boundaries: 'We meet in working hours and keep to time.', ground_rules: 'We give a day\'s notice to rearrange.',
  });
  assert.ok(agreement.status === 200 || agreement.status === 201, agreement.text);
  // Started 20 days ago, ends in 20 days: the midpoint check-in is open.
  const cohort = await env.api('POST', `/api/v1/schemes/${schemeId}/cohorts`, {
    name: 'August intake', opens_on: day(-60), closes_on: day(-25), starts_on: day(-25), ends_on: day(20),
    matching_model: 'assigned',
  });
  assert.equal(cohort.status, 201, cohort.text);
  cohortId = cohort.json.id;
  const now = Math.floor(Date.now() / 1000);
  // Enrolment closed weeks ago, so the enrolments are as it left them.
  for (const [kind, role] of [['trainee', 'mentee'], ['mentor', 'mentor']]) {
    env.sql(`INSERT INTO mentoring_enrolments (cohortid, accountid, role, status, timecreated, timemodified)
             VALUES (?, ?, ?, 'active', ?, ?)`, [cohortId, accounts[kind], role, now, now]);
    enrolment[kind] = env.sql('SELECT max(id) FROM mentoring_enrolments')[0][0];
  }
  const questionnaire = await env.api('POST', `/api/v1/schemes/${schemeId}/surveys`, { default: true });
  assert.equal(questionnaire.status, 201, questionnaire.text);
  for (const phase of ['baseline', 'midpoint', 'end']) {
    const r = await env.api('POST', `/api/v1/schemes/${schemeId}/rounds`, {
      questionnaireid: questionnaire.json.id, cohortid: cohortId, phase, audiences: ['mentees', 'mentors'],
      opens_on: day(-25), closes_on: day(30),
    });
    assert.equal(r.status, 201, r.text);
    rounds[phase] = r.json.id;
  }
  const started = now - 20 * 86400;
  env.sql(`INSERT INTO mentoring_mentor_places (cohortid, mentorid, capacity, active, timecreated, timemodified)
           VALUES (?, ?, 2, 1, ?, ?)`, [cohortId, enrolment.mentor, now, now]);
  env.sql(`INSERT INTO mentoring_pairings (cohortid, menteeid, mentorid, state, source, started_at, timecreated, timemodified)
           VALUES (?, ?, ?, 'active', 'assigned', ?, ?, ?)`,
          [cohortId, enrolment.trainee, enrolment.mentor, started, started, started]);
  pairingId = env.sql('SELECT max(id) FROM mentoring_pairings')[0][0];
  await linkCourseToScheme(browser, env, schemeId);
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_pairings WHERE cohortid = ? AND state = ?', [cohortId, 'active']), [[1]]);
});

test('both people accept the agreement on /relationship', async () => {
  const mentee = await open('trainee', '/relationship');
  assert.match(await mentee.own.locator('#partner-name').innerText(), /Dr Ben Hughes/);
  assert.match(await mentee.own.locator('#agreement-status').innerText(), /Not accepted yet/);
  await checkAccessible(mentee.own, mentee.own, 'journey-relationship-before');
  await Promise.all([mentee.own.waitForURL(/saved=agreement/), mentee.own.click('#accept-agreement')]);
  assert.match(await mentee.own.locator('#agreement-status').innerText(), /waiting for the mentor/);
  assertLoopbackOnly(mentee.own, 'mentee relationship');
  await mentee.close();
  const mentor = await open('mentor', '/relationship');
  await Promise.all([mentor.own.waitForURL(/saved=agreement/), mentor.own.click('#accept-agreement')]);
  assert.match(await mentor.own.locator('#agreement-status').innerText(), /Accepted by both of you/);
  await mentor.close();
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_agreement_acceptances WHERE pairingid = ?', [pairingId]), [[2]]);
});

test('a meeting is booked on the relationship page and recorded once it has taken place', async () => {
  const mentor = await open('mentor', '/relationship');
  await Promise.all([mentor.own.waitForURL(/\/meetings\/new$/), mentor.own.click('#book-meeting')]);
  await mentor.own.fill('#field-date', day(3));
  await mentor.own.fill('#field-time', '10:00');
  await mentor.own.fill('#field-minutes', '60');
  await mentor.own.fill('#field-link', 'https://meet.example.nhs.uk/room/7');
  await mentor.own.fill('#field-topics', 'Settling into the first rotation');
  await Promise.all([mentor.own.waitForURL(/\/relationship\/meetings\/\d+\?saved=meeting_booked$/), mentor.own.click('#save')]);
  meetingId = Number(/\/meetings\/(\d+)/.exec(mentor.own.url())[1]);
  await mentor.close();
  // Four days pass: the booked meeting is now in the past.
  env.sql('UPDATE mentoring_meetings SET starts_at = starts_at - 4 * 86400 WHERE id = ?', [meetingId]);
  const mentee = await open('trainee', `/relationship/meetings/${meetingId}`);
  await checkAccessible(mentee.own, mentee.own, 'journey-record-meeting');
  await mentee.own.fill('#field-agreed_actions', 'Aisha drafts her reflection by Friday.');
  await Promise.all([mentee.own.waitForURL(/saved=meeting_recorded/), mentee.own.click('#record-meeting')]);
  assert.match(await mentee.own.locator('#agreed-actions').innerText(), /reflection by Friday/);
  await mentee.own.goto(env.tool + '/relationship');
  assert.match(await mentee.own.locator('#meetings-held').innerText(), /Meetings held: 1/);
  await mentee.close();
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_meetings WHERE pairingid = ? AND state = ?', [pairingId, 'held']), [[1]]);
});

async function answerRound(kind, phase, note) {
  const who = await open(kind, '/feedback');
  const card = who.own.locator(`#survey-${rounds[phase]}`);
  await card.waitFor();
  await Promise.all([who.own.waitForURL(new RegExp(`/feedback/surveys/${rounds[phase]}$`)), card.locator('a').first().click()]);
  if (phase === 'baseline' && kind === 'trainee') await checkAccessible(who.own, who.own, 'journey-survey-form');
  await answerSurvey(who.own, note);
  await Promise.all([who.own.waitForURL(/saved=survey/), who.own.click('#save')]);
  if (phase === 'baseline' && kind === 'trainee') await checkAccessible(who.own, who.own, 'journey-feedback-answered');
  await who.close();
}

test('baseline and midpoint surveys answered by both, and the midpoint check-in', async () => {
  for (const phase of ['baseline', 'midpoint'])
    for (const kind of ['trainee', 'mentor']) await answerRound(kind, phase, `${kind} at ${phase}`);
  const mentee = await open('trainee', `/feedback/checkins/${pairingId}/midpoint`);
  await mentee.own.check('input[name="working"][value="yes"]');
  await mentee.own.check('input[name="frequency"][value="monthly"]');
  await mentee.own.check('input[name="goals_progress"][value="4"]');
  await mentee.own.check('input[name="would_continue"][value="yes"]');
  await Promise.all([mentee.own.waitForURL(/saved=checkin/), mentee.own.click('#save')]);
  assert.match(await mentee.own.locator(`#checkin-${pairingId}-midpoint`).innerText(), /Yes/);
  await mentee.close();
  const responses = env.sql('SELECT roundid, count(*) FROM mentoring_survey_responses GROUP BY roundid ORDER BY roundid');
  assert.deepEqual(responses, [[rounds.baseline, 2], [rounds.midpoint, 2]]);
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_checkin_responses WHERE pairingid = ?', [pairingId]), [[1]]);
});

test('the end survey is answered by both, and changed once before the round closes', async () => {
  for (const kind of ['trainee', 'mentor']) await answerRound(kind, 'end', `${kind} at the end`);
  // Answers stay editable while the round is open: the mentee changes theirs.
  const mentee = await open('trainee', `/feedback/surveys/${rounds.end}`);
  const area = mentee.own.locator('main textarea').first();
  assert.equal(await area.inputValue(), 'trainee at the end');
  await area.fill('trainee at the end, on reflection');
  await Promise.all([mentee.own.waitForURL(/saved=survey/), mentee.own.click('#save')]);
  assert.match(await mentee.own.locator(`#survey-${rounds.end}`).innerText(), /on reflection/);
  await mentee.close();
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_survey_responses WHERE roundid = ?', [rounds.end]), [[2]]);
});

test('staff schedule the midpoint group check-in and the end-of-scheme meeting on the cohort\'s pages and record who came', async () => {
  const staff = await open('admin', `/staff/schemes/${schemeId}/participants?cohort=${cohortId}`);
  const listUrl = new RegExp(`/staff/cohorts/${cohortId}/sessions(\\?saved=1)?$`);
  await Promise.all([staff.own.waitForURL(listUrl), staff.own.click('#cohort-sessions-link')]);
  assert.equal(await staff.own.locator('#no-sessions').count(), 1);
  await checkAccessible(staff.own, staff.own, 'journey-sessions-empty');
  // A time that is no time: the form comes back with the error next to the
  // field, and nothing is scheduled.
  const fillSession = async (kind, title, date, time) => {
    await staff.own.check(`input[name="kind"][value="${kind}"]`);
    await staff.own.fill('#field-title', title);
    await staff.own.fill('#field-date', date);
    await staff.own.fill('#field-time', time);
    await staff.own.fill('#field-minutes', '90');
    await staff.own.fill('#field-location', 'Education centre, seminar room 2');
  };
  await fillSession('midpoint', 'Midpoint group check-in', day(-10), '25:00');
  await staff.own.click('#schedule');
  await staff.own.locator('.nhsuk-error-summary').waitFor();
  assert.match(await staff.own.locator('#field-time-error').innerText(), /24-hour clock/);
  assert.equal(await staff.own.locator('#field-title').inputValue(), 'Midpoint group check-in');
  await checkAccessible(staff.own, staff.own, 'journey-sessions-error');
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_cohort_sessions WHERE cohortid = ?', [cohortId]), [[0]]);
  await staff.own.fill('#field-time', '10:00');
  await Promise.all([staff.own.waitForURL(/\/sessions\?saved=1$/), staff.own.click('#schedule')]);
  await fillSession('end', 'End-of-scheme meeting', day(-2), '10:00');
  await Promise.all([staff.own.waitForURL(/\/sessions\?saved=1$/), staff.own.click('#schedule')]);
  assert.match(await staff.own.locator('#saved').innerText(), /has been scheduled/);
  const rows = await staff.own.locator('#sessions tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    id: Number(tr.id.replace('session-', '')), text: tr.innerText,
  })));
  assert.deepEqual(rows.map((r) => (/End-of-scheme meeting/.test(r.text) ? 'end' : 'midpoint')), ['midpoint', 'end']);
  for (const r of rows) assert.match(r.text, /90 minutes[\s\S]*seminar room 2[\s\S]*Not recorded yet/);
  await checkAccessible(staff.own, staff.own, 'journey-sessions');
  const sessions = { midpoint: rows[0].id, end: rows[1].id };
  // The mentee's year is complete by the end meeting.
  env.sql("UPDATE mentoring_enrolments SET status = 'completed' WHERE id = ?", [enrolment.trainee]);
  for (const kind of ['midpoint', 'end']) {
    await Promise.all([staff.own.waitForURL(new RegExp(`/staff/sessions/${sessions[kind]}/attendance$`)),
      staff.own.click(`#session-${sessions[kind]}-record`)]);
    if (kind === 'end') await checkAccessible(staff.own, staff.own, 'journey-attendance');
    await staff.own.check(`input[name="mentees"][value="${enrolment.trainee}"]`);
    await staff.own.check(`input[name="mentors"][value="${enrolment.mentor}"]`);
    await Promise.all([staff.own.waitForURL(/\/attendance\?saved=1/), staff.own.click('#save-attendance')]);
    assert.match(await staff.own.locator('#attendance-saved').innerText(), /2 of the 2 people recorded attended/);
    if (kind === 'end') {
      // The end meeting gave the mentor a CPD entry and invited the mentee to mentor.
      assert.equal(await staff.own.locator('#cpd-created').innerText(), '1');
      assert.equal(await staff.own.locator('#invitations-created').innerText(), '1');
      await checkAccessible(staff.own, staff.own, 'journey-attendance-saved');
    } else {
      assert.equal(await staff.own.locator('#cpd-created').count(), 0);
    }
    await staff.own.goto(env.tool + `/staff/cohorts/${cohortId}/sessions`);
    assert.match(await staff.own.locator(`#session-${sessions[kind]}-attendance`).innerText(), /2 attended/);
  }
  assertLoopbackOnly(staff.own, 'staff group sessions');
  await staff.close();
  const listed = await env.api('GET', `/api/v1/cohorts/${cohortId}/sessions`);
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(listed.json.items.map((x) => x.kind), ['midpoint', 'end']);
  for (const item of listed.json.items)
    assert.deepEqual(item.attendance.map((a) => [a.enrolmentid, a.attended]).sort(),
                     [[enrolment.trainee, true], [enrolment.mentor, true]].sort());
});

test('the end meeting put the mentoring on the mentor\'s CPD log, and the certificate downloads', async () => {
  const mentor = await open('mentor', '/profile/mentor/cpd');
  assert.match(await mentor.own.locator('#cpd-entries').innerText(), /End-of-scheme mentoring meeting: End-of-scheme meeting/);
  await checkAccessible(mentor.own, mentor.own, 'journey-cpd');
  const href = await mentor.own.locator('#cpd-years a').first().getAttribute('href');
  const pdf = await mentor.own.request.get(env.tool + href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
  await mentor.close();
  // Only the mentor's attendance earns CPD, and only the end meeting's.
  assert.deepEqual(env.sql('SELECT accountid, hours FROM mentoring_cpd_entries'), [[accounts.mentor, 1.5]]);
});

test('the mentee who completed the scheme is invited to become a mentor', async () => {
  const mentee = await open('trainee', '/mentor/become');
  assert.match(await mentee.own.locator('#mentor-invitation').innerText(), /invited to become a mentor/);
  assert.equal(await mentee.own.locator('#mentor-eligibility').count(), 1);
  await checkAccessible(mentee.own, mentee.own, 'journey-become-mentor');
  await mentee.close();
  // The mentor, who was not a completing mentee, is not invited.
  const mentor = await open('mentor', '/mentor/become');
  assert.equal(await mentor.own.locator('#mentor-invitation').count(), 0);
  await mentor.close();
});

test('staff open the evaluation report and its CSV: every count about two people is withheld, nothing names them', async () => {
  const staff = await open('admin', '/staff/reports');
  assert.match(await staff.own.locator('#report-heading').innerText(), /August intake/);
  await checkAccessible(staff.own, staff.own, 'journey-report');
  // One mentee and one check-in response: far under the threshold of 10,
  // so the check-in row is withheld rather than counted.
  const checkins = await staff.own.locator('#report-checkins').innerText();
  assert.match(checkins, /midpoint\s+Mentees\s+Withheld \(too few people\)/);
  const csvHref = await staff.own.locator('#download-csv').getAttribute('href');
  const csv = await staff.own.request.get(env.tool + csvHref);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /text\/csv/);
  const text = await csv.text();
  // Two people took part: every count about them is withheld, on the page
  // and in the file, with the reason; counts that are zero, and the scheme's
  // own readiness, are shown.
  const uptake = await staff.own.locator('#report-uptake').innerText();
  assert.match(uptake, /Mentees enrolled\s+Withheld \(too few people\)/);
  assert.match(uptake, /Meetings held\s+Withheld \(too few people\)/);
  assert.match(uptake, /Pairings completed\s+0/);
  const rows = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => l.split(','));
  assert.deepEqual(rows[0].slice(0, 7), ['section', 'cohort', 'group', 'item', 'measure', 'value', 'suppression']);
  const row = (...key) => rows.find((r) => key.every((k, i) => r[i] === k));
  assert.deepEqual(row('uptake', 'August intake', 'mentees', 'enrolled', 'people').slice(5, 7), ['', 'primary']);
  assert.deepEqual(row('engagement', 'August intake', 'meetings', 'held', 'meetings').slice(5, 7), ['', 'primary']);
  for (const phase of ['baseline', 'midpoint', 'end'])
    assert.deepEqual(row('responses', 'August intake', phase, 'total', 'respondents').slice(5, 7), ['', 'primary']);
  assert.deepEqual(row('survey_change', 'August intake', 'mentees', 'confidence', 'mean_difference').slice(5, 7),
                   ['', 'too_few_people']);
  assert.deepEqual(row('engagement', 'August intake', 'pairings', 'completed', 'pairings').slice(5, 7), ['0', 'none']);
  // Nothing in the file names either person.
  for (const user of Object.values(USERS)) assert.doesNotMatch(text, new RegExp(user.name));
  const pdfLink = staff.own.locator('#download-pdf');
  if (await pdfLink.count()) {
    const pdf = await staff.own.request.get(env.tool + (await pdfLink.getAttribute('href')));
    assert.equal(pdf.status(), 200);
    assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
  }
  assertLoopbackOnly(staff.own, 'staff report');
  await staff.close();
  assert.ok(env.sql(`SELECT count(*) FROM mentoring_audit_log WHERE action = 'export'
                     AND entity_type = 'evaluation_report'`)[0][0] >= 1);
});
