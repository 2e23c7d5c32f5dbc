// The signed-in pages, launched from the LTI platform simulator's portal page
// into its iframe as a trainee, a mentor and a scheme administrator: every
// page passes axe-core inside the iframe and on its own, a keyboard-only
// trainee journey works, and the refusals (no session, missing role, altered
// CSRF token, a form sent twice) show the right page and change nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newWatchedPage } from './support.js';
import { USERS, assertLoopbackOnly, checkAccessible, launchInPortal, linkCourseToScheme, startToolAndPortal, tabTo } from './lti_support.js';

let env;
let browser;
let schemeId;
let jobId;
const accounts = {};

const GOALS = 'Preparing for specialty recruitment and settling into my first post.';

before(async () => {
  env = await startToolAndPortal();
  browser = await launchBrowser();
  for (const [kind, user] of Object.entries(USERS)) {
    const r = await env.api('PUT', '/api/v1/accounts', { platform: env.portal, subject: user.sub, display_name: user.name, email: '' });
    assert.ok(r.status === 200 || r.status === 201, r.text);
    accounts[kind] = r.json.id;
  }
  const scheme = await env.api('POST', '/api/v1/schemes', {
    name: 'FY1 North West', type: 'near_peer', aims: 'Support FY1 doctors through their first year.', phase: 'pilot',
  });
  assert.equal(scheme.status, 201, scheme.text);
  schemeId = scheme.json.id;
  const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
  const cohort = await env.api('POST', `/api/v1/schemes/${schemeId}/cohorts`, {
    name: 'August intake', opens_on: day(-10), closes_on: day(20), starts_on: day(25), ends_on: day(360),
    matching_model: 'hybrid',
  });
  assert.equal(cohort.status, 201, cohort.text);
  for (const [kind, role] of [['trainee', 'mentee'], ['mentor', 'mentor']]) {
    const e = await env.api('POST', `/api/v1/cohorts/${cohort.json.id}/enrolments`, { accountid: accounts[kind], role });
    assert.equal(e.status, 201, e.text);
  }
  // The first launch records the course; staff then link it to the scheme.
  await linkCourseToScheme(browser, env, schemeId);
  // A matching run in progress, as a later feature will create through app::JobService.
  const now = Date.now();
  env.sql(`INSERT INTO mentoring_jobs (kind, ownerid, state, done, total, message, started_ms, updated_ms,
           finished_ms, timecreated, timemodified) VALUES ('matching_run', ?, 'running', 3, 10, 'Scoring candidate mentors',
           ?, ?, NULL, ?, ?)`, [accounts.admin, now - 30000, now, Math.floor(now / 1000), Math.floor(now / 1000)]);
  jobId = env.sql('SELECT max(id) FROM mentoring_jobs')[0][0];
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

// Visits each path inside the portal's iframe and then on its own (same
// browser session), checking status, heading, accessibility and that the
// NHS header is left to the portal.
async function walk(kind, paths) {
  const page = await newWatchedPage(browser);
  const frame = await launchInPortal(page, env, kind);
  const own = await page.context().newPage();
  own.requests = [];
  own.consoleErrors = [];
  own.on('request', (r) => own.requests.push(r.url()));
  own.on('console', (m) => { if (m.type() === 'error') own.consoleErrors.push(m.text()); });
  const seen = {};
  for (const [name, path] of paths) {
    const res = await frame.goto(env.tool + path);
    assert.equal(res.status(), 200, `${kind} ${path} in the iframe`);
    assert.equal(await frame.locator('h1').count(), 1, `${path} has one h1`);
    assert.equal(await frame.locator('.nhsuk-header').count(), 0, `${path} leaves the header to the portal`);
    await checkAccessible(frame, page, `${kind}-${name}-iframe`);
    const alone = await own.goto(env.tool + path);
    assert.equal(alone.status(), 200, `${kind} ${path} on its own`);
    await checkAccessible(own, own, `${kind}-${name}-window`);
    seen[name] = await own.locator('main').innerText();
  }
  assertLoopbackOnly(page, kind);
  assertLoopbackOnly(own, kind);
  await page.context().close();
  return seen;
}

test('a trainee sees their scheme, status and next step, and every trainee page is accessible', async () => {
  const seen = await walk('trainee', [
    ['home', '/'], ['mentee-profile', '/profile/mentee'], ['matching-choices', '/matching/choices'],
    ['relationship', '/relationship'], ['feedback', '/feedback'],
  ]);
  assert.match(seen.home, /Dr Aisha Okafor/);
  assert.match(seen.home, /FY1 North West/);
  assert.match(seen.home, /August intake: Mentee\s+Active/);
  assert.match(seen.home, /Complete your mentee profile/);
  assert.match(seen['matching-choices'], /Hybrid/);
  assert.match(seen['matching-choices'], /Not available yet/);
});

test('a mentor sees their pages, all accessible', async () => {
  const seen = await walk('mentor', [
    ['home', '/'], ['mentor-profile', '/profile/mentor'], ['relationship', '/relationship'], ['feedback', '/feedback'],
  ]);
  assert.match(seen.home, /Mentor/);
  assert.match(seen.home, /Complete your mentor profile/);
});

test('an administrator sees the staff pages with real data, all accessible', async () => {
  const seen = await walk('admin', [
    ['home', '/'], ['dashboard', '/staff'], ['scheme-settings', `/staff/schemes/${schemeId}`],
    ['participants', `/staff/schemes/${schemeId}/participants`], ['matching', '/staff/matching'],
    ['reports', '/staff/reports'], ['audit', '/staff/audit'], ['job', `/staff/jobs/${jobId}`],
  ]);
  assert.match(seen.dashboard, /governance has gaps/);
  assert.match(seen.dashboard, /August intake\s+Hybrid\s+1\s+1/);
  assert.match(seen.participants, /Dr Aisha Okafor/);
  assert.match(seen.participants, /Dr Ben Hughes/);
  assert.match(seen.matching, new RegExp(`Job ${jobId}`));
  assert.match(seen.job, /3 of 10 done/);
});

test('the pages may be framed by the registered portal and nobody else', async () => {
  const res = await fetch(env.tool + '/accessibility');
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, new RegExp(`frame-ancestors 'self' ${env.portal.replace(/\./g, '\\.')}(;|$)`));
});

// LTI client-side OIDC storage: the browser loses the tool's sign-in cookie
// (cleared as the login goes on to the portal, as a browser blocking the
// iframe's cookies would), and the portal page keeps state and nonce for the
// tool through lti.put_data / lti.get_data instead.
async function storageLaunch(portalBase, portalPage = '/') {
  const page = await newWatchedPage(browser);
  const context = page.context();
  await context.route(`${env.portal}/auth**`, async (route) => {
    await context.clearCookies();
    await route.continue();
  });
  await page.goto(portalBase + portalPage);
  await page.getByRole('link', { name: 'Launch as trainee with portal storage' }).click();
  return page;
}

test('with the sign-in cookie lost, the portal frame keeps the sign-in and the launch works', async () => {
  const sessions = env.sql('SELECT count(*) FROM mentoring_sessions')[0][0];
  const page = await storageLaunch(env.portal);
  const frame = page.frame({ name: 'tool' });
  await frame.waitForURL((u) => u.toString().startsWith(env.tool + '/?'), { timeout: 20000 });
  await frame.locator('#signed-in').waitFor();
  assert.match(await frame.locator('main').innerText(), new RegExp(USERS.trainee.name));
  const log = await page.evaluate(() => window.ltiStorageLog);
  const puts = log.filter((m) => m.subject === 'lti.put_data');
  const gets = log.filter((m) => m.subject === 'lti.get_data');
  assert.deepEqual(puts.map((m) => m.key.split('_')[0]), ['state', 'nonce']);
  assert.deepEqual(gets.map((m) => m.key), puts.map((m) => m.key));
  assert.ok(log.every((m) => m.origin === env.tool), JSON.stringify(log));
  // The launch's state cookie never came back: the storage carried it.
  assert.equal((await page.context().cookies(env.tool)).filter((c) => c.name.startsWith('lti_state_')).length, 0);
  assert.equal(env.sql('SELECT count(*) FROM mentoring_sessions')[0][0], sessions + 1);
  assertLoopbackOnly(page, 'storage-launch');
  await page.context().close();
});

test('a portal frame that lost the sign-in values gets the launch refused clearly, and nothing is signed in', async () => {
  const sessions = env.sql('SELECT count(*) FROM mentoring_sessions')[0][0];
  const page = await storageLaunch(env.portal, '/?forget=1');
  const frame = page.frame({ name: 'tool' });
  await frame.waitForURL(env.tool + '/lti/launch', { timeout: 20000 });
  await frame.locator('#reason').waitFor({ timeout: 20000 });
  assert.match(await frame.locator('#reason').innerText(), /launch_storage_unavailable/);
  assert.match(await frame.locator('h1').innerText(), /could not sign you in/);
  assert.match(await frame.locator('main').innerText(), /could not confirm that this sign-in started in this browser/);
  // The tool asked the portal page, from its own origin only, and got nothing.
  const log = await page.evaluate(() => window.ltiStorageLog);
  assert.ok(log.some((m) => m.subject === 'lti.get_data'), JSON.stringify(log));
  assert.ok(log.every((m) => m.origin === env.tool), JSON.stringify(log));
  assert.equal(env.sql('SELECT count(*) FROM mentoring_sessions')[0][0], sessions);
  await checkAccessible(frame, page, 'storage-launch-refused-iframe');
  await page.context().close();
});

test('a keyboard user completes the mentee profile from the home page and gets back home', async () => {
  const page = await newWatchedPage(browser);
  await launchInPortal(page, env, 'trainee');
  const own = await page.context().newPage();
  await own.goto(env.tool + '/');
  await tabTo(own, '#next-step-link');
  await Promise.all([own.waitForURL(/\/profile\/mentee$/), own.keyboard.press('Enter')]);
  await tabTo(own, '#field-career_stage');
  await own.keyboard.type('ST3');
  assert.equal(await own.locator('#field-career_stage').inputValue(), 'st3');
  await tabTo(own, '#field-specialty');
  await own.keyboard.type('Paediatrics');
  await tabTo(own, '#field-goals');
  await own.keyboard.type(GOALS);
  await tabTo(own, '#field-transition_points-3');
  await own.keyboard.press('Space');
  await tabTo(own, '#field-topics');
  await own.keyboard.type('exams, wellbeing');
  await tabTo(own, '#save');
  await Promise.all([own.waitForURL(/\/\?saved=mentee_profile$/), own.keyboard.press('Enter')]);
  assert.match(await own.locator('#saved-message').innerText(), /mentee profile has been saved/);
  await checkAccessible(own, own, 'trainee-keyboard-saved-home');
  const rows = env.sql('SELECT career_stage, specialty, goals, transition_points, topics FROM mentoring_mentee_profiles WHERE accountid = ?', [accounts.trainee]);
  assert.deepEqual(rows, [['st3', 'Paediatrics', GOALS, 'choosing_specialty', 'exams\nwellbeing']]);
  await page.context().close();
});

test('a field error is shown next to its field and in the error summary', async () => {
  const page = await newWatchedPage(browser);
  await launchInPortal(page, env, 'mentor');
  const own = await page.context().newPage();
  await own.goto(env.tool + '/profile/mentor');
  await own.selectOption('#field-career_stage', 'consultant');
  await own.fill('#field-capacity', '40');
  await own.fill('#field-bio', '');
  const [res] = await Promise.all([own.waitForResponse((r) => r.request().method() === 'POST'), own.click('#save')]);
  assert.equal(res.status(), 400);
  assert.match(await own.title(), /^Error: /);
  assert.match(await own.locator('#field-capacity-error').innerText(), /whole number from 1 to 10/);
  assert.match(await own.locator('.nhsuk-error-summary').innerText(), /whole number from 1 to 10/);
  assert.equal(await own.locator('#field-capacity').getAttribute('aria-describedby'), 'field-capacity-hint field-capacity-error');
  await checkAccessible(own, own, 'mentor-profile-field-errors');
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_mentor_profiles'), [[0]]);
  await page.context().close();
});

test('without a session every signed-in page answers 401 and says to launch again', async () => {
  const page = await newWatchedPage(browser);
  for (const path of ['/', '/profile/mentee', '/staff', `/staff/jobs/${jobId}`]) {
    const res = await page.goto(env.tool + path);
    assert.equal(res.status(), 401, path);
    assert.match(await page.locator('h1').innerText(), /not signed in/);
    assert.match(await page.locator('main').innerText(), /open Mentoring again/);
  }
  await checkAccessible(page, page, 'refusal-signed-out');
  const api = await page.request.get(`${env.tool}/api/v1/jobs/${jobId}`);
  assert.equal(api.status(), 401);
  await page.context().close();
});

test('a trainee who opens a staff page gets a 403 page naming what is missing', async () => {
  const page = await newWatchedPage(browser);
  const frame = await launchInPortal(page, env, 'trainee');
  const res = await frame.goto(env.tool + '/staff');
  assert.equal(res.status(), 403);
  assert.match(await frame.locator('#missing-capability').innerText(), /manage mentoring schemes/);
  await checkAccessible(frame, page, 'refusal-forbidden-iframe');
  // Someone else's job is not even admitted to exist.
  const job = await page.request.get(`${env.tool}/api/v1/jobs/${jobId}`);
  assert.equal(job.status(), 404);
  await page.context().close();
});

test('a form with an altered CSRF token is refused with 403 and saves nothing', async () => {
  const page = await newWatchedPage(browser);
  await launchInPortal(page, env, 'trainee');
  const own = await page.context().newPage();
  await own.goto(env.tool + '/profile/mentee');
  const before = env.sql('SELECT goals, timemodified FROM mentoring_mentee_profiles WHERE accountid = ?', [accounts.trainee]);
  await own.fill('#field-goals', 'Something else entirely, sent with a forged token.');
  await own.evaluate(() => { document.querySelector('input[name=csrf_token]').value = 'A'.repeat(43); });
  const [res] = await Promise.all([own.waitForResponse((r) => r.request().method() === 'POST'), own.click('#save')]);
  assert.equal(res.status(), 403);
  assert.match(await own.locator('h1').innerText(), /form expired/);
  await checkAccessible(own, own, 'refusal-form-expired');
  assert.deepEqual(env.sql('SELECT goals, timemodified FROM mentoring_mentee_profiles WHERE accountid = ?', [accounts.trainee]), before);
  await page.context().close();
});

test('a form sent twice takes effect once and the second time says so', async () => {
  const page = await newWatchedPage(browser);
  await launchInPortal(page, env, 'admin');
  const own = await page.context().newPage();
  await own.goto(`${env.tool}/staff/schemes/${schemeId}`);
  const token = await own.locator('input[name=form_token]').inputValue();
  await own.fill('#field-name', 'FY1 North West (renamed once)');
  await Promise.all([own.waitForURL(/\?saved=1$/), own.click('#save')]);
  // The same form again (say, after Back), carrying the same one-time token.
  await own.goto(`${env.tool}/staff/schemes/${schemeId}`);
  await own.evaluate((t) => { document.querySelector('input[name=form_token]').value = t; }, token);
  await own.fill('#field-name', 'FY1 North West (renamed twice)');
  const [res] = await Promise.all([own.waitForResponse((r) => r.request().method() === 'POST'), own.click('#save')]);
  assert.equal(res.status(), 409);
  assert.match(await own.locator('h1').innerText(), /already sent/);
  await checkAccessible(own, own, 'refusal-already-sent');
  assert.deepEqual(env.sql('SELECT name FROM mentoring_schemes WHERE id = ?', [schemeId]), [['FY1 North West (renamed once)']]);
  await page.context().close();
});

test('the progress page follows the job without reloading, and works without JavaScript', async () => {
  const page = await newWatchedPage(browser);
  await launchInPortal(page, env, 'admin');
  const own = await page.context().newPage();
  await own.goto(`${env.tool}/staff/jobs/${jobId}`);
  assert.equal(await own.locator('progress').getAttribute('value'), '3');
  assert.ok(await own.locator('#refresh').isVisible(), 'a refresh link for people without JavaScript');
  env.sql('UPDATE mentoring_jobs SET done = 7, updated_ms = ? WHERE id = ?', [Date.now(), jobId]);
  await own.locator('#job-status', { hasText: '7 of 10 done' }).waitFor({ timeout: 15000 });
  assert.equal(await own.evaluate(() => document.querySelector('progress').value), 7);
  env.sql("UPDATE mentoring_jobs SET state = 'succeeded', done = 10, finished_ms = ? WHERE id = ?", [Date.now(), jobId]);
  await own.locator('#job-state', { hasText: 'Finished' }).waitFor({ timeout: 15000 });
  assert.equal(await own.locator('#refresh').count(), 0);
  const json = await own.request.get(`${env.tool}/api/v1/jobs/${jobId}`);
  assert.equal(json.status(), 200);
  const body = await json.json();
  assert.equal(body.state, 'succeeded');
  assert.equal(body.done, true);
  assert.equal(body.value, 10);
  await page.context().close();
});
