// Shared pieces of the browser tests: a real mentoringd on a free loopback
// port, Debian's chromium through playwright-core, axe-core for WCAG 2.2 AA,
// screenshots saved as test artefacts, and a guard that no page loads
// anything from outside the plugin.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const artifacts = process.env.MENTORING_ARTIFACTS || join(here, '..', 'artifacts', 'screenshots');
mkdirSync(artifacts, { recursive: true });

export const mentoringd = process.env.MENTORINGD || join(here, '..', '..', 'build', 'bin', 'mentoringd');

// Starts mentoringd on a fresh SQLite file; resolves to { url, stop() }.
export async function startServer(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'mentoring-browser-'));
  const proc = spawn(mentoringd, ['serve', `--database.url=sqlite3:${dir}/m.db`, '--http.port=0',
    '--log.access=false', ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mentoringd did not start:\n' + log)), 30000);
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /serving on port (\d+)/.exec(log);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => reject(new Error(`mentoringd exited ${code}:\n${log}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => log,
    stop: () => new Promise((resolve) => { proc.on('exit', resolve); proc.kill('SIGTERM'); }),
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page that records every request and every CSP complaint.
export async function newWatchedPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.requests = [];
  page.consoleErrors = [];
  page.on('request', (r) => page.requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') page.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
  return page;
}

// Runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page, saves a screenshot
// named `name`, and asserts no violations, no CSP refusals and no request
// to any host but loopback.
export async function checkPage(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  // Evaluated through the DevTools protocol, so the page's CSP (which
  // rightly forbids injected scripts) does not block the checker itself.
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  }));
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
  assert.deepEqual(summary, [], `axe-core violations on ${name}`);
  const csp = page.consoleErrors.filter((e) => /Content Security Policy|Refused to/.test(e));
  assert.deepEqual(csp, [], `CSP refusals on ${name}`);
  const outside = page.requests.filter((u) => !/^(https?:\/\/(127\.0\.0\.1|\[::1\])(:\d+)?\/|data:|about:)/.test(u));
  assert.deepEqual(outside, [], `requests to outside hosts from ${name}`);
}
