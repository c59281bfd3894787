// The dashboard in a real browser: Debian's chromium driven by playwright-core, against a
// running `lmo serve` on the demo store (scripts/browser-test starts it and passes
// LMO_URL, LMO_ADMIN_USER, LMO_ADMIN_PASSWORD and LMO_ADMIN_TOKEN). Screenshots of every
// page, on a laptop and a phone, go to LMO_ARTIFACTS.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const base = required('LMO_URL');
const admin = { name: required('LMO_ADMIN_USER'), password: required('LMO_ADMIN_PASSWORD') };
const token = required('LMO_ADMIN_TOKEN');
const artifacts = process.env.LMO_ARTIFACTS ?? 'browser-artifacts';
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

// One user per role below admin, made through the API with the admin's token.
const users = {
  viewer: { name: 'lee.viewer', role: 'viewer', password: 'viewer password 2026' },
  analyst: { name: 'ng.analyst', role: 'analyst', password: 'analyst password 2026' },
  officer: { name: 'wong.officer', role: 'case_officer', password: 'officer password 2026' },
};

const laptop = { viewport: { width: 1280, height: 860 } };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let browser;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests through scripts/browser-test`);
  return value;
}

async function api(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response;
}

before(async () => {
  await mkdir(artifacts, { recursive: true });
  for (const user of Object.values(users)) {
    const added = await api('POST', '/v1/users', { user_name: user.name, role: user.role });
    assert.ok([201, 422].includes(added.status), `adding ${user.name}: ${added.status} ${await added.text()}`);
    const set = await api('PUT', `/v1/users/${user.name}/password`, { password: user.password });
    assert.equal(set.status, 204, `password of ${user.name}: ${await set.text()}`);
  }
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
});

/** A fresh browser context (its own cookies) in Traditional Chinese unless told otherwise. */
async function context(device = laptop, locale = 'zh-HK') {
  return browser.newContext({ ...device, locale, acceptDownloads: true, baseURL: base });
}

async function logIn(page, user) {
  await page.goto('/login');
  await page.locator('input[name="user_name"]').fill(user.name);
  await page.locator('input[name="password"]').fill(user.password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.locator('form[action="/login"] button').click()]);
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

test('a wrong password is refused and the right one opens the overview', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto('/alerts');
  assert.match(new URL(page.url()).pathname, /^\/login$/, 'a page without a session sends the browser to log in');
  await page.locator('input[name="user_name"]').fill(admin.name);
  await page.locator('input[name="password"]').fill('not the password');
  await page.locator('form[action="/login"] button').click();
  await page.locator('.flash.error').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hant');
  await page.locator('input[name="password"]').fill(admin.password);
  await Promise.all([page.waitForURL((url) => url.pathname === '/alerts'), page.locator('form[action="/login"] button').click()]);
  await page.goto('/');
  assert.equal(await page.locator('h1').first().textContent(), '概覽');
  assert.ok(await page.locator('.card').count() > 0, 'headline cards');
  assert.ok(await page.locator('figure.chart svg').count() >= 2, 'the climate index chart and its contributions');
  await ctx.close();
});

test('the language switch changes every label and is remembered', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await logIn(page, admin);
  await page.goto('/watchlist');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hant');
  await page.locator('a.lang-switch').click();
  await page.waitForURL((url) => url.pathname === '/watchlist');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('h1').textContent(), 'Industry watch-list');
  // Another page, and another tab of the same browser, keep English.
  await page.goto('/');
  assert.equal(await page.locator('h1').first().textContent(), 'Overview');
  const other = await ctx.newPage();
  await other.goto('/alerts');
  assert.equal(await other.locator('html').getAttribute('lang'), 'en');
  assert.equal(await other.locator('nav[aria-label="Main"] a[aria-current="page"]').textContent(), 'Alerts');
  await other.locator('a.lang-switch').click();
  await other.waitForURL((url) => url.pathname === '/alerts');
  assert.equal(await other.locator('h1').textContent(), '預警');
  await ctx.close();
});

test('search a series, open its chart, transform it and download it as CSV', async () => {
  const ctx = await context(laptop, 'en-GB');
  const page = await ctx.newPage();
  await logIn(page, users.viewer);
  await page.goto('/series');
  await page.locator('input[name="q"]').fill('失業率 經季節性調整');
  await page.locator('form.search button').click();
  await page.waitForURL(/\/series\?q=/);
  const results = page.locator('table.results tbody tr');
  assert.ok(await results.count() > 0, 'the search finds the seasonally adjusted unemployment rates');
  // The quarterly series from 1998, whose year-on-year change has a long history.
  const first = results.filter({ hasText: 'hk.panel.unemployment_rate_sa' }).first().locator('a');
  const title = (await first.textContent()).trim();
  await first.click();
  await page.waitForURL(/\/series\/chart\?id=/);
  assert.equal((await page.locator('h1').textContent()).trim(), title);
  assert.equal(await page.locator('figure.chart .wide svg polyline').count(), 1, 'one line');
  assert.ok(await page.locator('figure.chart .wide svg rect[fill="#d9d9d9"]').count() > 0, 'downturns are shaded');
  assert.ok(await page.locator('#vintages ~ div table tbody tr').count() > 0, 'the vintages of the latest period');
  // Percentage change on a year earlier, over a date range.
  await page.locator('select[name="transform"]').selectOption('pct_year');
  await page.locator('form.controls input[name="from"]').fill('2015-01-01');
  await page.locator('form.controls').first().locator('button').click();
  await page.waitForURL(/transform=pct_year/);
  assert.equal(await page.locator('select[name="transform"]').inputValue(), 'pct_year');
  assert.match(await page.locator('figcaption strong').textContent(), /% change on a year earlier/);
  const id = new URL(page.url()).searchParams.get('id');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.downloads a', { hasText: 'CSV' }).click()]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'series_id,period,value,vintage,status');
  assert.ok(lines.length > 10, 'the whole series');
  assert.ok(lines.slice(1).every((line) => line.startsWith(`${id},`)), 'every row is of the series');
  await ctx.close();
});

test('an analyst acknowledges an alert', async () => {
  const ctx = await context(laptop, 'en-GB');
  const page = await ctx.newPage();
  await logIn(page, users.analyst);
  await page.goto('/alerts');
  const open = page.locator('li.alert.attention');
  const before = await open.count();
  assert.ok(before > 0, 'the demo has alerts that need attention');
  const alert = open.first();
  const rule = await alert.locator('input[name="id"]').inputValue();
  await alert.locator('details.act summary').click();
  await alert.locator('form[action="/alerts/acknowledge"] input[name="reason"]').fill('raised with the Labour Department');
  await alert.locator('form[action="/alerts/acknowledge"] button').click();
  await page.waitForURL(/done=acknowledged/);
  await page.locator('.flash').waitFor();
  const acknowledged = page.locator('li.alert', { has: page.locator(`input[name="id"][value="${rule}"]`) });
  assert.match(await acknowledged.locator('p.note').first().textContent(), /Acknowledged by ng\.analyst/);
  assert.equal(await page.locator('li.alert.attention').count(), before - 1);
  await ctx.close();
});

test('an analyst generates the report and a viewer downloads it from the archive', async () => {
  const analyst = await context(laptop, 'en-GB');
  let page = await analyst.newPage();
  await logIn(page, users.analyst);
  await page.goto('/reports');
  await page.locator('input[name="xlsx"]').uncheck();
  await page.locator('select[name="lang"]').selectOption('zh-Hant');
  await page.locator('form[action="/reports/generate"] button').click();
  await page.waitForURL(/done=\d+/);
  const id = new URL(page.url()).searchParams.get('done');
  await analyst.close();
  const viewer = await context();
  page = await viewer.newPage();
  await logIn(page, users.viewer);
  await page.goto('/reports');
  assert.equal(await page.locator('form[action="/reports/generate"]').count(), 0, 'viewers do not generate');
  const row = page.locator('tbody tr', { hasText: 'ng.analyst' }).first();
  assert.equal((await row.locator('td').first().textContent()).trim(), id);
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a', { hasText: 'HTML' }).click()]);
  const html = await readFile(await download.path(), 'utf8');
  assert.match(html, /<html lang="zh-Hant"/);
  assert.match(html, /就業形勢分析報告/);
  await viewer.close();
});

test('a case officer opens cases and moves one through two steps', async () => {
  const ctx = await context(laptop, 'en-GB');
  const page = await ctx.newPage();
  await logIn(page, users.officer);
  await page.goto('/cases');
  if ((await page.locator('table.board tbody tr').count()) === 0) {
    await page.locator('form[action="/cases/open"] button').click();
    await page.waitForURL(/done=opened/);
  }
  const row = page.locator('table.board tbody tr').first();
  const link = row.locator('a').first();
  const caseId = (await link.textContent()).replace('#', '');
  await link.click();
  await page.waitForURL(new RegExp(`/cases/${caseId}$`));
  const steps = page.locator('#steps ~ div table tbody tr');
  const stepsBefore = await steps.count();
  // Assign it to oneself.
  await page.locator('input[name="to"][value="assigned"]').check();
  await page.locator('textarea[name="note"]').fill('taking this one');
  await page.locator('form[action$="/steps"] button').click();
  await page.waitForURL(/done=assigned/);
  assert.match(await page.locator('dl.facts').textContent(), /wong\.officer/);
  // Then intervene, by a visit.
  await page.locator('input[name="to"][value="intervening"]').check();
  await page.locator('select[name="how"]').selectOption('visit');
  await page.locator('textarea[name="note"]').fill('visited the employer; payment promised by Friday');
  await page.locator('form[action$="/steps"] button').click();
  await page.waitForURL(/done=intervening/);
  assert.equal(await steps.count(), stepsBefore + 2);
  const last = await steps.last().textContent();
  assert.match(last, /intervened \(visit\)/);
  assert.match(last, /wong\.officer/);
  assert.match(last, /payment promised by Friday/);
  await ctx.close();
});

test('a viewer is refused the case board, in both languages', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await logIn(page, users.viewer);
  assert.equal(await page.locator('nav[aria-label="主要"] a[href="/cases"]').count(), 0, 'no link to the case board');
  const response = await page.goto('/cases');
  assert.equal(response.status(), 403);
  const text = await page.locator('main').textContent();
  assert.match(text, /你的角色不可使用此頁/);
  assert.match(text, /Your role may not use this page/);
  await shot(page, 'refused-viewer-cases.desktop');
  await ctx.close();
});

// Every page on a laptop and a phone, in each language, for a person to look at.
const pages = [
  ['overview', '/'],
  ['series-search', '/series?q=vacancies'],
  ['series-chart', '/series/chart?id=hk.panel.unemployment_rate_sa&transform=level'],
  ['alerts', '/alerts'],
  ['watchlist', '/watchlist'],
  ['arrears', '/arrears'],
  ['cases', '/cases'],
  ['case', null],
  ['talent', '/talent'],
  ['reports', '/reports'],
];

for (const [device, settings] of [['desktop', laptop], ['phone', phone]]) {
  test(`screenshots of every page (${device})`, async () => {
    for (const locale of ['zh-HK', 'en-GB']) {
      const ctx = await context(settings, locale);
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      await logIn(page, admin);
      await page.goto('/login?next=/');
      await shot(page, `login.${device}.${locale}`);
      for (const [name, path] of pages) {
        let target = path;
        if (target === null) {
          await page.goto('/cases?show=all');
          target = await page.locator('table.board tbody tr a').first().getAttribute('href');
        }
        const response = await page.goto(target);
        assert.equal(response.status(), 200, `${target}`);
        // Nothing wider than the screen but what scrolls inside its own box.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 1, `${target} is ${overflow}px wider than the ${device} screen`);
        await shot(page, `${name}.${device}.${locale}`);
      }
      assert.deepEqual(errors, [], 'no script errors or failed loads');
      await ctx.close();
    }
  });
}
