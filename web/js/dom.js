// dom.js - building the page from data without innerHTML: every text from
// the server goes through textContent, so a name can never become markup.
import { t, label } from './i18n.js';

// h('div', {class: 'x', onclick: f}, child, ...): an element. Children may
// be strings, numbers, nodes, arrays of them, or null/false (skipped).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'value') {
      el.value = v;
    } else if (k === 'checked' || k === 'selected' || k === 'disabled' ||
               k === 'required' || k === 'hidden' || k === 'open') {
      el[k] = !!v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

// Append children to el as h() does: arrays flattened, null and false
// skipped (the DOM's own append() would write "null").
export function add(el, ...children) {
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

// SVG element, same calling convention as h().
export function s(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return `${prefix || 'f'}-${uid}`;
}

// A labelled form field: <div class=field><label for>…</label><input></div>.
export function field(labelKey, input, hintKey) {
  if (!input.id) input.id = nextId(input.name || 'f');
  const hint = hintKey ? h('small', { class: 'hint', id: input.id + '-hint' },
    t(hintKey)) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  return h('div', { class: 'field' },
    h('label', { for: input.id }, t(labelKey), input.required ?
      h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    input, hint);
}

export function input(name, attrs) {
  return h('input', Object.assign({ name, type: 'text' }, attrs || {}));
}

// A <select> over the codes of a vocabulary table, labelled by i18n.
export function select(name, table, codes, attrs) {
  const a = Object.assign({ name }, attrs || {});
  const empty = a.empty;
  delete a.empty;
  return h('select', a,
    empty !== false ? h('option', { value: '' }, empty || t('any')) : null,
    codes.map((c) => h('option', { value: c }, label(table, c))));
}

// A <select> over [{value, text}] items.
export function selectItems(name, items, attrs) {
  const a = Object.assign({ name }, attrs || {});
  const empty = a.empty;
  delete a.empty;
  return h('select', a,
    empty !== false ? h('option', { value: '' }, empty || t('any')) : null,
    items.map((it) => h('option', { value: it.value }, it.text)));
}

// A set of checkboxes in a fieldset with a legend: one code each.
export function checks(name, table, codes, legendKey) {
  return h('fieldset', { class: 'checks' },
    h('legend', {}, t(legendKey)),
    codes.map((c) => {
      const id = nextId(name);
      return h('span', { class: 'check' },
        h('input', { type: 'checkbox', id, name, value: c }),
        h('label', { for: id }, label(table, c)));
    }));
}

// A single checkbox with its label after it.
export function checkbox(name, labelKey, attrs) {
  const id = nextId(name);
  return h('div', { class: 'field check' },
    h('input', Object.assign({ type: 'checkbox', id, name }, attrs || {})),
    h('label', { for: id }, t(labelKey)));
}

// The values of a form as a plain object: checkbox groups become arrays,
// single checkboxes booleans, empty fields are left out.
export function formValues(form) {
  const out = {};
  const groups = new Set();
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') {
      const many = form.querySelectorAll(
        `input[type=checkbox][name="${CSS.escape(el.name)}"]`).length > 1 ||
        el.closest('fieldset.checks');
      if (many) {
        groups.add(el.name);
        if (!out[el.name]) out[el.name] = [];
        if (el.checked) out[el.name].push(el.value);
      } else {
        out[el.name] = el.checked;
      }
    } else if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    } else if (el.tagName === 'BUTTON' || el.type === 'submit') {
      continue;
    } else if (el.value !== '') {
      out[el.name] = el.value;
    }
  }
  return out;
}

// Put values (as produced by formValues) back into a form.
export function setFormValues(form, values) {
  for (const el of form.elements) {
    if (!el.name || !(el.name in values)) continue;
    const v = values[el.name];
    if (el.type === 'checkbox') {
      el.checked = Array.isArray(v) ? v.includes(el.value) : !!v;
    } else if (el.type === 'radio') {
      el.checked = el.value === v;
    } else if (el.tagName !== 'BUTTON') {
      el.value = v;
    }
  }
}

// A message area announced to screen readers.
export function status(kind, text) {
  return h('p', { class: `msg ${kind}`, role: kind === 'error' ? 'alert' :
    'status' }, text);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A table from column definitions [{key (i18n), get(row) -> node|text}].
export function table(cols, rows, opts) {
  const o = opts || {};
  return h('div', { class: 'table-wrap' },
    h('table', { class: o.class || '' },
      o.caption ? h('caption', {}, o.caption) : null,
      h('thead', {}, h('tr', {}, cols.map((c) =>
        h('th', { scope: 'col', class: c.num ? 'num' : null },
          c.text !== undefined ? c.text : t(c.key))))),
      h('tbody', {}, rows.length === 0 ?
        h('tr', {}, h('td', { colspan: cols.length, class: 'empty' },
          o.empty || t('none_found'))) :
        rows.map((r) => h('tr', {}, cols.map((c) =>
          h(c.th ? 'th' : 'td', { class: c.num ? 'num' : null,
            scope: c.th ? 'row' : null }, c.get(r))))))));
}

export function link(href, text, attrs) {
  return h('a', Object.assign({ href }, attrs || {}), text);
}
