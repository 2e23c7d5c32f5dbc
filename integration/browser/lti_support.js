// The signed-in pages' test bed: mentoringd on a known loopback port and the
// LTI platform simulator (integration/lti/platform_simulator.py, with Debian's
// python3-jwt on the platform's side) registered with it, plus helpers to
// launch from the simulator's portal page and to check a page inside its
// iframe as well as on its own.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { artifacts, mentoringd, newWatchedPage } from './support.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const simulatorPath = join(here, '..', 'lti', 'platform_simulator.py');
const python = '/usr/bin/python3';

export const USERS = {
  trainee: { sub: 'trainee-0001', name: 'Dr Aisha Okafor' },
  mentor: { sub: 'mentor-0001', name: 'Dr Ben Hughes' },
  admin: { sub: 'staff-0001', name: 'Priya Patel' },
};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

function waitForLine(proc, stream, pattern, what) {
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${log}`)), 30000);
    proc[stream].on('data', (chunk) => {
      log += chunk;
      const m = pattern.exec(log);
      if (m) { clearTimeout(timer); resolve(m); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited ${code}:\n${log}`)); });
  });
}

// Starts mentoringd and the portal simulator, registers the portal, and
// resolves to { tool, portal, token, db, api(method, path, body), sql(statement), stop() }.
export async function startToolAndPortal() {
  const dir = mkdtempSync(join(tmpdir(), 'mentoring-pages-'));
  const db = join(dir, 'm.db');
  const token = 'browser-test-token-' + randomBytes(16).toString('hex');
  const toolPort = await freePort();
  const tool = `http://127.0.0.1:${toolPort}`;
  const server = spawn(mentoringd, ['serve', `--database.url=sqlite3:${db}`, `--http.port=${toolPort}`,
    `--http.public_url=${tool}`, `--api.service_token=${token}`, '--log.access=false', '--http.threads=4',
    '--web.portal_cache_seconds=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.setEncoding('utf8');
  await waitForLine(server, 'stderr', /serving on port (\d+)/, 'mentoringd');

  const portalPort = await freePort();
  const sim = spawn(python, [simulatorPath, '--port', String(portalPort), '--tool', tool],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  sim.stdout.setEncoding('utf8');
  await waitForLine(sim, 'stdout', /portal simulator on (\S+)/, 'the platform simulator');
  const portal = `http://127.0.0.1:${portalPort}`;

  const api = async (method, path, body) => {
    const res = await fetch(tool + path, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, text };
  };
  // Reads or changes the database directly (an independent view of what the
  // pages saved), with Debian's Python and its sqlite3 module.
  const sql = (statement, params = []) => {
    const out = execFileSync(python, ['-c', `
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()
conn.commit()
print(json.dumps(rows))`, db, statement, JSON.stringify(params)], { encoding: 'utf8' });
    return JSON.parse(out);
  };

  const reg = await api('PUT', '/api/v1/lti/platforms', {
    issuer: portal, client_id: 'mentoring-client', auth_login_url: `${portal}/auth`,
    auth_token_url: `${portal}/token`, jwks_url: `${portal}/jwks.json`, deployment_ids: ['deployment-1'],
  });
  assert.equal(reg.status, 200, reg.text);

  const stop = async () => {
    sim.kill('SIGTERM');
    await new Promise((resolve) => { server.on('exit', resolve); server.kill('SIGTERM'); });
  };
  return { tool, portal, token, db, api, sql, stop };
}

// Opens the portal page, launches as `kind` into its iframe and resolves to
// the tool's frame once the home page is there.
export async function launchInPortal(page, env, kind) {
  await page.goto(env.portal + '/');
  const label = { trainee: 'Launch as trainee (mentee)', mentor: 'Launch as mentor', admin: 'Launch as scheme administrator' }[kind];
  await page.getByRole('link', { name: label }).click();
  const frame = page.frame({ name: 'tool' });
  assert.ok(frame, 'the tool iframe');
  await frame.waitForURL((u) => u.toString().startsWith(env.tool + '/?') || u.toString() === env.tool + '/', { timeout: 20000 });
  await frame.locator('#signed-in').waitFor();
  return frame;
}

// Launches as the scheme administrator once, so the portal's course is known
// to the tool, and links that course to `schemeid`.
export async function linkCourseToScheme(browser, env, schemeid) {
  const page = await newWatchedPage(browser);
  await launchInPortal(page, env, 'admin');
  await page.context().close();
  const contexts = await env.api('GET', '/api/v1/lti/contexts');
  const course = contexts.json.items.find((c) => c.context_id === 'course-fy1');
  assert.ok(course, 'the portal course is known after a launch');
  const link = await env.api('PUT', `/api/v1/lti/contexts/${course.id}/scheme`, { schemeid });
  assert.equal(link.status, 200, link.text);
}

// Opens `path` in a new window of `page`'s session (outside the portal's
// frame), watching its requests and console errors; resolves to the window.
export async function openOwnWindow(page, env, path) {
  const own = await page.context().newPage();
  own.requests = [];
  own.consoleErrors = [];
  own.on('request', (r) => own.requests.push(r.url()));
  own.on('console', (m) => { if (m.type() === 'error') own.consoleErrors.push(m.text()); });
  const res = await own.goto(env.tool + path);
  assert.equal(res.status(), 200, path);
  return own;
}

// axe-core (WCAG 2.0/2.1/2.2 A and AA) on a page or a frame, and a
// screenshot of the page it belongs to.
export async function checkAccessible(target, page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  await target.evaluate(axeSource);
  const results = await target.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
  assert.deepEqual(summary, [], `axe-core violations on ${name}`);
}

// Every request the page made went to loopback.
export function assertLoopbackOnly(page, name) {
  const outside = page.requests.filter((u) => !/^(https?:\/\/(127\.0\.0\.1|\[::1\])(:\d+)?\/|data:|about:)/.test(u));
  assert.deepEqual(outside, [], `requests to outside hosts from ${name}`);
  const csp = page.consoleErrors.filter((e) => /Content Security Policy|Refused to/.test(e));
  assert.deepEqual(csp, [], `CSP refusals on ${name}`);
}

// Presses Tab until the focused element matches `selector` (at most 80 times).
export async function tabTo(page, selector) {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector);
    if (hit) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
