// i18n.js - every string of the interface in English and Khmer. The choice
// is remembered in localStorage; dates and numbers follow the chosen
// language and the browser's region (en-GB, en-US, km-KH...).
import en from './msg_en.js';
import { provinces, countries } from '../gen/vocab.js';

// English is always loaded (the fallback); Khmer when first chosen, so an
// English page does not carry it.
const messages = { en, km: null };
const loaders = { km: () => import('./msg_km.js') };
const listeners = [];
let lang = pickInitial();

function pickInitial() {
  let saved = null;
  try { saved = localStorage.getItem('ctis.lang'); } catch (e) { saved = null; }
  if (saved === 'en' || saved === 'km') return saved;
  const nav = (navigator.languages || [navigator.language || 'en'])[0] || 'en';
  return nav.toLowerCase().startsWith('km') ? 'km' : 'en';
}

export function getLang() { return lang; }

// Load the current language's table; call once before the first render.
export async function ready() {
  if (!messages[lang]) messages[lang] = (await loaders[lang]()).default;
  document.documentElement.lang = lang;
}

export async function setLang(l) {
  if (!(l in messages)) return;
  if (!messages[l]) messages[l] = (await loaders[l]()).default;
  lang = l;
  try { localStorage.setItem('ctis.lang', l); } catch (e) { /* private mode */ }
  document.documentElement.lang = l;
  for (const f of listeners) f(l);
}

export function onLang(f) { listeners.push(f); }

// The text of key in the current language, with {name} placeholders
// filled from vars. A key missing in Khmer falls back to English; a key
// missing in both shows itself, so a test can find it.
export function t(key, vars) {
  let m = messages[lang][key];
  if (m === undefined) m = messages.en[key];
  if (m === undefined) return key;
  if (vars) {
    m = m.replace(/\{(\w+)\}/g, (all, k) => (k in vars ? String(vars[k]) : all));
  }
  return m;
}

export function has(key) { return key in messages.en; }

// The label of a vocabulary code ("c.status.open").
export function label(table, code) {
  if (code === null || code === undefined || code === '') return '';
  const k = `c.${table}.${code}`;
  return has(k) ? t(k) : String(code);
}

// Browsers built with a small ICU (Debian's chromium among them) have no
// Khmer locale data; then dates are written here, the Khmer way: day,
// month name, year, in Khmer digits.
const KM_ICU = Intl.DateTimeFormat.supportedLocalesOf(['km']).length > 0;
const KM_MONTHS = ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា',
  'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'];
export function khmerDigits(x) {
  return String(x).replace(/[0-9]/g, (c) => String.fromCharCode(0x17E0 + +c));
}
function khmerDate(d, withTime) {
  const utc = !withTime;
  const day = utc ? d.getUTCDate() : d.getDate();
  const mon = utc ? d.getUTCMonth() : d.getMonth();
  const yr = utc ? d.getUTCFullYear() : d.getFullYear();
  let out = `${day} ${KM_MONTHS[mon]} ${yr}`;
  if (withTime) {
    out += ` ${String(d.getHours()).padStart(2, '0')}:${
      String(d.getMinutes()).padStart(2, '0')}`;
  }
  return khmerDigits(out);
}

function locale() {
  if (lang === 'km') return 'km-KH';
  const nav = (navigator.languages || []).find((x) => x.toLowerCase().startsWith('en'));
  return nav || 'en-GB';
}

// "2008-03-05", a full ISO timestamp, or a time in seconds or
// milliseconds since 1970, in the user's locale.
export function fmtDate(iso) {
  if (iso === null || iso === undefined || iso === '') return '';
  let d;
  const m = typeof iso === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) :
    null;
  if (typeof iso === 'number') d = new Date(iso < 1e11 ? iso * 1000 : iso);
  else d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  if (lang === 'km' && !KM_ICU) return khmerDate(d, !m);
  const opts = { year: 'numeric', month: 'short', day: 'numeric' };
  if (m) opts.timeZone = 'UTC';
  else { opts.hour = '2-digit'; opts.minute = '2-digit'; }
  return new Intl.DateTimeFormat(locale(), opts).format(d);
}

export function fmtNum(n) {
  if (n === null || n === undefined) return '';
  if (typeof n !== 'number') return String(n);
  return new Intl.NumberFormat(locale()).format(n);
}

export function provinceName(code) {
  const p = provinces.find((x) => x.code === code);
  if (!p) return code || '';
  return lang === 'km' ? p.name_km : p.name;
}

export function countryName(code) {
  if (!code) return '';
  const k = `country.${code}`;
  if (lang === 'km' && k in messages.km) return messages.km[k];
  const c = countries.find((x) => x.code === code);
  return c ? c.name : code;
}

export const languages = [
  { code: 'en', name: 'English' },
  { code: 'km', name: 'ខ្មែរ' },
];
