// cases.js - the case list: search by case id or by name (Latin or Khmer
// script; the server's person search matches romanisation variants and
// swapped name order), filters by province, status, stage, movement and
// year, paged. Lists never hold names (issue 11); a case's page does.
import { h, field, input, select, selectItems, table, formValues, status }
  from '../dom.js';
import { t, label, getLang, fmtNum } from '../i18n.js';
import * as api from '../api.js';
import { can } from '../roles.js';
import { codes, provinces } from '../../gen/vocab.js';
import { title, pager, failed } from '../ui.js';
import { caseLink, caseHref, stageLabel, stageOf, place, dateCell } from
  './common.js';

export const STAGES = ['registered', 'identification', 'rescue',
  'shelter_admission', 'shelter_exit', 'repatriation', 'family_tracing',
  'family_assessment', 'reintegration', 'monitoring_visit', 'closure',
  're_trafficked'];
const PER_PAGE = 50;
const FILTERS = ['q', 'status', 'stage', 'province', 'movement', 'year'];
const ID_RE = /^[A-Za-z0-9._:-]{1,63}$/;
// The server filters by status, movement, province, agency and year; the
// stage is filtered here over at most this many cases.
const STAGE_SCAN = 5000;

export function provinceItems() {
  return provinces.map((p) => ({ value: p.code,
    text: getLang() === 'km' ? p.name_km : p.name }));
}

function caseColumns() {
  return [
    { key: 'f.case_id', th: true, get: (c) => caseLink(c.id) },
    { key: 'f.province', get: (c) => place(c) },
    { key: 'f.status', get: (c) => label('status', c.status) },
    { key: 'f.stage', get: (c) => stageLabel(stageOf(c)) },
    { key: 'f.movement', get: (c) => label('movement', c.movement) },
    { key: 'f.identified', get: (c) => dateCell(c.identification_date) },
    { key: 'f.agency', get: (c) => c.agency || '' },
  ];
}

async function searchResults(root, query, app) {
  const qtext = query.q.trim();
  const found = [];
  if (ID_RE.test(qtext) && /\d/.test(qtext)) {
    try {
      const r = await api.get(`cases/${api.enc(qtext)}`);
      found.push(r.data);
    } catch (e) {
      if (e.status !== 404) throw e;
    }
  }
  let matches = [];
  if (can(app.user, 'search')) {
    const r = await api.get('search', { q: qtext, province: query.province,
      born: query.born });
    matches = api.items(r.data).filter((m) => !found.some((c) =>
      c.id === m.case));
  }
  if (found.length === 1 && matches.length === 0) {
    app.go(caseHref(found[0].id));
    return;
  }
  root.append(h('div', { class: 'results', id: 'case-results' },
    found.length ? table(caseColumns(), found) : null,
    table([
      { key: 'f.case_id', th: true, get: (m) => caseLink(m.case) },
      { key: 'f.agency', get: (m) => m.agency || '' },
      { key: 'f.score', num: true, get: (m) => (m.weight !== undefined ?
        fmtNum(Math.round(m.weight * 10) / 10) : '') },
    ], matches, { caption: t('results_for', { q: qtext }),
      empty: found.length ? t('no_other_match') : t('none_found') })));
}

async function stageList(query, stage) {
  const rows = [];
  let scanned = 0;
  let total = null;
  for (let page = 1; scanned < STAGE_SCAN; page++) {
    const r = await api.get('cases', Object.assign({}, query,
      { page, per_page: 500 }));
    const got = api.items(r.data);
    total = r.data.total ?? total;
    scanned += got.length;
    rows.push(...got.filter((c) => stageOf(c) === stage));
    if (got.length < 500) break;
  }
  return { rows, scanned, total };
}

export async function viewCases(root, params, q, app) {
  const page = Math.max(1, parseInt(q.get('page') || '1', 10) || 1);
  const form = h('form', { class: 'filters card', role: 'search',
    id: 'case-search' },
  field(can(app.user, 'search') ? 'search_label' : 'search_id_label',
    input('q', { type: 'search', placeholder: t(can(app.user, 'search') ?
      'search_placeholder' : 'search_id_placeholder') }),
    can(app.user, 'search') ? 'hint.search' : null),
  h('div', { class: 'row' },
    field('f.status', select('status', 'status', codes.status)),
    field('f.stage', select('stage', 'stage', STAGES)),
    field('f.province', selectItems('province', provinceItems())),
    field('f.movement', select('movement', 'movement', codes.movement)),
    field('f.year', input('year', { type: 'number', min: 1990, max: 2100,
      inputmode: 'numeric' }))),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, t('search')),
    h('a', { href: '#/cases', class: 'button' }, t('clear'))));
  for (const k of FILTERS) {
    if (q.get(k) && form.elements[k]) form.elements[k].value = q.get(k);
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    const p = new URLSearchParams();
    for (const k of FILTERS) if (v[k]) p.set(k, v[k]);
    app.go(`#/cases${p.toString() ? `?${p}` : ''}`);
  });
  root.append(title('nav.cases'));
  if (q.get('transferred')) {
    root.append(status('ok', t('transferred_n', { id: q.get('transferred') })));
  }
  if (can(app.user, 'case_write')) {
    root.append(h('p', {}, h('a', { class: 'button primary',
      href: '#/cases/new' }, t('nav.register'))));
  }
  root.append(form);
  const query = {};
  for (const k of FILTERS) if (q.get(k)) query[k] = q.get(k);
  try {
    if (query.q) {
      await searchResults(root, query, app);
      return;
    }
    const stage = query.stage;
    delete query.stage;
    if (stage) {
      const s = await stageList(query, stage);
      const shown = s.rows.slice((page - 1) * PER_PAGE, page * PER_PAGE);
      root.append(h('div', { class: 'results', id: 'case-results' },
        table(caseColumns(), shown, { caption: t('nav.cases') }),
        s.total && s.scanned < s.total ? status('info', t('stage_scanned',
          { n: fmtNum(s.scanned), total: fmtNum(s.total) })) : null,
        pager(page, page * PER_PAGE < s.rows.length, (p) => {
          const n = new URLSearchParams(q);
          n.set('page', p);
          app.go(`#/cases?${n}`);
        }, s.rows.length)));
      return;
    }
    const r = await api.get('cases', Object.assign(query,
      { page, per_page: PER_PAGE }));
    const rows = api.items(r.data);
    const total = r.data.total ?? (r.total ? Number(r.total) : null);
    const more = !!r.links.next || (total !== null ? page * PER_PAGE < total :
      rows.length === PER_PAGE);
    root.append(h('div', { class: 'results', id: 'case-results' },
      table(caseColumns(), rows, { caption: t('nav.cases') }),
      pager(page, more, (p) => {
        const n = new URLSearchParams(q);
        n.set('page', p);
        app.go(`#/cases?${n}`);
      }, total !== null ? fmtNum(total) : null)));
  } catch (e) {
    root.append(failed(e));
  }
}
