// The matching pages end to end, launched from the LTI platform simulator:
// a scheme administrator starts a run on /staff/matching, watches it reach
// 100% while it works in the background and reviews its proposals; a mentee
// asks a mentor from the directory on /matching/choices and the mentor
// accepts on /matching/requests. Every page passes axe-core.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newWatchedPage } from './support.js';
import { USERS, assertLoopbackOnly, checkAccessible, launchInPortal, linkCourseToScheme, openOwnWindow, startToolAndPortal } from './lti_support.js';

let env;
let browser;
let cohortId;
const accounts = {};
const enrolments = {};

before(async () => {
  env = await startToolAndPortal();
  browser = await launchBrowser();
  const people = { ...USERS, second: { sub: 'trainee-0002', name: 'Dr Chen Li' } };
  for (const [kind, user] of Object.entries(people)) {
    const r = await env.api('PUT', '/api/v1/accounts', { platform: env.portal, subject: user.sub, display_name: user.name, email: '' });
    assert.ok(r.status === 200 || r.status === 201, r.text);
    accounts[kind] = r.json.id;
  }
  const scheme = await env.api('POST', '/api/v1/schemes', {
    name: 'FY1 North West', type: 'near_peer', aims: 'Support FY1 doctors through their first year.', phase: 'pilot',
  });
  assert.equal(scheme.status, 201, scheme.text);
  const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
  const cohort = await env.api('POST', `/api/v1/schemes/${scheme.json.id}/cohorts`, {
    name: 'August intake', opens_on: day(-10), closes_on: day(20), starts_on: day(25), ends_on: day(360),
    matching_model: 'mentee_choice',
  });
  assert.equal(cohort.status, 201, cohort.text);
  cohortId = cohort.json.id;
  for (const kind of ['trainee', 'second']) {
    const p = await env.api('PUT', `/api/v1/accounts/${accounts[kind]}/mentee-profile`, {
      career_stage: 'fy1', goals: 'Prepare for specialty recruitment.', region: 'North West',
      topics: kind === 'trainee' ? ['teaching', 'recruitment'] : ['research'],
    });
    assert.equal(p.status, 200, p.text);
  }
  const m = await env.api('PUT', `/api/v1/accounts/${accounts.mentor}/mentor-profile`, {
    career_stage: 'consultant', bio: 'Consultant paediatrician who enjoys teaching.', specialty: 'Paediatrics',
    region: 'North West', expertise_areas: ['teaching', 'research'], capacity: 2,
  });
  assert.equal(m.status, 200, m.text);
  for (const [kind, role] of [['trainee', 'mentee'], ['second', 'mentee'], ['mentor', 'mentor']]) {
    const e = await env.api('POST', `/api/v1/cohorts/${cohortId}/enrolments`, { accountid: accounts[kind], role });
    assert.equal(e.status, 201, e.text);
    enrolments[kind] = e.json.id;
  }
  await linkCourseToScheme(browser, env, scheme.json.id);
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

// Launches as `kind` and opens `path` in a window of the same session.
async function open(kind, path) {
  const page = await newWatchedPage(browser);
  await launchInPortal(page, env, kind);
  const own = await openOwnWindow(page, env, path);
  return { page, own };
}

test('an administrator starts a run from the page, sees it reach 100% and reviews its proposals', async () => {
  const { page, own } = await open('admin', '/staff/matching');
  assert.match(await own.locator('#cohort-name').innerText(), /FY1 North West: August intake/);
  await checkAccessible(own, own, 'staff-matching-start');
  await own.check('#run-type-assigned_optimal');
  await Promise.all([own.waitForURL(/done=started/), own.click('#start-run')]);
  // The run works in the background; the page's script follows the job and
  // reloads the page when it is done.
  await own.locator('#proposals').waitFor({ timeout: 60000 });
  const bar = own.locator('#run-progress');
  assert.equal(await bar.getAttribute('value'), await bar.getAttribute('max'), 'the progress bar is full');
  assert.match(await own.locator('#run-progress-status').innerText(), /Finished/);
  assert.match(await own.locator('#run-state').innerText(), /Ready for review/);
  const proposals = await own.locator('#proposals').innerText();
  assert.match(proposals, /Dr Aisha Okafor/);
  assert.match(proposals, /Dr Chen Li/);
  assert.match(proposals, /Dr Ben Hughes/);
  assert.match(proposals, /Shared topics and goals \(high\): \d+ points\./);
  assert.match(await own.locator('#run-report').innerText(), /2 of 2 \(100% of the most possible\)/);
  await checkAccessible(own, own, 'staff-matching-review');
  const jobs = env.sql("SELECT state, done, total FROM mentoring_jobs WHERE kind = 'matching_run'");
  assert.deepEqual(jobs, [['succeeded', 3, 3]]);
  const runs = env.sql('SELECT state, claimed_by != \'\' FROM mentoring_matching_runs');
  assert.deepEqual(runs, [['ready', 1]]);
  assertLoopbackOnly(own, 'staff matching');
  await page.context().close();
});

test('a mentee asks a mentor from the directory and the mentor accepts', async () => {
  const mentee = await open('trainee', '/matching/choices');
  assert.match(await mentee.own.locator('#choices-status').innerText(), /Mentee choice/);
  assert.match(await mentee.own.locator('#mentors').innerText(), /Dr Ben Hughes/);
  await checkAccessible(mentee.own, mentee.own, 'matching-choices-directory');
  await mentee.own.fill(`#message-${enrolments.mentor}`, 'I would value help with teaching.');
  await Promise.all([mentee.own.waitForURL(/done=requested/), mentee.own.click(`#request-${enrolments.mentor}`)]);
  assert.match(await mentee.own.locator('#my-requests').innerText(), /Waiting for an answer/);
  await checkAccessible(mentee.own, mentee.own, 'matching-choices-requested');
  await mentee.page.context().close();

  const mentor = await open('mentor', '/matching/requests');
  const list = await mentor.own.locator('#request-list').innerText();
  assert.match(list, /Dr Aisha Okafor/);
  assert.match(list, /I would value help with teaching\./);
  await checkAccessible(mentor.own, mentor.own, 'matching-requests');
  const requestId = env.sql("SELECT id FROM mentoring_mentee_requests WHERE state = 'pending'")[0][0];
  await Promise.all([mentor.own.waitForURL(/done=accepted/), mentor.own.click(`#accept-${requestId}`)]);
  assert.match(await mentor.own.locator('#my-mentees').innerText(), /Dr Aisha Okafor/);
  assert.match(await mentor.own.locator('#places').innerText(), /1 of 2 taken/);
  await checkAccessible(mentor.own, mentor.own, 'matching-requests-accepted');
  assertLoopbackOnly(mentor.own, 'mentor requests');
  await mentor.page.context().close();
  assert.deepEqual(env.sql("SELECT menteeid, mentorid, source FROM mentoring_pairings WHERE state = 'active'"),
    [[enrolments.trainee, enrolments.mentor, 'choice']]);

  // A mentor is refused the mentee's page.
  const refused = await newWatchedPage(browser);
  const frame = await launchInPortal(refused, env, 'mentor');
  const res = await frame.goto(env.tool + '/matching/choices');
  assert.equal(res.status(), 403);
  await refused.context().close();
});
