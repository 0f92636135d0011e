// admin.js - users (add, disable) and the audit trail, for admins.
import { h, field, input, selectItems, table, formValues } from '../dom.js';
import { t, fmtDate } from '../i18n.js';
import * as api from '../api.js';
import { keep } from '../drafts.js';
import { title, onSubmit, failed, errorText } from '../ui.js';
import { agencyItems } from './case.js';

const ROLES = ['admin', 'case_worker', 'police', 'analyst', 'viewer'];

export async function viewUsers(root, params, q, app) {
  root.append(title('nav.users'));
  let ags = [];
  try { ags = await agencyItems(); } catch (e) { ags = []; }
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  const form = h('form', { id: 'user-form' },
    h('div', { class: 'row' },
      field('f.username', input('username', { required: true,
        autocomplete: 'off', pattern: '[A-Za-z0-9._\\-]{1,63}' })),
      field('f.agency', selectItems('agency', ags, { required: true,
        empty: t('choose') })),
      field('f.role', selectItems('role', ROLES.map((r) => ({ value: r,
        text: t(`role.${r}`) })), { required: true, empty: t('choose') })),
      field('f.password', input('password', { type: 'password',
        required: true, minlength: 10, autocomplete: 'new-password' }),
      'hint.password')),
    h('button', { type: 'submit', class: 'primary' }, t('add_user')), out);
  const draft = keep(form, 'user');
  onSubmit(form, out, () => {
    const v = formValues(form);
    return api.post('users', { username: v.username, agency: v.agency,
      role: v.role, password: v.password }, draft.key());
  }, () => {
    draft.done();
    app.go(`#/users?t=${Date.now()}`);
  }, draft);
  root.append(h('details', { class: 'add' }, h('summary', {}, t('add_user')),
    form));
  let r;
  try {
    r = await api.get('users');
  } catch (e) {
    root.append(failed(e));
    return;
  }
  const rows = api.items(r.data);
  root.append(table([
    { key: 'f.username', th: true, get: (u) => u.username },
    { key: 'f.agency', get: (u) => u.agency },
    { key: 'f.role', get: (u) => t(`role.${u.role}`) },
    { key: 'f.status', get: (u) => (u.disabled ? t('disabled') : t('active')) },
    { key: 'actions', get: (u) => (u.disabled || u.username ===
      app.user.username ? '' : h('button', { type: 'button',
      'aria-label': t('disable_user', { u: u.username }),
      onclick: async (ev) => {
        ev.currentTarget.disabled = true;
        try {
          await api.request('PATCH', `users/${api.enc(u.username)}`,
            { body: { disabled: true } });
          app.render();
        } catch (e) {
          ev.currentTarget.disabled = false;
          ev.currentTarget.after(h('span', { role: 'alert' }, errorText(e)));
        }
      } }, t('disable'))) },
  ], rows));
}

// The audit trail, oldest first, 100 entries a page; "after" is the
// number of the last entry of the previous page (the API's cursor).
export async function viewAudit(root, params, q, app) {
  const after = q.get('after') || '';
  root.append(title('nav.audit'));
  let r;
  try {
    r = await api.get('audit', { after, limit: 100 });
  } catch (e) {
    root.append(failed(e));
    return;
  }
  const rows = api.items(r.data);
  const next = r.data && r.data.next_after;
  root.append(table([
    { key: 'f.seq', num: true, get: (e) => String(e.seq) },
    { key: 'f.when', th: true, get: (e) => fmtDate(e.at) },
    { key: 'f.who', get: (e) => e.user || '' },
    { key: 'f.role', get: (e) => (e.role ? t(`role.${e.role}`) : '') },
    { key: 'f.agency', get: (e) => e.agency || '' },
    { key: 'f.what', get: (e) => [e.action, e.kind].filter(Boolean)
      .join(' ') },
    { key: 'f.record', get: (e) => e.record || '' },
    { key: 'f.address', get: (e) => e.address || '' },
    { key: 'f.status', num: true, get: (e) => (e.status ? String(e.status) :
      '') },
  ], rows, { class: 'audit' }),
  h('nav', { class: 'pager', 'aria-label': t('pages') },
    after ? h('a', { class: 'button', href: '#/audit' }, t('first_page')) :
      null,
    next && rows.length === 100 ? h('a', { class: 'button',
      href: `#/audit?after=${encodeURIComponent(next)}` }, t('next')) : null));
  void app;
}
