// dashboard.js - the datasheet of `ctis report` (GET /api/report, the
// same JSON) as a dashboard: every table, charts of repatriations per
// corridor and year, source and destination provinces and the flows of
// repatriated persons, a year range, and a print view for A4.
import { h, field, input, table, status } from '../dom.js';
import { t, label, fmtNum, provinceName, countryName, getLang } from '../i18n.js';
import * as api from '../api.js';
import { groupedBars, hbars, sankey } from '../charts.js';
import { title, failed } from '../ui.js';

// A count cell: a suppressed count (null) shows as "<k" with an
// explanation for screen readers and on hover.
function n(v, k) {
  if (v === null) {
    return h('abbr', { title: t('suppressed_cell', { k }), class: 'supp' },
      `<${k}`);
  }
  return v === undefined ? '' : fmtNum(v);
}

function corridorName(r) {
  return `${countryName(r.from)} → ${countryName(r.to)}`;
}

function repatriations(ds, k, print) {
  const rows = ds.repatriations || [];
  const years = [...new Set(rows.map((r) => r.year))].sort();
  const keys = [];
  for (const r of rows) {
    const key = `${r.from}>${r.to}`;
    if (!keys.includes(key)) keys.push(key);
  }
  const cell = (key, y) => {
    const r = rows.find((x) => `${x.from}>${x.to}` === key && x.year === y);
    return r ? r.persons : 0; /* no row: nobody on that corridor that year */
  };
  const corridors = keys.map((key) => {
    const [from, to] = key.split('>');
    return { key, from, to, name: corridorName({ from, to }) };
  });
  const tbl = table([
    { key: 'corridor', th: true, get: (c) => c.name },
    ...years.map((y) => ({ text: String(y), num: true,
      get: (c) => n(cell(c.key, y), k) })),
    { key: 'total', num: true, get: (c) => {
      const vals = years.map((y) => cell(c.key, y));
      return vals.some((v) => v === null) ? n(null, k) :
        fmtNum(vals.reduce((a, v) => a + (v || 0), 0));
    } },
  ], corridors, { class: 'ds', empty: t('no_data') });
  tbl.id = 'table-repatriations';
  const chart = groupedBars('chart-repatriations', t('chart.repatriations'),
    years, corridors.map((c) => ({ name: c.name,
      values: years.map((y) => cell(c.key, y) ?? null) })));
  const flows = corridors.map((c) => ({ from: c.from, to: c.to,
    fromLabel: countryName(c.from), toLabel: countryName(c.to),
    value: years.reduce((a, y) => a + (cell(c.key, y) || 0), 0) }));
  const flow = sankey('chart-flows', t('chart.flows'), flows);
  return [
    block('ds.repatriations', tbl, chart, h('p', { class: 'total' },
      t('ds.repatriated'), ': ', n(ds.repatriated, k))),
    block('chart.flows', h('p', { class: 'hint' }, t('flows_text')), flow,
      print ? null : null),
  ];
}

// One section of the datasheet; wide ones span both columns of the grid
// and put their table and chart side by side.
function block(key, ...content) {
  const id = `ds-${key.replace(/\W/g, '-')}`;
  const wide = content.some((c) => c && c.tagName === 'svg');
  return h('section', { class: `card ds-block${wide ? ' wide' : ''}`,
    'aria-labelledby': id }, h('h2', { id }, t(key)),
  wide ? h('div', { class: 'side' }, content) : content);
}

function simple(key, rows, labelCol, labelOf, valueKey, k, chart) {
  const tbl = table([
    { key: labelCol, th: true, get: (r) => labelOf(r) },
    { key: 'f.cases', num: true, get: (r) => n(r[valueKey], k) },
  ], rows || [], { class: 'ds', empty: t('no_data') });
  return block(key, tbl, chart || null);
}

function wide(section) {
  section.classList.add('wide');
  return section;
}

function rescues(ds, k) {
  const refs = ['family', 'ngo', 'ministry', 'other', 'none'];
  return wide(block('ds.rescues', table([
    { key: 'f.year', th: true, get: (r) => String(r.year) },
    { key: 'persons', num: true, get: (r) => n(r.persons, k) },
    ...refs.map((x) => ({ text: x === 'none' ? t('not_referred') :
      `${t('referred_to')} ${label('referral', x)}`, num: true, get: (r) => n((r.referred_to || {})[x], k) })),
  ], ds.rescues || [], { class: 'ds', empty: t('no_data') })));
}

function prosecution(ds, k) {
  const kinds = ['domestic', 'cross_border'];
  const get = (list, kind, f) => {
    const r = (list || []).find((x) => x.kind === kind);
    return r ? n(r[f], k) : '';
  };
  return wide(block('ds.prosecution', table([
    { key: 'f.kind', th: true, get: (kind) => label('criminal_kind', kind) },
    { key: 'ds.investigated_cases', num: true, get: (kind) =>
      get(ds.investigations, kind, 'cases') },
    { key: 'ds.investigated_offenders', num: true, get: (kind) =>
      get(ds.investigations, kind, 'offenders') },
    { key: 'ds.convicted_cases', num: true, get: (kind) =>
      get(ds.convictions, kind, 'cases') },
    { key: 'ds.convicted_offenders', num: true, get: (kind) =>
      get(ds.convictions, kind, 'offenders') },
  ], kinds, { class: 'ds' })));
}

function sexAge(ds, k) {
  const rows = ds.persons_by_sex_age || [];
  const sexes = [...new Set(rows.map((r) => r.sex))];
  const ages = ['child', 'adult', 'unknown'];
  return block('ds.sex_age', table([
    { key: 'f.sex', th: true, get: (sx) => label('sex', sx) || sx },
    ...ages.map((a) => ({ text: label('age_group', a), num: true,
      get: (sx) => {
        const r = rows.find((x) => x.sex === sx && x.age_group === a);
        return r ? n(r.cases, k) : fmtNum(0);
      } })),
  ], sexes, { class: 'ds', empty: t('no_data') }));
}

function agencies(ds, k) {
  const a = ds.agencies || {};
  const pillars = ['prevention', 'protection', 'prosecution', 'policy'];
  return block('ds.agencies', table([
    { key: 'f.kind', th: true, get: (r) => label('agency_kind', r.kind) },
    { key: 'nav.agencies', num: true, get: (r) => n(r.agencies, k) },
    ...pillars.map((p) => ({ text: label('pillar', p), num: true,
      get: (r) => n((r.pillars || {})[p], k) })),
  ], a.by_kind || [], { class: 'ds' }), h('p', { class: 'total' },
    t('total'), ': ', n(a.total, k)));
}

function activities(ds, k) {
  return block('ds.activities', table([
    { key: 'f.kind', th: true, get: (r) => label('activity_kind', r.kind) },
    { key: 'nav.activities', num: true, get: (r) => n(r.activities, k) },
    { key: 'f.reached', num: true, get: (r) => n(r.reached, k) },
  ], ds.activities || [], { class: 'ds' }));
}

function instruments(ds) {
  return block('ds.instruments', table([
    { key: 'f.year', get: (r) => (r.year ? String(r.year) : '') },
    { key: 'f.title', th: true, get: (r) => r.title },
    { key: 'f.kind', get: (r) => label('instrument_kind', r.kind) },
    { key: 'f.parties', get: (r) => (r.parties || []).map(countryName)
      .join(', ') },
  ], ds.instruments || [], { class: 'ds' }));
}

// The estimated total with what a reader needs to judge it: the model,
// the existence check, the next-best model and whether it moves the
// estimate by more than its standard error, and the warnings.
function estimate(ds, k) {
  const e = ds.estimated_total;
  if (!e) {
    return block('ds.estimate', h('p', { class: 'hint' }, t('no_estimate')));
  }
  if (e.suppressed) {
    return block('ds.estimate', h('p', {}, t('estimate_suppressed', { k })));
  }
  if (e.existence !== 'ok') {
    return block('ds.estimate', h('p', {}, t(`est_exist.${e.existence}`)),
      warnings(e));
  }
  const ci = e.interval || e.ci || {};
  const nb = e.next_best;
  const shift = nb && nb.shift_se !== null ?
    fmtNum(Math.round(Math.abs(nb.shift_se) * 100) / 100) : '';
  let stability = t('est_not_assessed');
  if (e.stable === true) stability = t('est_stable', { n: shift });
  if (e.stable === false) stability = t('est_unstable', { n: shift });
  return block('ds.estimate', h('dl', { class: 'facts', id: 'estimate-facts' },
    h('dt', {}, t('observed')), h('dd', {}, fmtNum(Math.round(e.observed))),
    h('dt', {}, t('estimated')), h('dd', {}, fmtNum(Math.round(e.estimate))),
    ci.lower !== undefined ? [h('dt', {}, t('interval')), h('dd', {},
      `${fmtNum(Math.round(ci.lower))} – ${fmtNum(Math.round(ci.upper))}`)] :
      null,
    h('dt', {}, t('est_model')), h('dd', { class: 'est-model' }, e.model),
    h('dt', {}, t('est_existence')), h('dd', {}, t('est_exist.ok')),
    h('dt', {}, t('est_next')), h('dd', { class: 'est-next' }, nb ?
      `${nb.model}${nb.estimate !== null ? ` (${fmtNum(Math.round(nb.estimate))})`
        : ''}` : t('est_none')),
    h('dt', {}, t('est_stability')), h('dd', { class: 'est-stability' },
      stability)), warnings(e), e.caveats ? h('p', { class: 'hint' },
    [].concat(e.caveats).join(' ')) : null);
}

// The estimate's warnings: the server's sentence, with its figures, in
// English; the same warning in general words in Khmer.
function warnings(e) {
  const ws = e.warnings || [];
  if (ws.length === 0) return null;
  return h('ul', { class: 'warnings', id: 'estimate-warnings' },
    ws.map((w) => h('li', { 'data-code': w.code }, getLang() === 'en' ?
      `${t('est_warning')}: ${w.message}` : t(`est_warn.${w.code}`))));
}

function rangeForm(q, app, print) {
  const form = h('form', { class: 'filters card range', id: 'year-range' },
    h('div', { class: 'row' },
      field('from_year', input('from', { type: 'number', min: 1990, max: 2100,
        inputmode: 'numeric', value: q.get('from') || '' })),
      field('to_year', input('to', { type: 'number', min: 1990, max: 2100,
        inputmode: 'numeric', value: q.get('to') || '' })),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, t('show')),
        h('a', { class: 'button', id: 'print-link', href: `#/print?${
          new URLSearchParams(rangeOf(q))}` }, t('print_view')))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    if (form.elements.from.value) p.set('from', form.elements.from.value);
    if (form.elements.to.value) p.set('to', form.elements.to.value);
    app.go(`#/${print ? 'print' : 'dashboard'}${p.toString() ? `?${p}` : ''}`);
  });
  return form;
}

function rangeOf(q) {
  const o = {};
  if (q.get('from')) o.from = q.get('from');
  if (q.get('to')) o.to = q.get('to');
  return o;
}

export async function viewDashboard(root, params, q, app, print) {
  let ds;
  try {
    ds = (await api.get('report', rangeOf(q))).data;
  } catch (e) {
    root.append(title('nav.dashboard'), failed(e));
    return;
  }
  const k = (ds.disclosure && ds.disclosure.k) || 0;
  const period = ds.period || {};
  const span = period.from || period.to ?
    `${period.from || '…'}–${period.to || '…'}` : t('all_years');
  if (print) {
    root.append(h('div', { class: 'print-bar no-print' },
      h('a', { href: `#/dashboard?${new URLSearchParams(rangeOf(q))}` },
        t('back_to_dashboard')),
      h('button', { type: 'button', class: 'primary', id: 'print-button',
        onclick: () => window.print() }, t('print'))));
  }
  root.append(title('datasheet_title', `(${span})`));
  if (!print) root.append(rangeForm(q, app, false));
  root.append(h('div', { class: 'summary' },
    h('div', { class: 'stat' }, h('span', { class: 'big' }, n(ds.cases, k)),
      t('ds.cases')),
    h('div', { class: 'stat' }, h('span', { class: 'big' },
      n(ds.repatriated, k)), t('ds.repatriated')),
    h('div', { class: 'stat' }, h('span', { class: 'big' },
      n((ds.agencies || {}).total, k)), t('nav.agencies'))));
  const srcItems = (ds.source_provinces || []).map((r) => ({
    label: provinceName(r.province) || r.name, value: r.cases }));
  const dstItems = (ds.destination_provinces || []).map((r) => ({
    label: provinceName(r.province) || r.name, value: r.cases }));
  root.append(h('div', { class: 'ds-grid' },
    ...repatriations(ds, k, print),
    rescues(ds, k),
    prosecution(ds, k),
    simple('ds.cases_by_year', ds.cases_by_year, 'f.year',
      (r) => String(r.year), 'cases', k),
    simple('ds.source_provinces', ds.source_provinces, 'f.province',
      (r) => provinceName(r.province) || r.name, 'cases', k,
      hbars('chart-source', t('ds.source_provinces'), srcItems)),
    simple('ds.destination_provinces', ds.destination_provinces,
      'f.province', (r) => provinceName(r.province) || r.name, 'cases', k,
      hbars('chart-destination', t('ds.destination_provinces'), dstItems)),
    simple('ds.destination_countries', ds.destination_countries,
      'f.country', (r) => countryName(r.country) || r.name, 'cases', k),
    sexAge(ds, k),
    simple('ds.exploitation', ds.exploitation, 'f.exploitation',
      (r) => label('exploitation', r.exploitation), 'cases', k),
    simple('ds.labour_sectors', ds.labour_sectors, 'f.labour_sector',
      (r) => label('labour_sector', r.sector), 'cases', k),
    simple('ds.movement', ds.movement, 'f.movement',
      (r) => label('movement', r.movement), 'cases', k),
    agencies(ds, k),
    activities(ds, k),
    estimate(ds, k),
    instruments(ds)),
    h('p', { class: 'hint disclosure' }, k > 1 ?
      t('disclosure_k', { k, n: fmtNum((ds.disclosure || {})
        .suppressed_cells || 0) }) : t('disclosure_none')));
  if (print) root.append(status('info', t('print_hint')));
}
