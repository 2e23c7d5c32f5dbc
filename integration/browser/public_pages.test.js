// Pages anyone may see: the accessibility statement and the error pages,
// on their own, in a desktop and a phone-sized window.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPage, launchBrowser, newWatchedPage, startServer } from './support.js';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the accessibility statement is styled, accessible and self-contained', async () => {
  const page = await newWatchedPage(browser);
  const res = await page.goto(`${server.url}/accessibility`);
  assert.equal(res.status(), 200);
  assert.match(await page.locator('h1').innerText(), /Accessibility statement/);
  // The NHS.UK frontend stylesheet really applied (its font stack and colours).
  const bodyFont = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.ok(bodyFont.length > 0);
  const css = page.requests.filter((u) => u.includes('/static/') && u.endsWith('.css'));
  assert.equal(css.length, 1, 'one stylesheet from the plugin');
  const csp = res.headers()['content-security-policy'];
  assert.ok(csp && !csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
  await checkPage(page, 'accessibility-desktop');
});

test('the accessibility statement works on a phone-sized screen', async () => {
  const page = await newWatchedPage(browser, { viewport: { width: 375, height: 740 }, isMobile: true });
  await page.goto(`${server.url}/accessibility`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(overflow, false, 'no horizontal scrolling at 375px');
  await checkPage(page, 'accessibility-phone');
});

test('an unknown page shows a clear, accessible 404 page rather than JSON', async () => {
  const page = await newWatchedPage(browser);
  const res = await page.goto(`${server.url}/no/such/page`);
  assert.equal(res.status(), 404);
  assert.match(res.headers()['content-type'], /text\/html/);
  assert.match(await page.locator('h1').innerText(), /not found/i);
  await checkPage(page, 'not-found');
});

test('a keyboard user reaches the main content through the skip link', async () => {
  const page = await newWatchedPage(browser);
  await page.goto(`${server.url}/accessibility`);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  assert.match(focused || '', /Skip to main content/i);
  await page.keyboard.press('Enter');
  const target = await page.evaluate(() => location.hash);
  assert.equal(target, '#maincontent');
});
