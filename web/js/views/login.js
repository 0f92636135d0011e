// login.js - the login page and the password change asked at first login.
import { h, field, input } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { onSubmit, title } from '../ui.js';

export async function viewLogin(root, params, q, app) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  const form = h('form', { class: 'login card', novalidate: null },
    field('f.username', input('username', { required: true,
      autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' })),
    field('f.password', input('password', { type: 'password', required: true,
      autocomplete: 'current-password' })),
    h('button', { type: 'submit', class: 'primary' }, t('login')),
    out);
  onSubmit(form, out, () => api.login(form.elements.username.value.trim(),
    form.elements.password.value), (user) => {
    const next = q.get('next');
    app.login(user, next && next.startsWith('#/') && !next.startsWith('#/login')
      ? next : null);
  });
  root.append(h('div', { class: 'login-page' }, title('login_title'),
    h('p', { class: 'lead' }, t('login_lead')), form));
  setTimeout(() => form.elements.username.focus(), 0);
}

export async function viewPassword(root, params, q, app) {
  const out = h('div', { class: 'out', 'aria-live': 'polite' });
  const form = h('form', { class: 'card narrow' },
    field('f.old_password', input('old_password', { type: 'password',
      required: true, autocomplete: 'current-password' })),
    field('f.new_password', input('new_password', { type: 'password',
      required: true, minlength: 10, autocomplete: 'new-password' }),
    'hint.password'),
    h('button', { type: 'submit', class: 'primary' }, t('save')), out);
  onSubmit(form, out, () => api.changePassword(
    form.elements.old_password.value, form.elements.new_password.value),
  () => {
    app.user.must_change_password = false;
    app.login(app.user);
  });
  root.append(title('change_password'), app.user.must_change_password ?
    h('p', { class: 'msg info' }, t('must_change_password')) : null, form);
}
