// drafts.js - a half-filled form survives a reload or a dropped connection:
// its values are kept in this browser's localStorage, per user and form,
// until the server has acknowledged them; then the draft is deleted.
// Each draft also holds the Idempotency-Key of its create, so resending the
// same form (a double click, a retry after a lost answer, a reload) creates
// one record. Drafts are deleted at logout.
import { formValues, setFormValues } from './dom.js';
import { newKey, currentUser } from './api.js';

const PREFIX = 'ctis.draft.';

function storageKey(name) {
  const u = currentUser();
  return `${PREFIX}${u ? u.username : '-'}.${name}`;
}

function load(name) {
  try {
    return JSON.parse(localStorage.getItem(storageKey(name)) || 'null');
  } catch (e) {
    return null;
  }
}

function save(name, d) {
  try { localStorage.setItem(storageKey(name), JSON.stringify(d)); } catch (e) {
    /* storage full or disabled: the form still works, unsaved */
  }
}

// Keep form's values under name. Returns {key(), done(), restored}: key()
// is the Idempotency-Key for this draft's create; done() forgets the draft
// once the server has it.
export function keep(form, name) {
  let d = load(name);
  const restored = !!(d && d.values && Object.keys(d.values).length);
  if (d && d.values) setFormValues(form, d.values);
  if (!d) d = { key: newKey(), values: {} };
  const store = () => {
    d.values = formValues(form);
    save(name, d);
  };
  form.addEventListener('input', store);
  form.addEventListener('change', store);
  return {
    restored,
    key: () => {
      if (!d.key) d.key = newKey();
      store();
      return d.key;
    },
    // After a refusal (4xx) nothing was created: the next send is a new
    // request, with a new key (a replayed key would replay the refusal).
    refused: () => {
      d.key = newKey();
      store();
    },
    done: () => {
      form.removeEventListener('input', store);
      form.removeEventListener('change', store);
      try { localStorage.removeItem(storageKey(name)); } catch (e) { /* */ }
      d = { key: newKey(), values: {} };
    },
  };
}

// Names of the drafts kept for the current user (for the home page).
export function pending() {
  const pre = storageKey('');
  const out = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith(pre)) out.push(k.slice(pre.length));
    }
  } catch (e) { /* */ }
  return out;
}

// Delete every draft of every user of this browser (at logout).
export function forgetAll() {
  try {
    const ks = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith(PREFIX)) ks.push(k);
    }
    ks.forEach((k) => localStorage.removeItem(k));
  } catch (e) { /* */ }
}
