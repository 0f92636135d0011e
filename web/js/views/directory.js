// directory.js - agencies (who does what where), prevention activities and
// policy instruments.
import { h, field, input, select, selectItems, checks, table, formValues }
  from '../dom.js';
import { t, label, provinceName, countryName, fmtNum, getLang } from
  '../i18n.js';
import * as api from '../api.js';
import { can } from '../roles.js';
import { keep } from '../drafts.js';
import { codes, provinces } from '../../gen/vocab.js';
import { title, onSubmit, failed } from '../ui.js';
import { provinceItems } from './cases.js';
import { dateCell } from './common.js';

function filterForm(app, base, q, fields) {
  const form = h('form', { class: 'filters card', role: 'search' },
    h('div', { class: 'row' }, fields),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, t('filter')),
      h('a', { class: 'button', href: base }, t('clear'))));
  for (const el of form.elements) {
    if (el.name && q.get(el.name)) el.value = q.get(el.name);
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(formValues(form))) if (v) p.set(k, v);
    app.go(`${base}${p.toString() ? `?${p}` : ''}`);
  });
  return form;
}

function provincesOf(a) {
  const ps = a.provinces || [];
  if (ps.length === provinces.length) return t('all_provinces');
  return ps.map((p) => provinceName(p)).join(', ');
}

export async function viewAgencies(root, params, q, app) {
  root.append(title('nav.agencies'), h('p', { class: 'lead' },
    t('agencies_lead')));
  root.append(filterForm(app, '#/agencies', q, [
    field('f.province', selectItems('province', provinceItems())),
    field('f.pillar', select('pillar', 'pillar', codes.pillar)),
    field('f.kind', select('kind', 'agency_kind', codes.agency_kind)),
  ]));
  let rows;
  try {
    rows = await api.all('agencies');
  } catch (e) {
    root.append(failed(e));
    return;
  }
  if (can(app.user, 'agency_write')) {
    root.append(agencyForm(app), intervalForm(app, rows));
  }
  const pv = q.get('province');
  const pl = q.get('pillar');
  const kd = q.get('kind');
  if (pv) rows = rows.filter((a) => (a.provinces || []).includes(pv));
  if (pl) rows = rows.filter((a) => (a.pillars || []).includes(pl));
  if (kd) rows = rows.filter((a) => a.kind === kd);
  root.append(table([
    { key: 'f.agency_name', th: true, get: (a) => a.name || a.id },
    { key: 'f.kind', get: (a) => label('agency_kind', a.kind) },
    { key: 'f.pillars', get: (a) => (a.pillars || []).map((x) =>
      label('pillar', x)).join(', ') },
    { key: 'f.provinces', get: (a) => provincesOf(a) },
    { key: 'f.visit_interval', num: true, get: (a) =>
      (a.monitoring_interval_days ? fmtNum(a.monitoring_interval_days) : '') },
  ], rows, { caption: t('n_agencies', { n: fmtNum(rows.length) }) }));
  root.append(whoWhere(rows));
}

// Provinces by pillar: how many of the listed agencies work in each.
function whoWhere(rows) {
  return h('details', { class: 'card' }, h('summary', {}, t('who_where')),
    table([
      { key: 'f.province', th: true, get: (p) => (getLang() === 'km' ?
        p.name_km : p.name) },
      ...codes.pillar.map((pl) => ({ text: label('pillar', pl), num: true,
        get: (p) => fmtNum(rows.filter((a) => (a.provinces || [])
          .includes(p.code) && (a.pillars || []).includes(pl)).length) })),
    ], provinces));
}

// The monitoring interval of one agency (days; default 90): PATCH with
// the version just read, so a concurrent change is refused, not lost.
function intervalForm(app, rows) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  const form = h('form', { id: 'interval-form' },
    h('div', { class: 'row' },
      field('f.agency', selectItems('agency', rows.map((a) => ({
        value: a.id, text: a.name || a.id })), { required: true,
        empty: t('choose') })),
      field('f.visit_interval', input('days', { type: 'number', min: 1,
        max: 3650, required: true, value: 90 }))),
    h('button', { type: 'submit', class: 'primary' }, t('save')), out);
  onSubmit(form, out, async () => {
    const v = formValues(form);
    const cur = await api.get(`agencies/${api.enc(v.agency)}`);
    return api.request('PATCH', `agencies/${api.enc(v.agency)}`, { body:
      { monitoring_interval_days: parseInt(v.days, 10) }, etag: cur.etag });
  }, () => app.go(`#/agencies?t=${Date.now()}`));
  return h('details', { class: 'add' }, h('summary', {},
    t('set_visit_interval')), form);
}

function agencyForm(app) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  const form = h('form', { id: 'agency-form' },
    h('div', { class: 'row' },
      field('f.agency_id', input('id', { required: true,
        pattern: '[A-Za-z0-9._:\\-]{1,63}' })),
      field('f.agency_name', input('name', { required: true })),
      field('f.kind', select('kind', 'agency_kind', codes.agency_kind,
        { empty: false }))),
    checks('pillars', 'pillar', codes.pillar, 'f.pillars'),
    h('fieldset', { class: 'checks' }, h('legend', {}, t('f.provinces')),
      provinces.map((p) => {
        const id = `prov-${p.code}`;
        return h('span', { class: 'check' }, h('input', { type: 'checkbox',
          id, name: 'provinces', value: p.code }),
        h('label', { for: id }, getLang() === 'km' ? p.name_km : p.name));
      })),
    h('button', { type: 'submit', class: 'primary' }, t('save')), out);
  const draft = keep(form, 'agency');
  onSubmit(form, out, () => {
    const v = formValues(form);
    const body = { id: v.id, name: v.name, kind: v.kind,
      pillars: v.pillars || [], provinces: v.provinces || [] };
    return api.post('agencies', body, draft.key());
  }, () => {
    draft.done();
    app.go(`#/agencies?t=${Date.now()}`);
  }, draft);
  return h('details', { class: 'add' }, h('summary', {}, t('add_agency')),
    form);
}

export async function viewActivities(root, params, q, app) {
  root.append(title('nav.activities'));
  root.append(filterForm(app, '#/activities', q, [
    field('f.province', selectItems('province', provinceItems())),
    field('f.kind', select('kind', 'activity_kind', codes.activity_kind)),
    field('f.year', input('year', { type: 'number', min: 1990, max: 2100 })),
  ]));
  if (can(app.user, 'activity_write')) root.append(await activityForm(app));
  let rows;
  try {
    rows = await api.all('activities');
  } catch (e) {
    root.append(failed(e));
    return;
  }
  const yr = parseInt(q.get('year') || '', 10);
  if (yr) {
    rows = rows.filter((a) => (!a.start || +a.start.slice(0, 4) <= yr) &&
      (!a.end || +a.end.slice(0, 4) >= yr));
  }
  if (q.get('kind')) rows = rows.filter((a) => a.kind === q.get('kind'));
  if (q.get('province')) {
    rows = rows.filter((a) => a.province === q.get('province'));
  }
  root.append(table([
    { key: 'f.kind', th: true, get: (a) => label('activity_kind', a.kind) },
    { key: 'f.agency', get: (a) => a.agency },
    { key: 'f.province', get: (a) => provinceName(a.province) },
    { key: 'f.start', get: (a) => dateCell(a.start) },
    { key: 'f.end', get: (a) => dateCell(a.end) },
    { key: 'f.reached', num: true, get: (a) => (a.reached >= 0 ?
      fmtNum(a.reached) : '') },
  ], rows, { caption: t('n_activities', { n: fmtNum(rows.length) }) }));
}

export async function viewInstruments(root, params, q, app) {
  root.append(title('nav.instruments'));
  if (can(app.user, 'instrument_write')) root.append(instrumentForm(app));
  let rows;
  try {
    rows = await api.all('instruments');
  } catch (e) {
    root.append(failed(e));
    return;
  }
  root.append(table([
    { key: 'f.title', th: true, get: (i) => i.title },
    { key: 'f.kind', get: (i) => label('instrument_kind', i.kind) },
    { key: 'f.date', get: (i) => dateCell(i.date) },
    { key: 'f.parties', get: (i) => (i.parties || []).map((p) =>
      countryName(p)).join(', ') },
  ], rows));
}

async function activityForm(app) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  let ags = [];
  if (app.user.role === 'admin') {
    try {
      ags = (await api.all('agencies')).map((a) => ({ value: a.id,
        text: a.name || a.id }));
    } catch (e) { ags = []; }
  }
  const form = h('form', { id: 'activity-form' },
    h('div', { class: 'row' },
      field('f.activity_id', input('id', { required: true,
        pattern: '[A-Za-z0-9._:\\-]{1,63}' })),
      ags.length ? field('f.agency', selectItems('agency', ags,
        { required: true, empty: t('choose') })) : null,
      field('f.kind', select('kind', 'activity_kind', codes.activity_kind,
        { empty: false })),
      field('f.province', selectItems('province', provinceItems(),
        { empty: t('unknown') }))),
    h('div', { class: 'row' },
      field('f.start', input('start', { type: 'date' })),
      field('f.end', input('end', { type: 'date' })),
      field('f.reached', input('reached', { type: 'number', min: 0 }))),
    h('button', { type: 'submit', class: 'primary' }, t('save')), out);
  const draft = keep(form, 'activity');
  onSubmit(form, out, () => {
    const v = formValues(form);
    const body = { id: v.id, agency: v.agency || app.user.agency,
      kind: v.kind };
    for (const k of ['province', 'start', 'end']) if (v[k]) body[k] = v[k];
    if (v.reached) body.reached = parseInt(v.reached, 10);
    return api.post('activities', body, draft.key());
  }, () => {
    draft.done();
    app.go(`#/activities?t=${Date.now()}`);
  }, draft);
  return h('details', { class: 'add' }, h('summary', {}, t('add_activity')),
    form);
}

function instrumentForm(app) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  const form = h('form', { id: 'instrument-form' },
    h('div', { class: 'row' },
      field('f.instrument_id', input('id', { required: true,
        pattern: '[A-Za-z0-9._:\\-]{1,63}' })),
      field('f.title', input('title', { required: true })),
      field('f.kind', select('kind', 'instrument_kind', codes.instrument_kind,
        { empty: false })),
      field('f.date', input('date', { type: 'date' })),
      field('f.parties', input('parties', { pattern: '[A-Za-z, ]*' }),
        'hint.parties')),
    h('button', { type: 'submit', class: 'primary' }, t('save')), out);
  const draft = keep(form, 'instrument');
  onSubmit(form, out, () => {
    const v = formValues(form);
    const body = { id: v.id, title: v.title, kind: v.kind };
    if (v.date) body.date = v.date;
    const parties = (v.parties || '').toUpperCase().split(/[\s,]+/)
      .filter(Boolean);
    if (parties.length) body.parties = parties;
    return api.post('instruments', body, draft.key());
  }, () => {
    draft.done();
    app.go(`#/instruments?t=${Date.now()}`);
  }, draft);
  return h('details', { class: 'add' }, h('summary', {},
    t('add_instrument')), form);
}
