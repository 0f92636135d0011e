// ui.js - pieces every page uses: the page frame, the send button that
// cannot send twice, error messages, paging.
import { h, clear, status } from './dom.js';
import { t } from './i18n.js';

// The message to show for an ApiError. The server's message is never
// shown raw for a 5xx; field errors name the field's label.
export function errorText(e) {
  if (!e) return t('err.unknown');
  if (e.status === 0) return t('err.offline');
  if (e.status === 412) return t('err.stale');
  if (e.status === 404) return t('err.not_found');
  if (e.status === 403) return t('err.forbidden');
  if (e.status === 401) return t('err.session');
  if (e.status === 429) return t('err.throttled');
  if (e.status >= 500) return t('err.server');
  const msg = e.message || e.code;
  return e.field ? t('err.field', { field: fieldLabel(e.field), msg }) : msg;
}

function fieldLabel(f) {
  const k = `f.${f.replace(/^person\./, '').replace(/\[\d+\]/g, '')}`;
  const s = t(k);
  return s === k ? f : s;
}

// Wire form's submit: run send(values) once at a time (the button is
// disabled while a request is out), show progress, success and errors in
// out. send returns a promise; on success done(result) runs. draft (from
// drafts.keep) gets a new Idempotency-Key when the server refused the
// request (4xx); after a lost answer or a 5xx the key stays, so a resend
// cannot create twice.
export function onSubmit(form, out, send, done, draft) {
  let busy = false;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (busy) return;
    if (!form.reportValidity()) return;
    busy = true;
    const btns = form.querySelectorAll('button[type=submit]');
    btns.forEach((b) => { b.disabled = true; });
    clear(out).appendChild(status('info', t('sending')));
    form.querySelectorAll('[aria-invalid]').forEach((x) =>
      x.removeAttribute('aria-invalid'));
    try {
      const r = await send();
      clear(out);
      if (done) await done(r);
    } catch (e) {
      if (draft && e.status >= 400 && e.status < 500) draft.refused();
      clear(out).appendChild(status('error', errorText(e)));
      if (e.status === 0) out.appendChild(status('info', t('kept_locally')));
      if (e.field) {
        const name = e.field.replace(/^person\./, '');
        const el = form.elements[name] || form.elements[e.field];
        if (el && el.setAttribute) {
          el.setAttribute('aria-invalid', 'true');
          el.focus();
        }
      }
    } finally {
      busy = false;
      btns.forEach((b) => { b.disabled = false; });
    }
  });
}

export function title(key, extra) {
  document.title = `${t(key)}${extra ? ` ${extra}` : ''} - ctis`;
  return h('h1', { id: 'page-title', tabindex: '-1' }, t(key),
    extra ? ` ${extra}` : null);
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('loading'));
}

export function failed(e) {
  return status('error', errorText(e));
}

// Previous/next links for a paged list. page is 1-based; more says
// whether a next page exists; go(p) shows page p.
export function pager(page, more, go, total) {
  return h('nav', { class: 'pager', 'aria-label': t('pages') },
    h('button', { type: 'button', disabled: page <= 1,
      onclick: () => go(page - 1) }, t('prev')),
    h('span', {}, t('page_n', { n: page }),
      total ? ` · ${t('total_n', { n: total })}` : ''),
    h('button', { type: 'button', disabled: !more,
      onclick: () => go(page + 1) }, t('next')));
}

export function section(titleKey, ...content) {
  const id = `s-${titleKey.replace(/\W/g, '-')}`;
  return h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, t(titleKey)), content);
}
