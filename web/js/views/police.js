// police.js - criminal cases and offenders for the police role. A linked
// victim is shown by case id only (issue 11: police see no identifying
// fields of victims).
import { h, field, input, select, table, formValues, status } from '../dom.js';
import { t, label, fmtNum, countryName } from '../i18n.js';
import * as api from '../api.js';
import { can } from '../roles.js';
import { keep } from '../drafts.js';
import { codes } from '../../gen/vocab.js';
import { title, onSubmit, section, failed, pager } from '../ui.js';
import { dateCell } from './common.js';

const PER_PAGE = 50;
const today = () => new Date().toISOString().slice(0, 10);

function ccHref(id) { return `#/criminal-cases/${encodeURIComponent(id)}`; }

function lastEvent(cc) {
  const ev = [...(cc.events || [])].sort((a, b) =>
    String(b.date).localeCompare(String(a.date)));
  return ev[0];
}

export async function viewCriminalCases(root, params, q, app) {
  const page = Math.max(1, parseInt(q.get('page') || '1', 10) || 1);
  root.append(title('nav.criminal'));
  if (can(app.user, 'criminal_write')) {
    const out = h('div', { class: 'out', 'aria-live': 'polite' });
    const form = h('form', { class: 'card', id: 'criminal-form' },
      h('div', { class: 'row' },
        field('f.criminal_id', input('id', { required: true,
          pattern: '[A-Za-z0-9._:\\-]{1,63}' })),
        field('f.kind', select('kind', 'criminal_kind', codes.criminal_kind,
          { empty: false })),
        field('f.victim_cases', input('victim_cases'), 'hint.victim_cases'),
        field('f.investigation_date', input('date', { type: 'date',
          required: true, max: today(), value: today() }))),
      h('fieldset', { class: 'checks' }, h('legend', {}, t('first_offender')),
        h('div', { class: 'row' },
          field('f.offender_id', input('offender_id', {
            pattern: '[A-Za-z0-9._:\\-]{1,63}' })),
          field('f.sex', select('offender_sex', 'sex', codes.sex,
            { empty: t('unknown') })),
          field('f.role', select('offender_role', 'offender_role',
            codes.offender_role, { empty: false })))),
      h('button', { type: 'submit', class: 'primary' }, t('add_criminal')),
      out);
    const draft = keep(form, 'criminal');
    onSubmit(form, out, () => {
      const v = formValues(form);
      return api.post('criminal-cases', {
        id: v.id, kind: v.kind,
        victim_cases: (v.victim_cases || '').split(/[\s,;]+/).filter(Boolean),
        offenders: v.offender_id ? [Object.assign({ id: v.offender_id,
          role: v.offender_role }, v.offender_sex ? { sex: v.offender_sex } :
          {})] : [],
        events: [{ type: 'investigation', date: v.date }],
      }, draft.key());
    }, (r) => {
      draft.done();
      app.go(ccHref((r.data && r.data.id) || formValues(form).id));
    }, draft);
    root.append(h('details', { class: 'add' }, h('summary', {},
      t('add_criminal')), form));
  }
  let r;
  try {
    r = await api.get('criminal-cases', { page, per_page: PER_PAGE });
  } catch (e) {
    root.append(failed(e));
    return;
  }
  const rows = api.items(r.data);
  root.append(table([
    { key: 'f.criminal_id', th: true, get: (c) => h('a', { href: ccHref(c.id) },
      c.id) },
    { key: 'f.kind', get: (c) => label('criminal_kind', c.kind) },
    { key: 'f.offenders', num: true, get: (c) =>
      fmtNum((c.offenders || []).length) },
    { key: 'f.victim_cases', num: true, get: (c) =>
      fmtNum((c.victim_cases || []).length) },
    { key: 'f.last_event', get: (c) => {
      const e = lastEvent(c);
      return e ? [label('criminal_event', e.type), ' ', dateCell(e.date)] : '';
    } },
  ], rows), pager(page, !!r.links.next || rows.length === PER_PAGE,
    (p) => app.go(`#/criminal-cases?page=${p}`)));
}

export async function viewCriminalCase(root, params, q, app) {
  const id = params[0];
  let r;
  try {
    r = await api.get(`criminal-cases/${api.enc(id)}`);
  } catch (e) {
    root.append(title('criminal_case'), failed(e));
    return;
  }
  const cc = r.data;
  const note = q.get('msg');
  root.append(title('criminal_case', cc.id), note ? status('ok', note) : null,
    h('p', {}, h('span', { class: 'badge' }, label('criminal_kind', cc.kind))));
  const offenders = cc.offenders || [];
  root.append(h('div', { class: 'grid2' },
    section('f.offenders', table([
      { key: 'f.offender_id', th: true, get: (o) => o.id },
      { key: 'f.sex', get: (o) => label('sex', o.sex) },
      { key: 'f.citizenship', get: (o) => countryName(o.citizenship) },
      { key: 'f.role', get: (o) => label('offender_role', o.role) },
    ], offenders)),
    section('f.victim_cases', h('ul', { class: 'plain' },
      (cc.victim_cases || []).map((v) => h('li', {}, can(app.user, 'cases') ?
        h('a', { href: `#/cases/${encodeURIComponent(v)}` }, v) : v)))),
    section('timeline', table([
      { key: 'f.date', get: (e) => dateCell(e.date) },
      { key: 'f.event_type', get: (e) => label('criminal_event', e.type) },
      { key: 'f.offender_id', get: (e) => e.offender || '' },
      { key: 'f.sentence_months', num: true, get: (e) =>
        (e.sentence_months >= 0 ? fmtNum(e.sentence_months) : '') },
      { key: 'f.law_articles', get: (e) => e.law_articles || '' },
    ], [...(cc.events || [])].sort((a, b) =>
      String(a.date).localeCompare(String(b.date)))))));
  void app;
}

export async function viewOffenders(root, params, q, app) {
  const page = Math.max(1, parseInt(q.get('page') || '1', 10) || 1);
  root.append(title('nav.offenders'));
  let r;
  try {
    r = await api.get('offenders', { page, per_page: PER_PAGE });
  } catch (e) {
    root.append(failed(e));
    return;
  }
  const rows = api.items(r.data);
  root.append(table([
    { key: 'f.offender_id', th: true, get: (o) => o.id },
    { key: 'f.sex', get: (o) => label('sex', o.sex) },
    { key: 'f.citizenship', get: (o) => countryName(o.citizenship) },
    { key: 'f.role', get: (o) => label('offender_role', o.role) },
    { key: 'nav.criminal', get: (o) => (o.criminal_cases || []).map((id, i) =>
      [i ? ', ' : '', h('a', { href: ccHref(id) }, id)]) },
  ], rows), pager(page, !!r.links.next || rows.length === PER_PAGE,
    (p) => app.go(`#/offenders?page=${p}`)));
}
