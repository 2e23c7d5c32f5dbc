// Concerns, check-ins and the staff evaluation pages in the browser,
// launched from the LTI platform simulator's portal: the mentee raises a
// concern that the mentor cannot open and the point of contact (the scheme
// administrator, named in the governance register) acknowledges and closes;
// the mentee answers the midpoint check-in and sees the answers back; staff
// open the report and the audit log, which shows the confidential reads.
// Every page passes axe-core, including forms showing their errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { launchBrowser, newWatchedPage } from './support.js';
import { USERS, assertLoopbackOnly, checkAccessible, launchInPortal, linkCourseToScheme, startToolAndPortal } from './lti_support.js';

let env;
let browser;
let schemeId;
let pairingId;
const accounts = {};

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  // Concern text is stored sealed, so mentoringd needs a key (read from the
  // environment).
  process.env.MENTORING_PRIVACY_DEMOGRAPHICS_KEYS = `1:${randomBytes(32).toString('base64')}`;
  env = await startToolAndPortal();
  browser = await launchBrowser();
  for (const [kind, user] of Object.entries(USERS)) {
    const r = await env.api('PUT', '/api/v1/accounts', {
      platform: env.portal, subject: user.sub, display_name: user.name, email: '',
    });
    assert.ok(r.status === 200 || r.status === 201, r.text);
    accounts[kind] = r.json.id;
  }
  const scheme = await env.api('POST', '/api/v1/schemes', {
    name: 'FY1 North West', type: 'near_peer', aims: 'Support FY1 doctors through their first year.', phase: 'pilot',
  });
  assert.equal(scheme.status, 201, scheme.text);
  schemeId = scheme.json.id;
  const governance = await env.api('PUT', `/api/v1/schemes/${schemeId}/governance`, {
    assignments: [{
      responsibility: 'day_to_day_management_and_point_of_contact', accountid: accounts.admin,
      reports_to: 'Director of Postgraduate Medical Education', cadence: 'quarterly', next_report_due: day(30),
    }],
  });
  assert.equal(governance.status, 200, governance.text);
  // A cohort whose pairing started 20 days ago and ends in 20 days: the
  // midpoint check-in is due today and open.
  const cohort = await env.api('POST', `/api/v1/schemes/${schemeId}/cohorts`, {
    name: 'August intake', opens_on: day(-60), closes_on: day(-25), starts_on: day(-25), ends_on: day(20),
    matching_model: 'assigned',
  });
  assert.equal(cohort.status, 201, cohort.text);
  // Enrolment closed weeks ago: the pair as enrolment and matching left them.
  const now = Math.floor(Date.now() / 1000);
  const enrolment = {};
  for (const [kind, role] of [['trainee', 'mentee'], ['mentor', 'mentor']]) {
    env.sql(`INSERT INTO mentoring_enrolments (cohortid, accountid, role, status, timecreated, timemodified)
             VALUES (?, ?, ?, 'active', ?, ?)`, [cohort.json.id, accounts[kind], role, now, now]);
    enrolment[kind] = env.sql('SELECT max(id) FROM mentoring_enrolments')[0][0];
  }
  const started = now - 20 * 86400;
  env.sql(`INSERT INTO mentoring_mentor_places (cohortid, mentorid, capacity, active, timecreated, timemodified)
           VALUES (?, ?, 2, 1, ?, ?)`, [cohort.json.id, enrolment.mentor, now, now]);
  env.sql(`INSERT INTO mentoring_pairings (cohortid, menteeid, mentorid, state, source, started_at, timecreated, timemodified)
           VALUES (?, ?, ?, 'active', 'assigned', ?, ?, ?)`,
          [cohort.json.id, enrolment.trainee, enrolment.mentor, started, started, started]);
  pairingId = env.sql('SELECT max(id) FROM mentoring_pairings')[0][0];
  await linkCourseToScheme(browser, env, schemeId);
});

after(async () => {
  await browser?.close();
  await env?.stop();
  delete process.env.MENTORING_PRIVACY_DEMOGRAPHICS_KEYS;
});

// Launches `kind` and opens `path` in a window of its own (same session).
async function open(kind, path) {
  const page = await newWatchedPage(browser);
  const frame = await launchInPortal(page, env, kind);
  const res = await frame.goto(env.tool + path);
  assert.equal(res.status(), 200, `${kind} ${path}`);
  await checkAccessible(frame, page, `${kind}-${path.replace(/\W+/g, '-')}-iframe`);
  const own = await page.context().newPage();
  own.requests = [];
  own.consoleErrors = [];
  own.on('request', (r) => own.requests.push(r.url()));
  own.on('console', (m) => { if (m.type() === 'error') own.consoleErrors.push(m.text()); });
  await own.goto(env.tool + path);
  return { page, frame, own };
}

test('a mentee raises a concern only the point of contact can read, who closes it', async () => {
  const mentee = await open('trainee', '/concerns');
  await checkAccessible(mentee.own, mentee.own, 'concerns-form');
  // A bad form shows its errors and sends nothing.
  const [bad] = await Promise.all([
    mentee.own.waitForResponse((r) => r.request().method() === 'POST'), mentee.own.click('#raise'),
  ]);
  assert.equal(bad.status(), 400);
  assert.match(await mentee.own.locator('.nhsuk-error-summary').innerText(), /Choose what the concern is about/);
  await checkAccessible(mentee.own, mentee.own, 'concerns-form-errors');
  await mentee.own.check('input[name="category"][value="personality_fit"]');
  await mentee.own.check('input[name="urgency"][value="soon"]');
  await mentee.own.fill('textarea[name="text"]', 'We do not get on and I dread our meetings.');
  await Promise.all([mentee.own.waitForURL(/saved=raised/), mentee.own.click('#raise')]);
  assert.match(await mentee.own.locator('#concern-text').innerText(), /dread our meetings/);
  await checkAccessible(mentee.own, mentee.own, 'concern-raised');
  const concernPath = new URL(mentee.own.url()).pathname.replace(/^.*(\/concerns\/\d+)$/, '$1');
  assertLoopbackOnly(mentee.own, 'mentee');
  await mentee.page.context().close();

  const events = env.sql(`SELECT event_type, payload FROM mentoring_webhook_outbox ORDER BY id`);
  const escalation = events.find((e) => e[0] === 'mentoring.escalation_raised');
  assert.ok(escalation, 'the point of contact is told through the host');
  assert.ok(!escalation[1].includes('dread'), 'the event carries no text');

  const mentor = await open('mentor', '/feedback');
  const res = await mentor.own.goto(env.tool + concernPath);
  assert.equal(res.status(), 404, 'the mentor cannot open it');
  await mentor.page.context().close();

  const staff = await open('admin', '/staff/concerns');
  assert.match(await staff.own.locator('#staff-concerns').innerText(), /The personality fit/);
  assert.ok(!(await staff.own.content()).includes('dread'), 'the queue shows no text');
  await checkAccessible(staff.own, staff.own, 'staff-concerns');
  await staff.own.goto(env.tool + '/staff' + concernPath);
  assert.match(await staff.own.locator('#concern-text').innerText(), /dread our meetings/);
  await checkAccessible(staff.own, staff.own, 'staff-concern');
  await staff.own.check('input[name="action"][value="acknowledge"]');
  await staff.own.fill('textarea[name="note"]', 'Phoned the mentee.');
  await Promise.all([staff.own.waitForURL(/saved=acknowledge/), staff.own.click('#act')]);
  await staff.own.check('input[name="action"][value="resolve"]');
  await staff.own.check('input[name="outcome"][value="signposted"]');
  await Promise.all([staff.own.waitForURL(/saved=resolve/), staff.own.click('#act')]);
  assert.match(await staff.own.locator('#concern-facts').innerText(), /Signposted to other support/);
  await checkAccessible(staff.own, staff.own, 'staff-concern-closed');
  await staff.page.context().close();
});

test('the mentee answers the midpoint check-in and sees the answers back', async () => {
  const mentee = await open('trainee', '/feedback');
  await checkAccessible(mentee.own, mentee.own, 'feedback');
  const path = `/feedback/checkins/${pairingId}/midpoint`;
  await mentee.own.goto(env.tool + path);
  const [bad] = await Promise.all([
    mentee.own.waitForResponse((r) => r.request().method() === 'POST'), mentee.own.click('#save'),
  ]);
  assert.equal(bad.status(), 400);
  await checkAccessible(mentee.own, mentee.own, 'checkin-form-errors');
  await mentee.own.check('input[name="working"][value="partly"]');
  await mentee.own.check('input[name="frequency"][value="monthly"]');
  await mentee.own.check('input[name="goals_progress"][value="3"]');
  await mentee.own.check('input[name="would_continue"][value="yes"]');
  await mentee.own.fill('textarea[name="comments"]', 'Useful once we found a regular slot.');
  await Promise.all([mentee.own.waitForURL(/saved=checkin/), mentee.own.click('#save')]);
  const card = mentee.own.locator(`#checkin-${pairingId}-midpoint`);
  assert.match(await card.innerText(), /Partly/);
  assert.match(await card.innerText(), /regular slot/);
  await checkAccessible(mentee.own, mentee.own, 'feedback-answered');
  await mentee.page.context().close();
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_checkin_responses WHERE pairingid = ?', [pairingId]), [[1]]);
});

test('staff open the evaluation report and the audit log of confidential reads', async () => {
  const staff = await open('admin', '/staff/reports');
  assert.match(await staff.own.locator('#report-heading').innerText(), /August intake/);
  await checkAccessible(staff.own, staff.own, 'staff-reports');
  const csv = await staff.own.request.get(env.tool + (await staff.own.locator('#download-csv').getAttribute('href')));
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /text\/csv/);
  await staff.own.goto(env.tool + '/staff/audit?action=confidential_read');
  assert.match(await staff.own.locator('#audit-entries').innerText(), /concern viewed/);
  await checkAccessible(staff.own, staff.own, 'staff-audit');
  await staff.own.goto(env.tool + '/staff/audit?from=yesterday');
  await checkAccessible(staff.own, staff.own, 'staff-audit-error');
  await staff.page.context().close();
  assert.deepEqual(env.sql(`SELECT count(*) FROM mentoring_audit_log WHERE action = 'export'
                            AND entity_type = 'evaluation_report'`), [[1]]);
});
