// register.js - registering a person and a case. Before the case is
// saved, the person search looks for the same person already registered
// (names in either script, romanisation variants; ops/'s rule of a likely
// duplicate) and shows them; the worker opens one or saves a new case.
// The form is kept locally until the server has it (drafts.js), and its
// create carries one Idempotency-Key however often it is sent.
import { h, field, input, select, selectItems, checks, formValues, table,
  clear, status } from '../dom.js';
import { t, countryName, fmtNum } from '../i18n.js';
import * as api from '../api.js';
import { keep } from '../drafts.js';
import { codes, countries, rules } from '../../gen/vocab.js';
import { title, onSubmit } from '../ui.js';
import { provinceItems } from './cases.js';
import { caseLink, caseHref, personName, place } from './common.js';

export function countryItems() {
  const first = ['KH', 'TH', 'VN', 'MY', 'LA', 'CN', 'KR', 'TW', 'SA'];
  const main = first.map((c) => ({ value: c, text: countryName(c) }));
  const rest = countries.filter((c) => !first.includes(c.code))
    .map((c) => ({ value: c.code, text: countryName(c.code) }));
  return main.concat(rest);
}

function suggestId(agency) {
  const d = new Date();
  const ymd = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}` +
    `${String(d.getDate()).padStart(2, '0')}`;
  const r = api.newKey().replace(/-/g, '').slice(0, 5).toUpperCase();
  return `${(agency || 'C').replace(/[^A-Za-z0-9._:-]/g, '')}-${ymd}-${r}`;
}

const today = () => new Date().toISOString().slice(0, 10);

// The JSON of issue 11's POST /api/cases (docs/formats.md's case record).
export function caseBody(v, agency) {
  const person = {};
  for (const k of ['given_name', 'family_name', 'given_name_km',
    'family_name_km', 'sex', 'birth_date', 'citizenship', 'home_province',
    'home_district', 'home_commune', 'home_village', 'phone', 'email']) {
    if (v[k]) person[k] = v[k];
  }
  if (v.birth_year) person.birth_year = parseInt(v.birth_year, 10);
  if (v.age) person.age = parseInt(v.age, 10);
  const c = { id: v.id, agency, person };
  for (const k of ['trafficking_status', 'movement', 'labour_sector',
    'recruiter_relationship', 'destination_country', 'destination_province',
    'destination_city']) {
    if (v[k]) c[k] = v[k];
  }
  if (v.exploitation && v.exploitation.length) c.exploitation = v.exploitation;
  if (v.means && v.means.length) c.means = v.means;
  c.events = [{ type: 'identification', date: v.identification_date }];
  return c;
}

export async function viewRegister(root, params, q, app) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  const dup = h('div', { class: 'dup', 'aria-live': 'polite' });
  const form = h('form', { class: 'register', id: 'register-form' },
    h('fieldset', { class: 'card' }, h('legend', {}, t('person')),
      h('div', { class: 'row' },
        field('f.given_name', input('given_name', { autocomplete: 'off' })),
        field('f.family_name', input('family_name', { autocomplete: 'off' }))),
      h('div', { class: 'row' },
        field('f.given_name_km', input('given_name_km', { lang: 'km',
          autocomplete: 'off' })),
        field('f.family_name_km', input('family_name_km', { lang: 'km',
          autocomplete: 'off' }))),
      h('div', { class: 'row' },
        field('f.sex', select('sex', 'sex', codes.sex, { empty: t('unknown') })),
        field('f.birth_date', input('birth_date', { type: 'date' })),
        field('f.birth_year', input('birth_year', { type: 'number', min: 1900,
          max: 2100, inputmode: 'numeric' })),
        field('f.age', input('age', { type: 'number', min: 0, max: 120,
          inputmode: 'numeric' }), 'hint.age')),
      h('div', { class: 'row' },
        field('f.citizenship', selectItems('citizenship', countryItems(),
          { empty: t('unknown') })),
        field('f.home_province', selectItems('home_province', provinceItems(),
          { empty: t('unknown') })),
        field('f.home_district', input('home_district'))),
      h('div', { class: 'row' },
        field('f.home_commune', input('home_commune')),
        field('f.home_village', input('home_village')),
        field('f.phone', input('phone', { type: 'tel', autocomplete: 'off' })),
        field('f.email', input('email', { type: 'email', autocomplete: 'off' })))),
    h('fieldset', { class: 'card' }, h('legend', {}, t('case')),
      h('div', { class: 'row' },
        field('f.case_id', input('id', { required: true,
          pattern: '[A-Za-z0-9._:\\-]{1,63}' }), 'hint.case_id'),
        field('f.identification_date', input('identification_date',
          { type: 'date', required: true, max: today() })),
        field('f.trafficking_status', select('trafficking_status',
          'trafficking_status', codes.trafficking_status, { empty: false })),
        field('f.movement', select('movement', 'movement', codes.movement,
          { empty: t('unknown') }))),
      checks('exploitation', 'exploitation', codes.exploitation,
        'f.exploitation'),
      h('div', { class: 'row' },
        field('f.labour_sector', select('labour_sector', 'labour_sector',
          codes.labour_sector, { empty: t('none') })),
        field('f.recruiter_relationship', select('recruiter_relationship',
          'recruiter_relationship', codes.recruiter_relationship,
          { empty: t('unknown') }))),
      checks('means', 'means', codes.means, 'f.means'),
      h('div', { class: 'row' },
        field('f.destination_country', selectItems('destination_country',
          countryItems(), { empty: t('unknown') })),
        field('f.destination_province', selectItems('destination_province',
          provinceItems(), { empty: t('unknown') })),
        field('f.destination_city', input('destination_city')))),
    dup,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', id: 'save-case' },
        t('check_and_save'))),
    out);
  const draft = keep(form, 'register');
  if (!form.elements.id.value) form.elements.id.value = suggestId(app.user.agency);
  if (!form.elements.identification_date.value) {
    form.elements.identification_date.value = today();
  }
  let confirmed = false;
  let checkedFor = '';
  const nameKey = (v) => [v.given_name, v.family_name, v.given_name_km,
    v.family_name_km, v.birth_date, v.birth_year, v.home_province].join('|');

  // The likely duplicates, by the rule of ops_case_add (ops/case.c): the
  // person search on the given and family names (Latin, else Khmer), the
  // birth year and the home province; a hit of at least
  // OPS_DUPLICATE_WEIGHT is likely the same person. Shown with the facts
  // of each (up to five) to tell them apart.
  async function findDuplicates(v) {
    const name = [v.given_name || v.given_name_km,
      v.family_name || v.family_name_km].filter(Boolean).join(' ');
    if (!name.trim()) return [];
    const born = v.birth_year || (v.birth_date || '').slice(0, 4);
    const r = await api.get('search', { q: name, born,
      province: v.home_province });
    const likely = api.items(r.data).filter((m) =>
      m.weight >= rules.duplicate_weight).slice(0, 5);
    return Promise.all(likely.map(async (m) => {
      try {
        const c = (await api.get(`cases/${api.enc(m.case)}`)).data;
        return Object.assign({ weight: m.weight }, c);
      } catch (e) {
        return { id: m.case, agency: m.agency, weight: m.weight };
      }
    }));
  }

  onSubmit(form, out, async () => {
    const v = formValues(form);
    if (!confirmed || checkedFor !== nameKey(v)) {
      const found = await findDuplicates(v);
      checkedFor = nameKey(v);
      if (found.length) {
        clear(dup).append(h('div', { class: 'card warn', role: 'alert',
          id: 'duplicate-warning' },
        h('h2', {}, t('dup_title')), h('p', {}, t('dup_text')),
        table([
          { key: 'f.case_id', th: true, get: (c) => caseLink(c.id) },
          { key: 'f.name', get: (c) => personName(c.person) },
          { key: 'f.birth_year', get: (c) => (c.person && (c.person.birth_year ||
            (c.person.birth_date || '').slice(0, 4))) || '' },
          { key: 'f.province', get: (c) => place(c) },
          { key: 'f.agency', get: (c) => c.agency || '' },
          { key: 'f.score', num: true, get: (c) => (c.weight !== undefined ?
            fmtNum(Math.round(c.weight * 10) / 10) : '') },
        ], found),
        h('button', { type: 'button', id: 'save-anyway', onclick: () => {
          confirmed = true;
          form.requestSubmit();
        } }, t('dup_save_anyway'))));
        return { duplicates: true };
      }
    }
    clear(dup);
    const r = await api.post('cases', caseBody(v, app.user.agency), draft.key());
    return r;
  }, (r) => {
    if (r.duplicates) return;
    const id = (r.data && r.data.id) || formValues(form).id;
    draft.done();
    app.go(caseHref(id));
  }, draft);
  root.append(title('nav.register'),
    draft.restored ? status('info', t('draft_restored')) : null, form);
}
