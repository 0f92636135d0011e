// common.js - how a case, a person and an event are shown everywhere.
import { h, link } from '../dom.js';
import { t, label, fmtDate, provinceName, countryName } from '../i18n.js';

export function caseHref(id) {
  return `#/cases/${encodeURIComponent(id)}`;
}

export function caseLink(id) {
  return id ? link(caseHref(id), id, { class: 'case-id' }) : '';
}

// The person's names in both scripts, or '' when the role sees none (the
// API leaves identifying fields out).
export function personName(p) {
  if (!p) return '';
  const latin = [p.given_name, p.family_name].filter(Boolean).join(' ');
  const km = [p.family_name_km, p.given_name_km].filter(Boolean).join(' ');
  if (latin && km) {
    return h('span', {}, latin, ' ', h('span', { lang: 'km', class: 'km' },
      `(${km})`));
  }
  if (km) return h('span', { lang: 'km', class: 'km' }, km);
  return latin;
}

export function stageOf(c) {
  return c.stage || 'registered';
}

export function stageLabel(code) {
  return label('stage', code);
}

export function eventDetails(e) {
  const parts = [];
  if (e.type === 'repatriation') {
    parts.push(`${countryName(e.from_country)} → ${countryName(e.to_country)}`);
    parts.push(e.official ? t('official') : t('not_official'));
  }
  if (e.service) parts.push(label('service', e.service));
  if (e.to) parts.push(label('referral', e.to));
  if (e.to_agency || e.agency) parts.push(e.to_agency || e.agency);
  if (e.note) parts.push(e.note);
  return parts.join(' · ');
}

export function place(c) {
  const p = c.person || {};
  return provinceName(p.home_province || c.home_province || '');
}

export function dateCell(d) {
  return d ? h('time', { datetime: d }, fmtDate(d)) : '';
}
