// api.js - the one place that talks to ctis serve (issue 11's HTTP API).
// Sessions use the HttpOnly cookie set by POST /api/session; every write
// carries the session's CSRF token. Creates carry an Idempotency-Key chosen
// by the caller, so a resend of the same form creates one record; updates
// carry If-Match with the version they change.

const CSRF_HEADER = 'X-CSRF-Token';
const session = { user: null, csrf: null };
let onUnauthorized = null;
let onPasswordChange = null;

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

export function setUnauthorizedHandler(f) { onUnauthorized = f; }
export function setPasswordChangeHandler(f) { onPasswordChange = f; }
export function currentUser() { return session.user; }

function remember(data) {
  const u = data.user || {};
  session.user = {
    username: u.username,
    role: u.role,
    agency: u.agency,
    must_change_password: !!u.must_change_password,
  };
  session.csrf = data.csrf || session.csrf;
  return session.user;
}

// A fresh random key for one create (RFC 4122 v4 when available).
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// One request. Returns {data, status, etag, links, total}; throws ApiError
// (status 0 and code 'offline' when the network failed, so the caller keeps
// the form and can resend it with the same key).
export async function request(method, path, opts) {
  const o = opts || {};
  const headers = { Accept: 'application/json' };
  let body;
  if (o.body !== undefined) {
    headers['Content-Type'] = method === 'PATCH' ?
      'application/merge-patch+json' : 'application/json';
    body = JSON.stringify(o.body);
  }
  if (method !== 'GET' && session.csrf) headers[CSRF_HEADER] = session.csrf;
  if (o.idem) headers['Idempotency-Key'] = o.idem;
  if (o.etag) headers['If-Match'] = o.etag;
  let res;
  try {
    res = await fetch(`/api/${path}${query(o.query)}`, {
      method, headers, body, credentials: 'same-origin', cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'offline', 'network');
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    if (res.status === 401 && onUnauthorized && path !== 'session') {
      onUnauthorized();
    }
    if (err.code === 'password_change_required' && onPasswordChange) {
      onPasswordChange();
    }
    throw new ApiError(res.status, err.code || `http_${res.status}`,
      err.message || res.statusText, err.field);
  }
  return {
    data,
    status: res.status,
    etag: res.headers.get('ETag'),
    links: parseLinks(res.headers.get('Link')),
    total: res.headers.get('X-Total-Count'),
  };
}

function parseLinks(h) {
  const out = {};
  if (!h) return out;
  for (const part of h.split(',')) {
    const m = /<([^>]*)>\s*;\s*rel="?([a-z]+)"?/.exec(part.trim());
    if (m) out[m[2]] = m[1];
  }
  return out;
}

// The items of a list answer ({"items": [...], "page", "total"}).
export function items(data) {
  if (Array.isArray(data)) return data;
  return (data && data.items) || [];
}

// Whether this browser logged in and has not logged out since: the
// cookie is HttpOnly, so this flag (no secret) saves a request that would
// only answer 401 on the login page.
const FLAG = 'ctis.session';
function flag(on) {
  try {
    if (on) localStorage.setItem(FLAG, '1');
    else localStorage.removeItem(FLAG);
  } catch (e) { /* storage disabled */ }
}
function flagged() {
  try { return localStorage.getItem(FLAG) === '1'; } catch (e) { return true; }
}

export async function login(username, password) {
  const r = await request('POST', 'session', { body: { username, password } });
  flag(true);
  return remember(r.data);
}

// The session of the cookie, or null when there is none.
export async function resume() {
  if (!flagged()) return null;
  try {
    const r = await request('GET', 'session');
    return remember(r.data);
  } catch (e) {
    if (e.status === 401 || e.status === 404) {
      flag(false);
      return null;
    }
    throw e;
  }
}

export async function changePassword(password, newPassword) {
  await request('POST', 'session/password', { body: { password,
    new_password: newPassword } });
  if (session.user) session.user.must_change_password = false;
}

export async function logout() {
  try { await request('DELETE', 'session'); } finally {
    flag(false);
    session.user = null;
    session.csrf = null;
  }
}

export const get = (path, q) => request('GET', path, { query: q });
export const post = (path, body, idem) => request('POST', path, { body, idem });
export const patch = (path, body, etag) =>
  request('PATCH', path, { body, etag });
export const del = (path, etag) => request('DELETE', path, { etag });
export const enc = encodeURIComponent;

// Every item of a paged list (500 a page, at most 20 pages): for the short
// lists a form chooses from (agencies).
export async function all(path, q) {
  const out = [];
  for (let page = 1; page <= 20; page++) {
    const r = await request('GET', path, { query: Object.assign({}, q,
      { page, per_page: 500 }) });
    const got = items(r.data);
    out.push(...got);
    if (got.length < 500 || !r.links.next) break;
  }
  return out;
}
