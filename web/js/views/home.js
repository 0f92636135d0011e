// home.js - a case worker's day (GET /api/tasks): my open cases, referrals
// waiting for my agency, monitoring visits due (the agency's interval
// since the last visit has passed; the server computes it).
import { h, table } from '../dom.js';
import { t, label, fmtNum } from '../i18n.js';
import * as api from '../api.js';
import { can } from '../roles.js';
import { pending } from '../drafts.js';
import { title, section, failed } from '../ui.js';
import { caseLink, stageLabel, stageOf, dateCell } from './common.js';
import { decideButtons, serviceOf } from './referrals.js';

export async function viewHome(root, params, q, app) {
  root.append(title('nav.home'));
  const drafts = pending();
  if (drafts.length) {
    root.append(h('p', { class: 'msg info', role: 'status', id: 'drafts' },
      t('drafts_waiting', { n: drafts.length }), ' ',
      drafts.includes('register') ? h('a', { href: '#/cases/new' },
        t('continue_register')) : null));
  }
  if (can(app.user, 'case_write')) {
    root.append(h('p', {}, h('a', { class: 'button primary',
      href: '#/cases/new' }, t('nav.register'))));
  }
  let tasks;
  try {
    tasks = (await api.get('tasks')).data || {};
  } catch (e) {
    root.append(failed(e));
    return;
  }
  const grid = h('div', { class: 'grid3' });
  grid.append(
    section('my_open_cases', table([
      { key: 'f.case_id', th: true, get: (c) => caseLink(c.id) },
      { key: 'f.stage', get: (c) => stageLabel(stageOf(c)) },
      { key: 'f.status', get: (c) => label('status', c.status) },
    ], tasks.open_cases || [], { empty: t('no_open_cases') })),
    section('referrals_waiting', table([
      { key: 'f.case_id', th: true, get: (r) => caseLink(r.case) },
      { key: 'f.from_agency', get: (r) => r.from_agency || '' },
      { key: 'f.service', get: (r) => serviceOf(r) },
      { key: 'actions', get: (r) => decideButtons(r, app) },
    ], tasks.referrals_waiting || [], { empty: t('no_referrals') })),
    section('visits_due', [table([
      { key: 'f.case_id', th: true, get: (v) => caseLink(v.case) },
      { key: 'f.last_visit', get: (v) => dateCell(v.last_visit) ||
        t('never') },
      { key: 'f.due', get: (v) => dateCell(v.due) },
    ], tasks.monitoring_due || [], { empty: t('no_visits_due') }),
    tasks.monitoring_interval_days ? h('p', { class: 'hint' },
      t('visit_interval_n', { n: fmtNum(tasks.monitoring_interval_days) })) :
      null]));
  root.append(grid);
}
