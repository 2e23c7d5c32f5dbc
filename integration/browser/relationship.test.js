// The mentoring relationship in the browser, launched from the LTI platform
// simulator's portal as the mentee and the mentor of one pair: both accept
// the agreement, the mentor books a meeting in UK time and downloads its
// calendar file, a past meeting is recorded with a private note only its
// author sees, the mentee sets a SMART goal that the mentor adds progress to,
// and both log protected time. Every page passes axe-core, in the iframe and
// on its own, including a form showing its errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newWatchedPage } from './support.js';
import { USERS, assertLoopbackOnly, checkAccessible, launchInPortal, linkCourseToScheme, startToolAndPortal } from './lti_support.js';

let env;
let browser;
let pairingId;
const accounts = {};

// A day `offset` days from today (UTC), as YYYY-MM-DD.
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  env = await startToolAndPortal();
  browser = await launchBrowser();
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
  const agreement = await env.api('PUT', `/api/v1/schemes/${scheme.json.id}/agreement`, {
    frequency: 'monthly', meeting_minutes: 60, duration_months: 12,
    boundaries: 'We meet in working hours and keep to time.', ground_rules: 'We give a day\'s notice to rearrange.',
  });
  assert.ok(agreement.status === 200 || agreement.status === 201, agreement.text);
  const cohort = await env.api('POST', `/api/v1/schemes/${scheme.json.id}/cohorts`, {
    name: 'August intake', opens_on: day(-10), closes_on: day(20), starts_on: day(25), ends_on: day(360),
    matching_model: 'assigned',
  });
  assert.equal(cohort.status, 201, cohort.text);
  const enrolment = {};
  for (const [kind, role] of [['trainee', 'mentee'], ['mentor', 'mentor']]) {
    const e = await env.api('POST', `/api/v1/cohorts/${cohort.json.id}/enrolments`, { accountid: accounts[kind], role });
    assert.equal(e.status, 201, e.text);
    enrolment[kind] = e.json.id;
  }
  // The pair as a published matching run leaves them.
  const now = Math.floor(Date.now() / 1000);
  env.sql(`INSERT INTO mentoring_mentor_places (cohortid, mentorid, capacity, active, timecreated, timemodified)
           VALUES (?, ?, 2, 1, ?, ?)`, [cohort.json.id, enrolment.mentor, now, now]);
  env.sql(`INSERT INTO mentoring_pairings (cohortid, menteeid, mentorid, state, source, started_at, timecreated, timemodified)
           VALUES (?, ?, ?, 'active', 'assigned', ?, ?, ?)`, [cohort.json.id, enrolment.trainee, enrolment.mentor, now, now, now]);
  pairingId = env.sql('SELECT max(id) FROM mentoring_pairings')[0][0];
  await linkCourseToScheme(browser, env, scheme.json.id);
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

// Launches `kind` and opens the relationship page in the iframe and in a
// window of its own; resolves to { page, frame, own }.
async function open(kind) {
  const page = await newWatchedPage(browser);
  const frame = await launchInPortal(page, env, kind);
  const res = await frame.goto(env.tool + '/relationship');
  assert.equal(res.status(), 200);
  const own = await page.context().newPage();
  own.requests = [];
  own.consoleErrors = [];
  own.on('request', (r) => own.requests.push(r.url()));
  own.on('console', (m) => { if (m.type() === 'error') own.consoleErrors.push(m.text()); });
  await own.goto(env.tool + '/relationship');
  return { page, frame, own };
}

test('both people accept the agreement before any meeting can be booked', async () => {
  const mentee = await open('trainee');
  await checkAccessible(mentee.frame, mentee.page, 'relationship-mentee-iframe');
  assert.match(await mentee.own.locator('#partner-name').innerText(), /Dr Ben Hughes/);
  assert.match(await mentee.own.locator('#agreement-status').innerText(), /Not accepted yet/);
  assert.equal(await mentee.own.locator('#book-meeting').count(), 0);
  await checkAccessible(mentee.own, mentee.own, 'relationship-mentee-before-agreement');
  await Promise.all([mentee.own.waitForURL(/saved=agreement/), mentee.own.click('#accept-agreement')]);
  assert.match(await mentee.own.locator('#saved-message').innerText(), /accepted the agreement/);
  assert.match(await mentee.own.locator('#agreement-status').innerText(), /waiting for the mentor/);
  await checkAccessible(mentee.own, mentee.own, 'relationship-mentee-accepted');
  assertLoopbackOnly(mentee.own, 'mentee');
  await mentee.page.context().close();

  const mentor = await open('mentor');
  await Promise.all([mentor.own.waitForURL(/saved=agreement/), mentor.own.click('#accept-agreement')]);
  assert.match(await mentor.own.locator('#agreement-status').innerText(), /Accepted by both of you/);
  assert.equal(await mentor.own.locator('#book-meeting').count(), 1);
  await mentor.page.context().close();
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_agreement_acceptances WHERE pairingid = ?', [pairingId]), [[2]]);
});

test('the mentor books a meeting in UK time, sees the errors of a bad one, and downloads the invitation', async () => {
  const { page, own } = await open('mentor');
  await Promise.all([own.waitForURL(/\/meetings\/new$/), own.click('#book-meeting')]);
  await checkAccessible(own, own, 'relationship-book-form');
  await own.fill('#field-date', day(-2));
  await own.fill('#field-time', '10:00');
  await own.fill('#field-link', 'https://meet.example.nhs.uk/room/7');
  const [bad] = await Promise.all([own.waitForResponse((r) => r.request().method() === 'POST'), own.click('#save')]);
  assert.equal(bad.status(), 400);
  assert.match(await own.locator('.nhsuk-error-summary').innerText(), /already passed/);
  await checkAccessible(own, own, 'relationship-book-form-errors');

  await own.fill('#field-date', day(7));
  await own.fill('#field-minutes', '45');
  await own.fill('#field-topics', 'Settling into the first rotation');
  await Promise.all([own.waitForURL(/\/relationship\/meetings\/\d+\?saved=meeting_booked$/), own.click('#save')]);
  assert.match(await own.locator('#saved-message').innerText(), /meeting is booked/);
  assert.match(await own.locator('#meeting-facts').innerText(), new RegExp(`${day(7)} 10:00`));
  await checkAccessible(own, own, 'relationship-meeting-booked');
  const href = await own.locator('#calendar').getAttribute('href');
  const ics = await own.request.get(env.tool + href);
  assert.equal(ics.status(), 200);
  assert.equal(ics.headers()['content-type'], 'text/calendar; charset=UTF-8; method=REQUEST');
  const text = await ics.text();
  assert.match(text, new RegExp(`DTSTART;TZID=Europe/London:${day(7).replace(/-/g, '')}T100000\r\n`));
  assert.match(text, /ORGANIZER;CN="Dr Ben Hughes":mailto:[^@\s]+@/);
  const [[startsAt, minutes]] = env.sql('SELECT starts_at, minutes FROM mentoring_meetings WHERE pairingid = ?', [pairingId]);
  assert.equal(minutes, 45);
  // 10:00 in London is 09:00 or 10:00 UTC depending on the season.
  const utcHour = new Date(startsAt * 1000).getUTCHours();
  assert.ok(utcHour === 9 || utcHour === 10, `stored hour ${utcHour}`);
  await page.context().close();
});

test('a meeting that took place is recorded, and each private note stays with its author', async () => {
  const now = Math.floor(Date.now() / 1000);
  env.sql(`INSERT INTO mentoring_meetings (pairingid, booked_by, starts_at, minutes, mode, place, link, topics, agreed_actions,
           state, sequence, timecreated, timemodified) VALUES (?, ?, ?, 60, 'in_person', 'Education centre', '', '', '',
           'booked', 0, ?, ?)`, [pairingId, accounts.trainee, now - 3 * 86400, now - 10 * 86400, now - 10 * 86400]);
  const meetingId = env.sql('SELECT max(id) FROM mentoring_meetings')[0][0];
  const mentee = await open('trainee');
  await mentee.own.goto(`${env.tool}/relationship/meetings/${meetingId}`);
  await checkAccessible(mentee.own, mentee.own, 'relationship-record-form');
  await mentee.own.fill('#field-agreed_actions', 'Aisha drafts her reflection by Friday.');
  await mentee.own.fill('#field-private_note', 'Worried about night shifts.');
  await Promise.all([mentee.own.waitForURL(/saved=meeting_recorded/), mentee.own.click('#record-meeting')]);
  assert.match(await mentee.own.locator('#agreed-actions').innerText(), /reflection by Friday/);
  assert.match(await mentee.own.locator('#my-note').innerText(), /night shifts/);
  await checkAccessible(mentee.own, mentee.own, 'relationship-meeting-recorded');
  await mentee.page.context().close();

  const mentor = await open('mentor');
  await mentor.own.goto(`${env.tool}/relationship/meetings/${meetingId}`);
  const main = await mentor.own.locator('main').innerText();
  assert.match(main, /reflection by Friday/);
  assert.doesNotMatch(main, /night shifts/);
  await mentor.own.goto(`${env.tool}/relationship`);
  assert.match(await mentor.own.locator('#meetings-held').innerText(), /Meetings held: 1/);
  await mentor.page.context().close();
});

test('the mentee sets a SMART goal, the mentor adds progress, and both log protected time', async () => {
  const mentee = await open('trainee');
  await Promise.all([mentee.own.waitForURL(/\/goals\/new$/), mentee.own.click('#add-goal')]);
  await checkAccessible(mentee.own, mentee.own, 'relationship-goal-form');
  await mentee.own.fill('#field-title', 'Pass MRCP Part 1');
  await mentee.own.fill('#field-specific', 'Sit the January paper.');
  await mentee.own.fill('#field-measurable', 'A pass letter from the college.');
  await mentee.own.fill('#field-target_on', day(200));
  await Promise.all([mentee.own.waitForURL(/saved=goal_added/), mentee.own.click('#save')]);
  assert.match(await mentee.own.locator('#goals').innerText(), /Pass MRCP Part 1\s+\S+\s+Open/);
  await Promise.all([mentee.own.waitForURL(/saved=protected_time/),
    (async () => {
      await mentee.own.click('#log-protected-time');
      await checkAccessible(mentee.own, mentee.own, 'relationship-protected-time');
      await mentee.own.fill('#field-minutes', '60');
      await mentee.own.click('#save');
    })()]);
  await mentee.page.context().close();

  const mentor = await open('mentor');
  await Promise.all([mentor.own.waitForURL(/\/relationship\/goals\/\d+$/), mentor.own.click('#goals a')]);
  assert.equal(await mentor.own.locator('#save-status').count(), 0);
  await mentor.own.fill('#field-note', 'Booked a study day for revision.');
  await Promise.all([mentor.own.waitForURL(/saved=goal_note/), mentor.own.click('#add-note')]);
  assert.match(await mentor.own.locator('#goal-notes').innerText(), /study day/);
  await checkAccessible(mentor.own, mentor.own, 'relationship-goal-page');
  await mentor.own.goto(`${env.tool}/relationship/pairings/${pairingId}/protected-time`);
  await mentor.own.fill('#field-minutes', '45');
  await Promise.all([mentor.own.waitForURL(/saved=protected_time/), mentor.own.click('#save')]);
  assert.match(await mentor.own.locator('#protected-total').innerText(), /105 minutes/);
  await checkAccessible(mentor.own, mentor.own, 'relationship-mentor-overview');
  await mentor.page.context().close();
});
