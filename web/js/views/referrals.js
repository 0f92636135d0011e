// referrals.js - referrals received by the caller's agency, to accept or
// decline (POST /api/cases/{id}/referrals/{rid}/accept|decline). A
// decision is one request; the buttons lock while it is out.
import { h, table, clear, status } from '../dom.js';
import { t, label } from '../i18n.js';
import * as api from '../api.js';
import { title, failed, errorText } from '../ui.js';
import { caseLink } from './common.js';

export function serviceOf(r) {
  return label('service', r.service);
}

export function decide(r, decision) {
  return api.post(`cases/${api.enc(r.case)}/referrals/${api.enc(r.id)}/${
    decision}`);
}

export function decideButtons(r, app) {
  const out = h('span', { class: 'out', 'aria-live': 'polite' });
  const act = async (decision, ev) => {
    const box = ev.currentTarget.parentNode;
    box.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    try {
      await decide(r, decision);
      clear(out).append(status('ok', t(decision === 'accept' ? 'accepted' :
        'declined')));
      setTimeout(() => app.render(), 600);
    } catch (e) {
      box.querySelectorAll('button').forEach((b) => { b.disabled = false; });
      clear(out).append(status('error', errorText(e)));
    }
  };
  return h('span', { class: 'decide' },
    h('button', { type: 'button', class: 'primary accept', 'aria-label':
      t('accept_referral', { id: r.case }),
    onclick: (ev) => act('accept', ev) }, t('accept')),
    h('button', { type: 'button', class: 'decline', 'aria-label':
      t('decline_referral', { id: r.case }),
    onclick: (ev) => act('decline', ev) }, t('decline')), out);
}

export async function viewReferrals(root, params, q, app) {
  root.append(title('nav.referrals'), h('p', { class: 'lead' },
    t('referrals_lead')));
  let r;
  try {
    r = await api.get('tasks');
  } catch (e) {
    root.append(failed(e));
    return;
  }
  root.append(table([
    { key: 'f.case_id', th: true, get: (x) => caseLink(x.case) },
    { key: 'f.from_agency', get: (x) => x.from_agency || '' },
    { key: 'f.service', get: (x) => serviceOf(x) },
    { key: 'actions', get: (x) => decideButtons(x, app) },
  ], (r.data || {}).referrals_waiting || [], { empty: t('no_referrals'),
    class: 'referrals' }));
}
