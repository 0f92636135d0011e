// main.js - the shell: session, header, navigation by role, language
// switch, and the hash router (#/cases?q=...), so back, reload and links
// work without a round trip for the page itself.
import { h, clear, add } from './dom.js';
import { t, getLang, setLang, onLang, languages, ready } from './i18n.js';
import * as api from './api.js';
import { can, homeOf } from './roles.js';
import { forgetAll } from './drafts.js';
import { loading, failed } from './ui.js';
import { viewLogin, viewPassword } from './views/login.js';

// Pages other than the login load when first shown: the first page stays
// small on a weak connection.
function lazy(file, name) {
  return async (...a) => (await import(`./views/${file}.js`))[name](...a);
}
const viewHome = lazy('home', 'viewHome');
const viewCases = lazy('cases', 'viewCases');
const viewRegister = lazy('register', 'viewRegister');
const viewCase = lazy('case', 'viewCase');
const viewHistory = lazy('case', 'viewHistory');
const viewReferrals = lazy('referrals', 'viewReferrals');
const viewCriminalCases = lazy('police', 'viewCriminalCases');
const viewCriminalCase = lazy('police', 'viewCriminalCase');
const viewOffenders = lazy('police', 'viewOffenders');
const viewAgencies = lazy('directory', 'viewAgencies');
const viewActivities = lazy('directory', 'viewActivities');
const viewInstruments = lazy('directory', 'viewInstruments');
const viewDashboard = lazy('dashboard', 'viewDashboard');
const viewUsers = lazy('admin', 'viewUsers');
const viewAudit = lazy('admin', 'viewAudit');

const routes = [
  { path: /^login$/, view: viewLogin, open: true },
  { path: /^password$/, view: viewPassword },
  { path: /^home$/, need: 'home', view: viewHome, nav: 'nav.home', href: '#/home' },
  { path: /^cases$/, need: 'cases', view: viewCases, nav: 'nav.cases', href: '#/cases' },
  { path: /^cases\/new$/, need: 'case_write', view: viewRegister,
    nav: 'nav.register', href: '#/cases/new' },
  { path: /^cases\/([^/]+)\/history$/, need: 'cases', view: viewHistory },
  { path: /^cases\/([^/]+)$/, need: 'cases', view: viewCase },
  { path: /^referrals$/, need: 'referrals', view: viewReferrals,
    nav: 'nav.referrals', href: '#/referrals' },
  { path: /^criminal-cases$/, need: 'criminal', view: viewCriminalCases,
    nav: 'nav.criminal', href: '#/criminal-cases' },
  { path: /^criminal-cases\/([^/]+)$/, need: 'criminal',
    view: viewCriminalCase },
  { path: /^offenders$/, need: 'offenders', view: viewOffenders,
    nav: 'nav.offenders', href: '#/offenders' },
  { path: /^agencies$/, need: 'directory', view: viewAgencies,
    nav: 'nav.agencies', href: '#/agencies' },
  { path: /^activities$/, need: 'directory', view: viewActivities,
    nav: 'nav.activities', href: '#/activities' },
  { path: /^instruments$/, need: 'directory', view: viewInstruments,
    nav: 'nav.instruments', href: '#/instruments' },
  { path: /^dashboard$/, need: 'report', view: viewDashboard,
    nav: 'nav.dashboard', href: '#/dashboard' },
  { path: /^print$/, need: 'report', view: (m, p, q, a) =>
    viewDashboard(m, p, q, a, true) },
  { path: /^users$/, need: 'users', view: viewUsers, nav: 'nav.users', href: '#/users' },
  { path: /^audit$/, need: 'audit', view: viewAudit, nav: 'nav.audit', href: '#/audit' },
];

const app = {
  user: null,
  header: document.getElementById('top'),
  main: document.getElementById('main'),
  seq: 0,
};

// Parse "#/cases/C-1?x=1" into ["cases/C-1", URLSearchParams].
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const i = raw.indexOf('?');
  const path = decodeURIComponent(i < 0 ? raw : raw.slice(0, i));
  return [path, new URLSearchParams(i < 0 ? '' : raw.slice(i + 1))];
}

export function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function langSwitch() {
  const cur = getLang();
  const other = languages.find((l) => l.code !== cur);
  return h('button', { type: 'button', class: 'lang', id: 'lang-switch',
    lang: other.code, title: t('switch_language'),
    onclick: () => setLang(other.code) }, other.name);
}

function renderHeader(current) {
  clear(app.header);
  const u = app.user;
  const nav = u ? routes.filter((r) => r.nav && can(u, r.need)) : [];
  app.header.classList.toggle('many', nav.length > 7);
  const menuId = 'main-nav';
  const toggle = h('button', { type: 'button', class: 'menu-toggle',
    'aria-expanded': 'false', 'aria-controls': menuId,
    onclick: (ev) => {
      const open = ev.currentTarget.getAttribute('aria-expanded') !== 'true';
      ev.currentTarget.setAttribute('aria-expanded', String(open));
      document.getElementById(menuId).classList.toggle('open', open);
    } }, t('menu'));
  add(app.header,
    h('a', { class: 'brand', href: u ? homeOf(u) : '#/login' },
      h('span', { class: 'logo', 'aria-hidden': 'true' }, 'ctis'),
      h('span', { class: 'brand-name' }, t('app_name'))),
    nav.length ? toggle : null,
    nav.length ? h('nav', { id: menuId, 'aria-label': t('main_menu') },
      h('ul', {}, nav.map((r) => {
        const href = r.href;
        const here = current === r;
        return h('li', {}, h('a', { href, 'aria-current': here ? 'page' :
          null }, t(r.nav)));
      }))) : null,
    h('div', { class: 'who' },
      u ? h('span', { class: 'user', id: 'who' }, u.username, ' · ',
        t(`role.${u.role}`), u.agency ? ` · ${u.agency}` : '') : null,
      langSwitch(),
      u ? h('button', { type: 'button', id: 'logout', onclick: doLogout },
        t('logout')) : null),
    h('p', { class: 'offline-note', role: 'status' }, t('offline_note')));
}

async function doLogout() {
  try { await api.logout(); } catch (e) { /* gone already */ }
  forgetAll();
  app.user = null;
  go('#/login');
}

export async function render() {
  const seq = ++app.seq;
  const [path, q] = parseHash();
  if (!app.user && path !== 'login') {
    const back = location.hash && path !== '' ? location.hash : '';
    go(`#/login${back ? `?next=${encodeURIComponent(back)}` : ''}`);
    return;
  }
  if (app.user && app.user.must_change_password && path !== 'password') {
    go('#/password');
    return;
  }
  if (path === '' || (!app.user && path !== 'login')) {
    go(homeOf(app.user));
    return;
  }
  let match = null;
  let route = null;
  for (const r of routes) {
    match = r.path.exec(path);
    if (match) { route = r; break; }
  }
  renderHeader(route);
  clear(app.main);
  if (!route || (route.need && !can(app.user, route.need))) {
    app.main.append(h('h1', {}, t('err.not_found')),
      h('p', {}, h('a', { href: homeOf(app.user) }, t('nav.home'))));
    app.main.dataset.shown = location.hash;
    return;
  }
  app.main.append(loading());
  try {
    const frag = document.createDocumentFragment();
    frag.append = (...xs) => add(frag, ...xs);
    await route.view(frag, match.slice(1).map(decodeURIComponent), q, app);
    if (seq !== app.seq) return; /* the user went elsewhere meanwhile */
    clear(app.main).appendChild(frag);
    app.main.dataset.shown = location.hash; /* which page main now shows */
    document.body.classList.toggle('print', path === 'print');
    const h1 = app.main.querySelector('h1');
    if (h1 && app.focusNext) h1.focus();
    app.focusNext = true;
  } catch (e) {
    if (seq !== app.seq) return;
    clear(app.main).appendChild(failed(e));
    app.main.dataset.shown = location.hash;
    console.warn('page failed:', e.code || e.message);
  }
}

app.login = (user, next) => {
  app.user = user;
  if (user.must_change_password) go('#/password');
  else go(next || homeOf(user));
};
app.go = go;
app.render = render;

async function boot() {
  await ready();
  api.setUnauthorizedHandler(() => {
    app.user = null;
    if (!location.hash.startsWith('#/login')) {
      go(`#/login?next=${encodeURIComponent(location.hash)}`);
    }
  });
  api.setPasswordChangeHandler(() => {
    if (app.user) app.user.must_change_password = true;
    go('#/password');
  });
  onLang(() => render());
  window.addEventListener('hashchange', render);
  const net = () => document.body.classList.toggle('offline', !navigator.onLine);
  window.addEventListener('online', net);
  window.addEventListener('offline', net);
  net();
  try {
    app.user = await api.resume();
  } catch (e) {
    app.user = null;
  }
  render();
}

boot();
