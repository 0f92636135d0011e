// e2e.mjs - the web interface end to end: Debian's chromium driven by
// playwright-core against a real `ctis serve` on a temporary database
// filled by `ctis demo`, with users of every role made by `ctis user add`.
// Prints TAP lines ("ok - ..." / "not ok - ..."); tests/web/test_web.sh
// runs it. Screenshots of each main page in both languages go to
// tests/web/screenshots/ (not committed).
//
// Environment: CTIS (the binary), WEB_DIR (the served folder), SHOTS (the
// screenshot folder), CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CTIS = process.env.CTIS;
const WEB_DIR = process.env.WEB_DIR;
const SHOTS = process.env.SHOTS;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const KHMER = /[\u1780-\u17FF]/;
const PASSWORD = 'correct-horse-battery-1';
const AG1 = 'GOV-MOSVY';
const AG2 = 'NGO-001';

let failures = 0;
function ok(name) { console.log(`ok - ${name}`); }
function notOk(name, why) {
  failures += 1;
  console.log(`not ok - ${name}`);
  for (const l of String(why && (why.stack || why.message) || why || '')
    .split('\n').slice(0, 8)) console.log(`#   ${l}`);
}
// expect(what, cond, why): inside a step, a failed expectation ends the
// step as "not ok" with what and why.
function expect(what, cond, why) {
  if (!cond) throw new Error(`${what}: ${why === undefined ? 'false' : why}`);
  return true;
}
function check(name, cond, why) {
  if (cond) ok(name); else notOk(name, why || 'condition false');
  return cond;
}
// step(name, fn): run one test; a throw is a failure with its message.
async function step(name, fn) {
  try {
    const r = await fn();
    if (r !== false) ok(name);
    else notOk(name, 'returned false');
  } catch (e) {
    notOk(name, e);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctis-web-'));
const db = path.join(tmp, 'web.db');
let server = null;
const contexts = [];

function ctis(...args) {
  return execFileSync(CTIS, ['--db', db, ...args], { stdio: ['ignore',
    'pipe', 'pipe'], encoding: 'utf8' });
}

async function startServer() {
  const portFile = path.join(tmp, 'port');
  const log = fs.openSync(path.join(tmp, 'server.log'), 'a');
  server = spawn(CTIS, ['--db', db, 'serve', '--listen', '127.0.0.1:0',
    '--port-file', portFile, '--web', WEB_DIR], { stdio: ['ignore', log,
    log] });
  for (let i = 0; i < 400; i++) {
    if (fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim()) {
      return `http://127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
    }
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`ctis serve did not start: ${fs.readFileSync(
    path.join(tmp, 'server.log'), 'utf8').slice(-600)}`);
}

// A fresh browser profile (its own --user-data-dir), as one user's laptop.
async function browser(viewport) {
  const dir = fs.mkdtempSync(path.join(tmp, 'profile-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: ARGS,
    viewport: viewport || { width: 1366, height: 768 }, locale: 'en-GB',
  });
  contexts.push(ctx);
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(10000);
  page.errorsSeen = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.errorsSeen.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.errorsSeen.push(`${page.url()}: ${e.message}`));
  return page;
}

let BASE = '';

// Wait until the page of the current hash is shown (main.js marks main
// with the hash it rendered), not the one before it.
async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForFunction(() => {
    const m = document.querySelector('main');
    return location.hash.startsWith('#/login') ||
      (m.dataset.shown === location.hash && !m.querySelector('.loading'));
  }, null, { timeout: 15000 });
}

async function goto(page, hash) {
  await page.goto(`${BASE}/${hash}`);
  await settle(page);
}

// The password of each user now: a first login may have to change it.
const passwords = {};

async function login(page, user) {
  await page.goto(`${BASE}/#/login`);
  await page.getByLabel(/User name|ឈ្មោះអ្នកប្រើ/).fill(user);
  await page.getByLabel(/^(Password|ពាក្យសម្ងាត់)/).fill(passwords[user] ||
    PASSWORD);
  await page.locator('form.login button[type=submit]').click();
  await loggedIn(page, user);
}

// After the login form was sent: wait for the first page, and change the
// password when the server asks for it (a first login).
async function loggedIn(page, user) {
  await page.waitForFunction(() => !location.hash.startsWith('#/login'),
    null, { timeout: 15000 });
  await settle(page);
  if (page.url().endsWith('#/password')) {
    const fresh = `${PASSWORD}-changed`;
    await page.locator('input[name=old_password]').fill(passwords[user] ||
      PASSWORD);
    await page.locator('input[name=new_password]').fill(fresh);
    await page.locator('main form button[type=submit]').click();
    await page.waitForFunction(() => !location.hash.startsWith('#/password'),
      null, { timeout: 15000 });
    passwords[user] = fresh;
    await settle(page);
  }
}

async function logout(page) {
  await page.locator('#logout').click();
  await page.waitForFunction(() => location.hash.startsWith('#/login'));
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`),
    fullPage: true, timeout: 60000 });
}

async function setLang(page, lang) {
  const want = lang === 'km' ? 'km' : 'en';
  const cur = await page.evaluate(() => document.documentElement.lang);
  if (cur !== want) {
    await page.locator('#lang-switch').click();
    await page.waitForFunction((l) => document.documentElement.lang === l, want);
    await settle(page);
  }
}

// Every visible input, select and textarea has a label (or aria-label).
async function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll(
    'input, select, textarea')].filter((el) => el.type !== 'hidden' &&
    el.offsetParent !== null && !(el.labels && el.labels.length) &&
    !el.getAttribute('aria-label')).map((el) => el.name || el.id));
}

async function rawKeys(page) {
  return page.evaluate(() => {
    const re = /\b(f|c|nav|ds|err|hint|role|chart|state|consent)\.[a-z_]+(\.[a-z_]+)?\b/;
    return [...document.querySelectorAll('main *, header *')]
      .filter((e) => e.children.length === 0 && re.test(e.textContent))
      .map((e) => e.textContent.trim()).slice(0, 5);
  });
}

// Run fn while network failures are expected (a connection dropped on
// purpose): the browser's own console lines for them are not errors of
// the page. Any other console error still counts.
async function whileDropping(page, fn) {
  const before = page.errorsSeen.length;
  try {
    return await fn();
  } finally {
    const fresh = page.errorsSeen.splice(before);
    page.errorsSeen.push(...fresh.filter((e) =>
      !/net::ERR_(INTERNET_DISCONNECTED|CONNECTION_RESET|FAILED)/.test(e)));
  }
}

async function caseIdOnPage(page) {
  return page.evaluate(() => decodeURIComponent(
    location.hash.replace(/^#\/cases\//, '').replace(/\?.*$/, '')));
}

// After a form is sent: wait for the page of its answer, whose hash
// differs from `before` (each answer's msg= carries a new t=); the page
// before may already carry the msg= of an earlier answer.
async function answered(page, before) {
  await page.waitForFunction((old) => location.hash !== old &&
    /msg=/.test(location.hash), before);
  await settle(page);
}

async function addEvent(page, type, fill) {
  await page.locator('#event-type').selectOption(type);
  const form = page.locator(`#event-${type}`);
  await form.waitFor();
  if (fill) await fill(form);
  // The page before carries the msg= of the event before: wait for the
  // hash of this one (it holds a new t=), or the old page is counted.
  const before = await page.evaluate(() => location.hash);
  await form.locator('button[type=submit]').click();
  await answered(page, before);
}

async function timelineCount(page, type) {
  return page.locator(`#timeline li.ev-${type}`).count();
}

async function main() {
  // The database: the demo, and one user of each role.
  ctis('init');
  ctis('demo');
  const pw = path.join(tmp, 'pw');
  fs.writeFileSync(pw, `${PASSWORD}\n`, { mode: 0o600 });
  const users = [['admin1', AG1, 'admin'], ['cw1', AG1, 'case_worker'],
    ['cw2', AG2, 'case_worker'], ['police1', 'GOV-AHTJP', 'police'],
    ['analyst1', AG1, 'analyst'], ['viewer1', AG1, 'viewer']];
  for (const [u, a, r] of users) {
    ctis('user', 'add', '--username', u, '--agency', a, '--role', r,
      '--password-file', pw);
  }
  // Four more agencies' lists, identified in 1999 (before the demo's
  // years), linked: the datasheet of 1999 has an estimate whose next-best
  // model moves it by 1.75 standard errors (tests/report/test_estimate.sh).
  const src = path.dirname(WEB_DIR);
  const lists = path.join(tmp, 'lists.jsonl');
  fs.writeFileSync(lists, execFileSync('python3', [path.join(src,
    'tests/report/data/pattern_lists.py'), path.join(src,
    'tests/report/data/unstable.csv'), '1999-03-01'], { encoding: 'utf8' }));
  ctis('import', lists);
  ctis('link', '--from-db', '--save', '--output', path.join(tmp, 'links.csv'));
  BASE = await startServer();
  ok('ctis serve runs on a temporary database with the demo data');

  const consoleErrors = [];
  const page = await browser();

  // The first page: its weight, its font, its labels.
  await step('first page under 300 KB transferred', async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    await page.goto(`${BASE}/`);
    await settle(page);
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(300);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.detach();
    console.log(`# first page: ${bytes} bytes transferred`);
    return expect('weight', bytes > 1000 && bytes < 300 * 1024, `${bytes}`);
  });
  await step('login page: every input has a label', async () => {
    const u = await unlabelled(page);
    return expect('labels', u.length === 0, u.join(', '));
  });
  await shot(page, 'login-en');

  // Keyboard only: tab to the fields, type, Enter; the focus is visible.
  await step('keyboard: log in with Tab and Enter; focus is visible', async () => {
    await page.goto(`${BASE}/#/login`);
    await settle(page);
    await page.locator('input[name=username]').focus();
    await page.keyboard.type('cw1');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return `${document.activeElement.name} ${s.outlineStyle} ${s.outlineWidth}`;
    });
    expect('focus ring on the password field', /^password (solid|auto) [1-9]/
      .test(outline), outline);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await loggedIn(page, 'cw1');
    return expect('home page', page.url().endsWith('#/home'), page.url());
  });
  await step('case worker home: my open cases, referrals, visits due', async () => {
    const h2 = await page.locator('main h2').allTextContents();
    return expect('sections', h2.includes('My open cases') &&
      h2.includes('Referrals waiting for my agency') &&
      h2.includes('Monitoring visits due'), h2.join(' | '));
  });
  await shot(page, 'home-en');

  // A half-filled registration survives a reload.
  // A name the demo does not hold (its names are synthetic).
  const given = 'Sreymom';
  await step('a half-filled form survives a reload', async () => {
    await goto(page, '#/cases/new');
    await page.getByLabel('Given name (Latin)').fill(given);
    await page.getByLabel('Family name (Latin)').fill('Yin');
    await page.reload();
    await settle(page);
    const v = await page.getByLabel('Given name (Latin)').inputValue();
    return expect('restored', v === given, v);
  });
  let caseId = '';
  await step('register a person and a case', async () => {
    await page.getByLabel('Given name (Khmer)').fill('ស្រីមុំ');
    await page.getByLabel('Family name (Khmer)').fill('យិន');
    await page.getByLabel('Sex', { exact: true }).selectOption('female');
    await page.getByLabel('Birth year').fill('1990');
    await page.getByLabel('Home province').selectOption('KH-14');
    await page.getByLabel('Date of identification').fill('2008-05-01');
    await page.getByLabel('Movement').selectOption('cross_border_out');
    await page.getByLabel('Forced labour').check();
    await page.getByLabel('Destination country').selectOption('TH');
    caseId = await page.locator('input[name=id]').inputValue();
    await shot(page, 'register-en');
    // The connection drops: nothing is sent, the form stays, the page says so.
    await whileDropping(page, async () => {
      await page.context().setOffline(true);
      await page.locator('#save-case').click();
      await page.locator('#register-form .msg.error').waitFor();
      await shot(page, 'register-offline-en');
      await page.context().setOffline(false);
    });
    await page.locator('#save-case').click();
    const onCase = () => /^#\/cases\/(?!new$)[^/?]+$/.test(location.hash);
    await page.waitForFunction(`(${onCase})() ||
      !!document.querySelector('#duplicate-warning')`);
    if (await page.locator('#duplicate-warning').count()) {
      await page.locator('#save-anyway').click();
      await page.waitForFunction(onCase);
    }
    await settle(page);
    const id = await caseIdOnPage(page);
    return expect('on the case page', id === caseId, `${id} vs ${caseId}`);
  });
  await step('the case page shows the name and the identification', async () => {
    const text = await page.locator('main').innerText();
    return expect('name', text.includes(given) && text.includes('ស្រីមុំ') &&
      (await timelineCount(page, 'identification')) === 1, text.slice(0, 200));
  });
  await step('add a rescue', async () => {
    await addEvent(page, 'rescue', (f) => f.getByLabel('Date').fill('2008-05-02'));
    return expect('one rescue', (await timelineCount(page, 'rescue')) === 1);
  });
  await step('add a referral (to an NGO)', async () => {
    await addEvent(page, 'referral', async (f) => {
      await f.getByLabel('Date').fill('2008-05-03');
      await f.getByLabel('Referred to').selectOption('ngo');
    });
    const n = await timelineCount(page, 'referral');
    return expect('one referral', n === 1, `${n} referrals`);
  });
  await step('add an official repatriation', async () => {
    await addEvent(page, 'repatriation', async (f) => {
      await f.getByLabel('Date').fill('2008-06-01');
      await f.getByLabel('From country').selectOption('TH');
      await f.getByLabel('To country').selectOption('KH');
      await f.getByLabel(/^Official repatriation/).check();
    });
    const n = await timelineCount(page, 'repatriation');
    const txt = await page.locator('#timeline li.ev-repatriation').innerText();
    return expect('one official repatriation', n === 1 &&
      /official/.test(txt), `${n}: ${txt}`);
  });
  await shot(page, 'case-en');

  // A lost answer: the server stores the event, the browser never hears;
  // sending the kept form again creates nothing new.
  await step('a resubmitted form creates one record', () => whileDropping(page, async () => {
    let dropped = 0;
    await page.route('**/api/cases/*/events', async (route) => {
      if (route.request().method() === 'POST' && dropped === 0) {
        dropped += 1;
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await page.locator('#event-type').selectOption('monitoring_visit');
    const form = page.locator('#event-monitoring_visit');
    await form.getByLabel('Date').fill('2008-07-01');
    await form.locator('button[type=submit]').click();
    await form.locator('.msg.error').waitFor();
    const before = await page.locator('main').innerText();
    const hash = await page.evaluate(() => location.hash);
    await form.locator('button[type=submit]').click();
    await answered(page, hash);
    await page.unroute('**/api/cases/*/events');
    const n = await timelineCount(page, 'monitoring_visit');
    return expect('one visit after a lost answer and a resend', n === 1 &&
      /no connection/.test(before), `${n} visits`);
  }));
  await step('a double click creates one record', async () => {
    await page.locator('#event-type').selectOption('service');
    const form = page.locator('#event-service');
    await form.getByLabel('Date').fill('2008-07-02');
    await form.getByLabel('Service').selectOption('medical');
    const hash = await page.evaluate(() => location.hash);
    await form.locator('button[type=submit]').dblclick();
    await answered(page, hash);
    await page.waitForTimeout(500);
    await goto(page, `#/cases/${encodeURIComponent(caseId)}`);
    return expect('one service', (await timelineCount(page, 'service')) === 1);
  });
  await step('the case history lists its versions', async () => {
    await goto(page, `#/cases/${encodeURIComponent(caseId)}/history`);
    const rows = await page.locator('table.history tbody tr').count();
    await shot(page, 'history-en');
    return expect('versions', rows >= 5, `${rows} rows`);
  });
  await step('the likely-duplicate warning shows before saving', async () => {
    await goto(page, '#/cases/new');
    await page.getByLabel('Given name (Latin)').fill(given);
    await page.getByLabel('Family name (Latin)').fill('Yinn');
    await page.getByLabel('Birth year').fill('1990');
    await page.getByLabel('Home province').selectOption('KH-14');
    await page.getByLabel('Date of identification').fill('2008-05-04');
    const id2 = await page.locator('input[name=id]').inputValue();
    await page.locator('#save-case').click();
    await page.locator('#duplicate-warning').waitFor({ timeout: 15000 });
    const txt = await page.locator('#duplicate-warning').innerText();
    await shot(page, 'duplicate-en');
    const still = await page.evaluate(() => location.hash);
    expect('names the existing case', txt.includes(caseId), txt.slice(0, 300));
    // Nothing was saved: the new id is unknown to the server.
    const st = (await page.request.get(
      `${BASE}/api/cases/${encodeURIComponent(id2)}`)).status();
    return expect('not saved', still === '#/cases/new' && st === 404,
      `${still} ${st}`);
  });
  await step('refer to another agency for a service', async () => {
    await goto(page, `#/cases/${encodeURIComponent(caseId)}`);
    const f = page.locator('#referral-form');
    await f.getByLabel('Receiving agency').selectOption(AG2);
    await f.getByLabel('Service').selectOption('shelter');
    const hash = await page.evaluate(() => location.hash);
    await f.locator('button[type=submit]').click();
    await answered(page, hash);
    const t = await page.locator('table.case-referrals').innerText();
    return expect('pending referral', t.includes(AG2) && /Waiting/.test(t), t);
  });
  await step('case list with filters and search', async () => {
    await goto(page, '#/cases?status=open&province=KH-14');
    const rows = await page.locator('#case-results tbody tr').count();
    await shot(page, 'cases-en');
    await goto(page, `#/cases?q=${encodeURIComponent(`Yinn ${given}`)}`);
    const t = await page.locator('#case-results').innerText();
    return expect('search finds the case: swapped order, variant spelling',
      rows > 0 && t.includes(caseId), t.slice(0, 300));
  });
  await step('search by Khmer name', async () => {
    await goto(page, `#/cases?q=${encodeURIComponent('យិន ស្រីមុំ')}`);
    const t = await page.locator('#case-results').innerText();
    return expect('found', t.includes(caseId), t.slice(0, 300));
  });
  consoleErrors.push(...page.errorsSeen);
  await logout(page);

  // The receiving agency accepts the referral.
  const page2 = await browser();
  await step('referrals received: the other agency accepts', async () => {
    await login(page2, 'cw2');
    await goto(page2, '#/referrals');
    await shot(page2, 'referrals-en');
    const row = page2.locator('table.referrals tbody tr', { hasText: caseId });
    await row.locator('button.accept').click();
    await row.locator('.msg.ok').waitFor();
    await page2.waitForTimeout(900);
    await settle(page2);
    return expect('gone from the list', (await page2.locator(
      'table.referrals tbody tr', { hasText: caseId }).count()) === 0);
  });

  // Transfer with consent, by cw1.
  await step('transfer a case to another agency with consent', async () => {
    await login(page, 'cw1');
    await goto(page, '#/home');
    const first = page.locator('main table a.case-id').first();
    const id = await first.innerText();
    await goto(page, `#/cases/${encodeURIComponent(id)}`);
    const f = page.locator('#transfer-form');
    await f.getByLabel('Receiving agency').selectOption(AG2);
    await f.getByLabel('Consent').selectOption('given');
    await f.locator('button[type=submit]').click();
    await page.waitForFunction(() => /transferred=/.test(location.hash) ||
      document.querySelector('main .msg.error'));
    await settle(page);
    const txt = await page.locator('main').innerText();
    expect('the page says so', txt.includes(id) && /transferred/.test(txt),
      txt.slice(0, 300));
    // The other agency has it now; this one no longer lists it.
    await goto(page2, `#/cases/${encodeURIComponent(id)}`);
    const other = await page2.locator('main').innerText();
    return expect('now the other agency\'s', other.includes(AG2) &&
      !/Not found/.test(other), other.slice(0, 300));
  });
  consoleErrors.push(...page.errorsSeen, ...page2.errorsSeen);
  page.errorsSeen = [];
  await logout(page);

  // The admin: the datasheet before and after one more repatriation was
  // counted (TH -> KH in 2008), the chart, the print view.
  await step('the repatriation is in the dashboard table and chart', async () => {
    await login(page, 'admin1');
    await goto(page, '#/dashboard?from=2008&to=2008');
    const cell = await page.locator('#table-repatriations tbody tr',
      { hasText: 'Thailand → Cambodia' }).locator('td').first().innerText();
    const n = parseInt(cell.replace(/\D/g, ''), 10);
    // The demo's 2008 TH->KH figure is 105 (docs/datasheet.md); ours is one more.
    expect('table: 105 + 1', n === 106, cell);
    const bar = await page.locator('#chart-repatriations rect.bar title')
      .allTextContents();
    await shot(page, 'dashboard-en');
    return expect('chart bar', bar.some((t) => /Thailand → Cambodia 2008: 106/
      .test(t)), bar.join(' | '));
  });
  await step('the estimate: model, existence check, next-best model, stability, warnings', async () => {
    await goto(page, '#/dashboard?from=1999&to=1999');
    const facts = await page.locator('#estimate-facts').innerText();
    const warn = await page.locator('#estimate-warnings li').evaluateAll(
      (ls) => ls.map((l) => `${l.dataset.code}|${l.textContent}`));
    await shot(page, 'estimate-en');
    expect('figures', /137/.test(facts) && /191/.test(facts) &&
      /main effects/.test(facts) && /passed/.test(facts) &&
      /shelter:police \(216\)/.test(facts) &&
      /unstable: the next-best model moves it by 1\.75 standard errors/
        .test(facts), facts);
    return expect('warnings', warn.length === 2 &&
      warn[0].startsWith("small_list|Warning: lists with under 20 persons: 'clinic' (8)") &&
      warn[1].startsWith('unstable|Warning: unstable'), warn.join(' / '));
  });
  await step('dashboard charts: provinces and the flow diagram', async () => {
    await goto(page, '#/dashboard?from=2008&to=2008');
    const n = await page.locator('#chart-source rect.bar').count();
    const d = await page.locator('#chart-destination rect.bar').count();
    const f = await page.locator('#chart-flows path.flow').count();
    return expect('drawn', n > 3 && d > 0 && f >= 2, `${n} ${d} ${f}`);
  });
  await step('print view prints the datasheet on A4', async () => {
    await page.locator('#print-link').click();
    await page.waitForFunction(() => location.hash.startsWith('#/print'));
    await settle(page);
    await shot(page, 'print-en');
    await page.emulateMedia({ media: 'print' });
    const pdf = path.join(tmp, 'datasheet.pdf');
    await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true,
      printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })
      .split('\n').filter((l) => /^(Pages|Page size)/.test(l)).join(' ');
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'],
      { encoding: 'utf8' });
    expect('A4 pages', /Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts/
      .test(info), info);
    return expect('datasheet text, no menu', text.includes(
      'Official repatriations') && !text.includes('Log out'), text.slice(0, 300));
  });
  await step('admin pages: users and audit', async () => {
    await goto(page, '#/users');
    const u = await page.locator('main table').innerText();
    await shot(page, 'users-en');
    await goto(page, '#/audit');
    const a = await page.locator('table.audit tbody tr').count();
    await shot(page, 'audit-en');
    return expect('listed', u.includes('cw1') && a > 5, `${a}`);
  });
  for (const [hash, name] of [['#/agencies', 'agencies'],
    ['#/activities', 'activities'], ['#/instruments', 'instruments']]) {
    await step(`${name} page lists the demo's records`, async () => {
      await goto(page, hash);
      const rows = await page.locator('main table tbody tr').count();
      await shot(page, `${name}-en`);
      return expect('rows', rows >= 10, `${rows}`);
    });
  }

  // Khmer: switch, see Khmer labels in the Khmer font, remembered.
  await step('switch to Khmer: Khmer labels in a Khmer font', async () => {
    await goto(page, '#/dashboard?from=2008&to=2008');
    await setLang(page, 'km');
    const h1 = await page.locator('main h1').innerText();
    const label = await page.locator('label').first().innerText();
    const font = await page.evaluate(async () => {
      await document.fonts.ready;
      const f = [...document.fonts].find((x) => x.family.includes('ctis Khmer'));
      return `${f ? f.status : 'none'} ${document.fonts.check('16px "ctis Khmer"', 'ក')}`;
    });
    await shot(page, 'dashboard-km');
    expect('Khmer heading and label', KHMER.test(h1) && KHMER.test(label),
      `${h1} / ${label}`);
    return expect('our Khmer font loaded', font === 'loaded true', font);
  });
  await step('Khmer is remembered after a reload; dates in Khmer', async () => {
    await page.reload();
    await settle(page);
    const lang = await page.evaluate(() => document.documentElement.lang);
    await goto(page, `#/cases/${encodeURIComponent(caseId)}`);
    const t = await page.locator('#timeline time').first().innerText();
    return expect('km', lang === 'km' && KHMER.test(t), `${lang} ${t}`);
  });
  for (const [hash, name] of [['#/home', 'home'], ['#/cases', 'cases'],
    ['#/cases/new', 'register'], [`#/cases/${encodeURIComponent(caseId)}`, 'case'],
    [`#/print?from=2008&to=2008`, 'print'], ['#/agencies', 'agencies'],
    ['#/activities', 'activities'], ['#/instruments', 'instruments'],
    ['#/users', 'users'], ['#/audit', 'audit'], ['#/referrals', 'referrals'],
    ['#/criminal-cases', 'criminal-cases'], ['#/offenders', 'offenders']]) {
    await step(`Khmer page ${name}: Khmer text, labels, no raw keys`, async () => {
      await goto(page, hash);
      await shot(page, `${name}-km`);
      const h1 = await page.locator('main h1').first().innerText();
      const u = await unlabelled(page);
      const raw = await rawKeys(page);
      expect('labels', u.length === 0, u.join(', '));
      expect('no raw keys', raw.length === 0, raw.join(' | '));
      return expect('Khmer heading', KHMER.test(h1), h1);
    });
  }
  await setLang(page, 'en');
  for (const [hash, name] of [['#/criminal-cases', 'criminal-cases'],
    ['#/offenders', 'offenders']]) {
    await goto(page, hash);
    await shot(page, `${name}-en`);
  }
  consoleErrors.push(...page.errorsSeen);
  page.errorsSeen = [];
  await logout(page);

  // Roles: what a role may not do is not offered; an analyst sees no name.
  await step('analyst: dashboard only, no names anywhere', async () => {
    await login(page, 'analyst1');
    const nav = await page.locator('#main-nav').innerText();
    await goto(page, '#/dashboard');
    const body = await page.locator('body').innerText();
    await goto(page, `#/cases/${encodeURIComponent(caseId)}`);
    const c = await page.locator('main').innerText();
    expect('no case menu', !/Cases|Register/.test(nav), nav);
    expect('the case page is not offered', !c.includes(given) &&
      /Not found/.test(c), c.slice(0, 200));
    return expect('no names on the dashboard', !body.includes(given) &&
      !body.includes('ស្រីមុំ'), '');
  });
  consoleErrors.push(...page.errorsSeen);
  page.errorsSeen = [];
  await logout(page);
  await step('viewer: reads cases, offered no forms', async () => {
    await login(page, 'viewer1');
    await goto(page, '#/cases');
    const nav = await page.locator('#main-nav').innerText();
    const first = await page.locator('#case-results a.case-id').first().innerText();
    await goto(page, `#/cases/${encodeURIComponent(first)}`);
    const forms = await page.locator('main form').count();
    await shot(page, 'case-viewer-en');
    return expect('no register, no forms', !/Register/.test(nav) &&
      forms === 0, `${nav} forms=${forms}`);
  });
  consoleErrors.push(...page.errorsSeen);
  page.errorsSeen = [];
  await logout(page);
  await step('police: criminal cases and offenders, no victim names', async () => {
    await login(page, 'police1');
    const nav = await page.locator('#main-nav').innerText();
    await goto(page, '#/criminal-cases');
    const rows = await page.locator('main table tbody tr').count();
    await page.locator('main table tbody a').first().click();
    await settle(page);
    await shot(page, 'criminal-case-en');
    const victim = page.locator('main ul.plain a').first();
    let leaked = false;
    if (await victim.count()) {
      await victim.click();
      await settle(page);
      const t = await page.locator('main').innerText();
      leaked = /Given name|Family name/.test(t) || /Name\n/.test(t);
    }
    await goto(page, '#/offenders');
    const off = await page.locator('main table tbody tr').count();
    expect('menu', /Criminal cases/.test(nav) && /Offenders/.test(nav) &&
      !/Register|Datasheet/.test(nav), nav);
    return expect('lists, no names', rows > 0 && off > 0 && !leaked,
      `${rows} ${off} ${leaked}`);
  });
  consoleErrors.push(...page.errorsSeen);
  page.errorsSeen = [];
  await logout(page);

  // A phone: no sideways scrolling; the menu opens from its button.
  const phone = await browser({ width: 390, height: 844 });
  await step('phone width: pages fit, the menu opens', async () => {
    await login(phone, 'cw1');
    const widths = [];
    for (const hash of ['#/home', '#/cases', '#/cases/new',
      `#/cases/${encodeURIComponent(caseId)}`, '#/agencies']) {
      await goto(phone, hash);
      widths.push(await phone.evaluate(() =>
        document.documentElement.scrollWidth - window.innerWidth));
    }
    await shot(phone, 'case-phone-en');
    await phone.locator('.menu-toggle').click();
    const vis = await phone.locator('#main-nav').isVisible();
    await shot(phone, 'menu-phone-en');
    return expect('fits', widths.every((w) => w <= 0) && vis,
      `${widths.join(',')} ${vis}`);
  });
  consoleErrors.push(...phone.errorsSeen);

  check('no console errors on any page', consoleErrors.length === 0,
    consoleErrors.slice(0, 8).join('\n'));
}

try {
  await main();
} catch (e) {
  notOk('the suite ran to its end', e);
} finally {
  for (const c of contexts) await c.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  const log = path.join(tmp, 'server.log');
  if (fs.existsSync(log)) {
    // The server log never holds a name (issue 11); check ours too.
    const text = fs.readFileSync(log, 'utf8');
    check('the server log holds no name typed in the browser',
      !/Sreymom|Yinn?\b|ស្រីមុំ|យិន/.test(text), 'a name is in the log');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
