// Joining the mentoring scheme from the portal, as a trainee: home links to
// "Join the mentoring scheme", the page says why they can join, the two
// consents are asked separately, the optional questions offer "Prefer not to
// say" and are stored encrypted, the confirmation shows the cohort, and the
// trainee can leave again. A scheme administrator previews a CSV import as a
// job and applies it. Every page passes axe-core inside the portal's iframe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, newWatchedPage } from './support.js';
import { USERS, assertLoopbackOnly, checkAccessible, launchInPortal, linkCourseToScheme, startToolAndPortal } from './lti_support.js';

let env;
let browser;
let schemeId;
let cohortId;
const accounts = {};

before(async () => {
  // Demographic answers are stored only when a key is configured (read from
  // the environment by mentoringd).
  process.env.MENTORING_PRIVACY_DEMOGRAPHICS_KEYS = `1:${randomBytes(32).toString('base64')}`;
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
  cohortId = cohort.json.id;
  await linkCourseToScheme(browser, env, schemeId);
});

after(async () => {
  await browser?.close();
  await env?.stop();
  delete process.env.MENTORING_PRIVACY_DEMOGRAPHICS_KEYS;
});

test('a trainee joins from home with both consents, answers the optional questions and can leave', async () => {
  const page = await newWatchedPage(browser);
  const frame = await launchInPortal(page, env, 'trainee');
  await frame.locator('#join-scheme').click();
  await frame.waitForURL(/\/enrol$/);
  assert.match(await frame.locator('#eligibility').innerText(), /You can join/);
  assert.match(await frame.locator('#eligibility-reason').innerText(), /open to every trainee/);
  await checkAccessible(frame, page, 'enrol-join-iframe');

  // Without the consent to take part nothing happens, and the error says so.
  await frame.locator('#join').click();
  await frame.locator('.nhsuk-error-summary').waitFor();
  assert.match(await frame.locator('.nhsuk-error-summary').innerText(), /Confirm that you agree to take part/);
  await checkAccessible(frame, page, 'enrol-join-error-iframe');
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_enrolments'), [[0]]);

  await frame.getByLabel('I agree to take part and to the scheme using my details to run it').check();
  await frame.getByLabel('I agree to my data being used to evaluate the scheme').check();
  await Promise.all([frame.waitForURL(/\/enrol\/about-you$/), frame.locator('#join').click()]);
  assert.deepEqual(env.sql('SELECT role, status FROM mentoring_enrolments WHERE accountid = ?', [accounts.trainee]),
    [['mentee', 'active']]);
  assert.deepEqual(env.sql('SELECT given FROM mentoring_evaluation_consents WHERE accountid = ?', [accounts.trainee]),
    [[1]]);

  assert.ok(await frame.getByText('Prefer not to say').count() >= 9);
  await checkAccessible(frame, page, 'enrol-about-you-iframe');
  await frame.locator('input[name="age_band"][value="25_to_29"]').check();
  await frame.locator('input[name="ethnicity"][value="prefer_not_to_say"]').check();
  await Promise.all([frame.waitForURL(/\/enrol\/done$/), frame.locator('#save').click()]);
  const [[cipher]] = env.sql('SELECT ciphertext FROM mentoring_demographics WHERE accountid = ?', [accounts.trainee]);
  assert.ok(cipher.length > 0);
  assert.doesNotMatch(String(cipher), /25_to_29|ethnicity/);

  assert.match(await frame.locator('#enrol-confirmation').innerText(), /August intake/);
  assert.match(await frame.locator('#evaluation-answer').innerText(), /You agreed/);
  await checkAccessible(frame, page, 'enrol-done-iframe');

  await frame.goto(env.tool + '/enrol/withdraw');
  await checkAccessible(frame, page, 'enrol-withdraw-iframe');
  await frame.getByLabel('Remove my answers to the questions about me').check();
  await Promise.all([frame.waitForURL(/\/\?saved=withdrawn$/), frame.locator('#withdraw').click()]);
  assert.match(await frame.locator('#saved-message').innerText(), /You have left the mentoring scheme/);
  assert.deepEqual(env.sql('SELECT status FROM mentoring_enrolments WHERE accountid = ?', [accounts.trainee]),
    [['withdrawn']]);
  assert.deepEqual(env.sql('SELECT count(*) FROM mentoring_demographics WHERE accountid = ?', [accounts.trainee]), [[0]]);
  assertLoopbackOnly(page, 'enrolment');
  await page.context().close();
});

test('an administrator previews a CSV import as a job, sees row errors, then imports a clean file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mentoring-import-'));
  const header = 'platform,subject,email,gmc_number,display_name,cohortid';
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, `${header}\r\n${env.portal},imp-1,,12345,Dr Short,${cohortId}\r\n`);
  const good = join(dir, 'good.csv');
  writeFileSync(good, `${header}\r\n${env.portal},imp-1,,7100001,Dr Imported One,${cohortId}\r\n`
    + `${env.portal},imp-2,,,Dr Imported Two,${cohortId}\r\n`);

  const page = await newWatchedPage(browser);
  const frame = await launchInPortal(page, env, 'admin');
  await frame.goto(env.tool + `/staff/schemes/${schemeId}/import`);
  await checkAccessible(frame, page, 'import-upload-iframe');

  await frame.locator('input[name="kind"][value="mentees"]').check();
  await frame.locator('#field-file').setInputFiles(bad);
  await frame.locator('#preview').click();
  await frame.locator('#import-summary').waitFor({ timeout: 20000 });
  assert.match(await frame.locator('#import-errors').innerText(), /a GMC number is 7 digits/);
  assert.equal(await frame.locator('#apply').count(), 0);
  await checkAccessible(frame, page, 'import-preview-errors-iframe');

  await frame.goto(env.tool + `/staff/schemes/${schemeId}/import`);
  await frame.locator('input[name="kind"][value="mentees"]').check();
  await frame.locator('#field-file').setInputFiles(good);
  await frame.locator('#preview').click();
  await frame.locator('#apply').waitFor({ timeout: 20000 });
  assert.equal(await frame.locator('#rows-created').innerText(), '2');
  await checkAccessible(frame, page, 'import-preview-iframe');
  const imported = `SELECT count(*) FROM mentoring_enrolments e JOIN mentoring_accounts a ON a.id = e.accountid
    WHERE e.cohortid = ? AND a.subject LIKE 'imp-%'`;
  assert.deepEqual(env.sql(imported, [cohortId]), [[0]]);

  await frame.locator('#apply').click();
  await frame.locator('#import-applied').waitFor({ timeout: 20000 });
  await checkAccessible(frame, page, 'import-applied-iframe');
  assert.deepEqual(env.sql(imported, [cohortId]), [[2]]);
  assertLoopbackOnly(page, 'import');
  await page.context().close();
});

test('the path to mentoring and the CPD page are accessible', async () => {
  const trainee = await newWatchedPage(browser);
  const frame = await launchInPortal(trainee, env, 'trainee');
  await frame.locator('#become-mentor').click();
  await frame.waitForURL(/\/mentor\/become$/);
  assert.match(await frame.locator('#mentor-eligibility').innerText(), /You could mentor/);
  await checkAccessible(frame, trainee, 'mentor-become-trainee-iframe');
  await trainee.context().close();

  const r = await env.api('POST', `/api/v1/accounts/${accounts.mentor}/cpd`,
    { date: new Date().toISOString().slice(0, 10), hours: 1.5, activity: 'Mentoring meeting' });
  assert.equal(r.status, 201, r.text);
  const mentor = await newWatchedPage(browser);
  const mframe = await launchInPortal(mentor, env, 'mentor');
  await mframe.locator('#mentor-cpd').click();
  await mframe.waitForURL(/\/profile\/mentor\/cpd$/);
  assert.match(await mframe.locator('#cpd-entries').innerText(), /Mentoring meeting/);
  await checkAccessible(mframe, mentor, 'mentor-cpd-iframe');
  await mframe.goto(env.tool + '/mentor/become');
  await checkAccessible(mframe, mentor, 'mentor-become-mentor-iframe');
  assertLoopbackOnly(mentor, 'mentor path');
  await mentor.context().close();
});
