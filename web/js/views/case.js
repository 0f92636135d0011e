// case.js - one case: the person, the facts, the timeline of events, a
// form for each event type of DESIGN.md, the status change (If-Match on
// the version shown: a stale change is refused, never lost), the transfer
// to another agency with the person's consent, and the history.
import { h, field, input, select, selectItems, checkbox, table, clear,
  status, formValues } from '../dom.js';
import { t, label, fmtDate, provinceName, countryName, fmtNum } from
  '../i18n.js';
import * as api from '../api.js';
import { can } from '../roles.js';
import { keep } from '../drafts.js';
import { codes } from '../../gen/vocab.js';
import { title, onSubmit, section, failed } from '../ui.js';
import { countryItems } from './register.js';
import { personName, stageLabel, stageOf, eventDetails, dateCell } from
  './common.js';

const today = () => new Date().toISOString().slice(0, 10);

let agencyCache = null;
export async function agencyItems() {
  if (!agencyCache) {
    agencyCache = await api.all('agencies');
  }
  return agencyCache.map((a) => ({ value: a.id, text: a.name || a.id }));
}

function facts(c) {
  const p = c.person || {};
  const rows = [
    ['f.name', personName(p)],
    ['f.sex', label('sex', p.sex)],
    ['f.birth', p.birth_date ? fmtDate(p.birth_date) : (p.birth_year ||
      (p.age !== undefined && p.age !== null && p.age >= 0 ?
        t('age_n', { n: p.age }) : ''))],
    ['f.citizenship', countryName(p.citizenship)],
    ['f.home_province', [provinceName(p.home_province), p.home_district,
      p.home_commune, p.home_village].filter(Boolean).join(', ')],
    ['f.phone', p.phone], ['f.email', p.email],
    ['f.trafficking_status', label('trafficking_status', c.trafficking_status)],
    ['f.movement', label('movement', c.movement)],
    ['f.exploitation', (c.exploitation || []).map((x) =>
      label('exploitation', x)).join(', ')],
    ['f.labour_sector', label('labour_sector', c.labour_sector)],
    ['f.means', (c.means || []).map((x) => label('means', x)).join(', ')],
    ['f.recruiter_relationship', label('recruiter_relationship',
      c.recruiter_relationship)],
    ['f.destination', [countryName(c.destination_country),
      provinceName(c.destination_province), c.destination_city]
      .filter(Boolean).join(', ')],
    ['f.agency', c.agency],
  ].filter((r) => r[1] !== '' && r[1] !== undefined && r[1] !== null);
  return h('dl', { class: 'facts' }, rows.map(([k, v]) =>
    [h('dt', {}, t(k)), h('dd', {}, v)]));
}

function timeline(events) {
  const ev = [...(events || [])].sort((a, b) =>
    String(a.date).localeCompare(String(b.date)));
  if (!ev.length) return h('p', { class: 'empty' }, t('no_events'));
  return h('ol', { class: 'timeline', id: 'timeline' }, ev.map((e) =>
    h('li', { class: `ev ev-${e.type}` },
      h('time', { datetime: e.date }, fmtDate(e.date)),
      h('strong', {}, label('event_type', e.type)),
      eventDetails(e) ? h('span', { class: 'details' }, eventDetails(e)) :
        null)));
}

// The fields of one event type's form, after its date.
async function eventFields(type) {
  if (type === 'repatriation') {
    const to = selectItems('to_country', countryItems(), { required: true,
      empty: false });
    to.value = 'KH';
    return [
      field('f.from_country', selectItems('from_country', countryItems(),
        { required: true, empty: t('choose') })),
      field('f.to_country', to),
      checkbox('official', 'f.official'),
    ];
  }
  if (type === 'service') {
    return [field('f.service', select('service', 'service', codes.service,
      { required: true, empty: t('choose') }))];
  }
  if (type === 'referral') {
    return [
      field('f.referral_to', select('to', 'referral', codes.referral,
        { required: true, empty: t('choose') }), 'hint.referral_agency'),
    ];
  }
  return [];
}

function eventBody(type, v) {
  const e = { type, date: v.date };
  if (type === 'repatriation') {
    e.from_country = v.from_country;
    e.to_country = v.to_country;
    e.official = !!v.official;
  }
  if (type === 'service') e.service = v.service;
  if (type === 'referral') e.to = v.to;
  return e;
}

async function eventForm(c, type, app, reload) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  const form = h('form', { class: 'event-form', id: `event-${type}`,
    dataset: { type } },
  h('div', { class: 'row' },
    field('f.date', input('date', { type: 'date', required: true,
      max: today(), value: today() })),
    await eventFields(type)),
  h('button', { type: 'submit', class: 'primary' }, t('add_event_btn',
    { what: label('event_type', type) })),
  out);
  const draft = keep(form, `event.${c.id}.${type}`);
  onSubmit(form, out, () => {
    const v = formValues(form);
    return api.post(`cases/${api.enc(c.id)}/events`, eventBody(type, v),
      draft.key());
  }, () => {
    draft.done();
    reload(t('event_added', { what: label('event_type', type) }));
  }, draft);
  return form;
}

function eventPicker(c, app, reload) {
  const holder = h('div', { class: 'event-holder' });
  const types = codes.event_type;
  const pick = select('event_type', 'event_type', types, { empty:
    t('choose'), id: 'event-type' });
  let shown = 0; /* only the latest choice's form is shown */
  pick.addEventListener('change', async () => {
    const mine = ++shown;
    clear(holder);
    if (!pick.value) return;
    const form = await eventForm(c, pick.value, app, reload);
    if (mine === shown) clear(holder).append(form);
  });
  return h('div', { class: 'event-picker' }, field('f.event_type', pick),
    holder);
}

function statusForm(c, etag, reload) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  const sel = select('status', 'status', codes.status, { empty: false });
  sel.value = c.status || 'open';
  const form = h('form', { class: 'inline' }, field('f.status', sel),
    h('button', { type: 'submit' }, t('save')), out);
  onSubmit(form, out, () => api.patch(`cases/${api.enc(c.id)}`,
    { status: sel.value }, etag), () => reload(t('saved')));
  return form;
}

async function transferForm(c, app) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  let ags = [];
  try { ags = (await agencyItems()).filter((a) => a.value !== c.agency); } catch (e) {
    ags = [];
  }
  const form = h('form', { class: 'transfer', id: 'transfer-form' },
    h('div', { class: 'row' },
      field('f.to_agency', selectItems('to', ags, { required: true,
        empty: t('choose') })),
      field('f.consent', selectItems('consent', ['given', 'not_required',
        'refused'].map((x) => ({ value: x, text: t(`consent.${x}`) })),
      { required: true, empty: t('choose') }), 'hint.consent')),
    field('f.note', input('note', { maxlength: 150 }), 'hint.note'),
    h('button', { type: 'submit', class: 'primary' }, t('transfer_btn')), out);
  const draft = keep(form, `transfer.${c.id}`);
  onSubmit(form, out, () => {
    const v = formValues(form);
    const body = { to: v.to, consent: v.consent };
    if (v.note) body.note = v.note;
    return api.post(`cases/${api.enc(c.id)}/transfer`, body, draft.key());
  }, () => {
    draft.done();
    /* The case is the other agency's now: this one may no longer see it. */
    app.go(`#/cases?transferred=${encodeURIComponent(c.id)}`);
  }, draft);
  return form;
}

// Refer the person to another agency for a service; that agency accepts
// or declines (referrals.js).
async function referralForm(c, reload) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  let ags = [];
  try { ags = (await agencyItems()).filter((a) => a.value !== c.agency); } catch (e) {
    ags = [];
  }
  const form = h('form', { id: 'referral-form' },
    h('div', { class: 'row' },
      field('f.to_agency', selectItems('to', ags, { required: true,
        empty: t('choose') })),
      field('f.service', select('service', 'service', codes.service,
        { required: true, empty: t('choose') }))),
    h('button', { type: 'submit', class: 'primary' }, t('refer_btn')), out);
  const draft = keep(form, `referral.${c.id}`);
  onSubmit(form, out, () => {
    const v = formValues(form);
    return api.post(`cases/${api.enc(c.id)}/referrals`, { to: v.to,
      service: v.service }, draft.key());
  }, () => {
    draft.done();
    reload(t('referred'));
  }, draft);
  return form;
}

async function referralList(c) {
  let rows = [];
  try {
    rows = api.items((await api.get(`cases/${api.enc(c.id)}/referrals`)).data);
  } catch (e) {
    return failed(e);
  }
  return table([
    { key: 'f.to_agency', th: true, get: (r) => r.to_agency },
    { key: 'f.from_agency', get: (r) => r.from_agency },
    { key: 'f.service', get: (r) => label('service', r.service) },
    { key: 'f.state', get: (r) => t(`state.${r.state}`) },
    { key: 'f.when', get: (r) => fmtDate(r.at) },
  ], rows, { empty: t('no_referrals_case'), class: 'case-referrals' });
}

export async function viewCase(root, params, q, app) {
  const id = params[0];
  let r;
  try {
    r = await api.get(`cases/${api.enc(id)}`);
  } catch (e) {
    root.append(title('case'), failed(e));
    return;
  }
  const c = r.data.case || r.data;
  const etag = r.etag || (c.version !== undefined ? `"${c.version}"` : null);
  const note = q.get('msg');
  const reload = (msg) => app.go(`#/cases/${api.enc(id)}?msg=${
    encodeURIComponent(msg)}&t=${Date.now()}`);
  const writable = can(app.user, 'case_write');
  root.append(title('case', c.id),
    note ? status('ok', note) : null,
    h('p', { class: 'badges' },
      h('span', { class: `badge st-${c.status}` }, label('status', c.status)),
      h('span', { class: 'badge' }, t('f.stage'), ': ',
        stageLabel(stageOf(c))),
      c.version !== undefined ? h('span', { class: 'badge muted' },
        t('version_n', { n: fmtNum(c.version) })) : null,
      can(app.user, 'history') ? h('a', { href:
        `#/cases/${api.enc(c.id)}/history`, id: 'history-link' },
      t('history')) : null));
  const grid = h('div', { class: 'grid2' });
  grid.append(section('facts', facts(c)),
    section('timeline', timeline(c.events)));
  root.append(grid);
  if (writable && can(app.user, 'events')) {
    root.append(section('add_event', eventPicker(c, app, reload)));
  }
  if (writable) {
    root.append(section('change_status', statusForm(c, etag, reload)));
  }
  if (can(app.user, 'referrals')) {
    root.append(section('referrals_of_case', await referralList(c),
      h('h3', {}, t('refer_title')), await referralForm(c, reload)));
  }
  if (can(app.user, 'transfer')) {
    root.append(section('transfer', h('p', { class: 'hint' },
      t('transfer_text')), await transferForm(c, app)));
  }
}

// "agency, person.home_province, events[3]" in the reader's language;
// "(created)" and "(not recorded)" as words.
function changedFields(s) {
  if (!s) return '';
  if (s === '(created)') return t('created');
  if (s === '(not recorded)') return t('not_recorded');
  return s.split(', ').map((f) => {
    const k = `f.${f.replace(/^person\./, '').replace(/\[\d+\]$/, '')}`;
    const name = t(k);
    return name === k ? f : name;
  }).join(', ');
}

export async function viewHistory(root, params) {
  const id = params[0];
  root.append(title('history_of', id),
    h('p', {}, h('a', { href: `#/cases/${api.enc(id)}` }, t('back_to_case'))));
  let r;
  try {
    r = await api.get(`cases/${api.enc(id)}/history`);
  } catch (e) {
    root.append(failed(e));
    return;
  }
  const rows = api.items(r.data);
  root.append(table([
    { key: 'f.version', th: true, get: (v) => fmtNum(v.version) },
    { key: 'f.when', get: (v) => fmtDate(v.at) },
    { key: 'f.who', get: (v) => v.actor || '' },
    { key: 'f.what', get: (v) => label('op', v.op) },
    { key: 'f.changed', get: (v) => changedFields(v.changed) },
    { key: 'f.note', get: (v) => v.note || '' },
  ], rows, { empty: t('no_history'), class: 'history' }));
}
