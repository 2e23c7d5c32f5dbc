// The webhook delivery log (/staff/webhooks) as a scheme administrator sees
// it, launched from the platform simulator's portal: outbox rows with their
// state, attempts and last error, dead inbox deliveries with a replay button;
// zero axe-core violations in the portal's iframe and on its own; replaying
// queues the delivery once, and a trainee is refused the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newWatchedPage } from './support.js';
import { assertLoopbackOnly, checkAccessible, launchInPortal, startToolAndPortal } from './lti_support.js';

let env;
let browser;
let deadId;

before(async () => {
  env = await startToolAndPortal();
  browser = await launchBrowser();
  const now = Math.floor(Date.now() / 1000);
  // The person the dead delivery is about; the account exists now, so the
  // replayed delivery can be applied.
  const person = await env.api('PUT', '/api/v1/accounts',
    { platform: env.portal, subject: 'dr-later', display_name: 'Dr Later', email: '' });
  assert.ok(person.status === 200 || person.status === 201, person.text);
  // What the worker leaves behind: one event delivered, one waiting for its
  // next attempt after a 503, one given up; and a host delivery that went dead.
  const outbox = [
    ['mentoring.pairing_confirmed', 'delivered', 1, 0, 204, '', now - 50],
    ['mentoring.meeting_due', 'pending', 2, now + 600, 503, 'the host answered 503', 0],
    ['mentoring.certificate_issued', 'dead', 9, 0, 0, 'connection refused', 0],
  ];
  for (const [type, state, attempts, next, status, error, delivered] of outbox) {
    env.sql(`INSERT INTO mentoring_webhook_outbox (event_type, payload, state, attempts, next_attempt_at, deadline_at,
             last_status, last_error, delivered_at, timecreated, timemodified) VALUES (?, '{"pairing_id":1}', ?, ?, ?,
             ?, ?, ?, ?, ?, ?)`, [type, state, attempts, next, now + 86400, status, error, delivered, now - 60, now]);
  }
  env.sql(`INSERT INTO mentoring_webhook_inbox (msgid, event_type, occurred_at_ms, body, state, attempts,
           next_attempt_at, last_error, timecreated, timemodified) VALUES ('msg_browser_dead', 'account.updated', ?,
           ?, 'dead', 8, ?, 'account_not_found: no such person', ?, ?)`,
  [now * 1000, JSON.stringify({
    type: 'account.updated', timestamp: new Date(now * 1000).toISOString(),
    data: { platform: env.portal, subject: 'dr-later', specialty: 'Paediatrics' },
  }), now, now - 120, now]);
  deadId = env.sql("SELECT id FROM mentoring_webhook_inbox WHERE msgid = 'msg_browser_dead'")[0][0];
});

after(async () => {
  await browser?.close();
  await env?.stop();
});

test('an administrator sees the delivery log, accessible in the iframe and on its own', async () => {
  const page = await newWatchedPage(browser);
  const frame = await launchInPortal(page, env, 'admin');
  const res = await frame.goto(env.tool + '/staff/webhooks');
  assert.equal(res.status(), 200);
  await checkAccessible(frame, page, 'admin-webhooks-iframe');
  const outbox = await frame.locator('#outbox').innerText();
  assert.match(outbox, /mentoring\.meeting_due/);
  assert.match(outbox, /HTTP 503: the host answered 503/);
  assert.match(outbox, /Given up/);
  assert.match(outbox, /Delivered/);
  assert.match(await frame.locator(`#dead-${deadId}`).innerText(), /account_not_found: no such person/);

  const own = await page.context().newPage();
  own.requests = [];
  own.consoleErrors = [];
  own.on('request', (r) => own.requests.push(r.url()));
  own.on('console', (m) => { if (m.type() === 'error') own.consoleErrors.push(m.text()); });
  assert.equal((await own.goto(env.tool + '/staff/webhooks?outbox=dead')).status(), 200);
  await checkAccessible(own, own, 'admin-webhooks-dead-window');
  assert.doesNotMatch(await own.locator('#outbox').innerText(), /meeting_due/);
  assertLoopbackOnly(page, 'admin-webhooks');
  assertLoopbackOnly(own, 'admin-webhooks-window');
  await page.context().close();
});

test('replaying a dead delivery queues it once', async () => {
  const page = await newWatchedPage(browser);
  await launchInPortal(page, env, 'admin');
  const own = await page.context().newPage();
  await own.goto(env.tool + '/staff/webhooks');
  await Promise.all([own.waitForURL(/replayed=/), own.locator(`#replay-${deadId}`).click()]);
  assert.match(await own.locator('#notice').innerText(), new RegExp(`Delivery ${deadId} is queued again`));
  await checkAccessible(own, own, 'admin-webhooks-replayed');
  const [[state, attempts]] = env.sql('SELECT state, attempts FROM mentoring_webhook_inbox WHERE id = ?', [deadId]);
  // Queued again, and perhaps already applied by the worker.
  assert.ok(['pending', 'done'].includes(state), `state after the replay: ${state}`);
  assert.ok(attempts <= 1, `attempts reset, then at most one more: ${attempts}`);
  const audit = env.sql("SELECT count(*) FROM mentoring_audit_log WHERE entity_type = 'webhook_inbox' AND entityid = ?",
    [deadId]);
  assert.equal(audit[0][0], 1);

  await own.goto(env.tool + '/staff/webhooks');
  assert.equal(await own.locator(`#replay-${deadId}`).count(), 0, 'no longer listed as dead');
  await page.context().close();
});

test('a trainee is refused the delivery log', async () => {
  const page = await newWatchedPage(browser);
  const frame = await launchInPortal(page, env, 'trainee');
  const res = await frame.goto(env.tool + '/staff/webhooks');
  assert.equal(res.status(), 403);
  assert.equal(await frame.locator('#outbox').count(), 0);
  await checkAccessible(frame, page, 'trainee-webhooks-refused');
  await page.context().close();
});
