// i18n_check.mjs - every string of the web interface exists in English
// and Khmer: the two message tables have the same keys, each Khmer text
// is in Khmer script (or is a code, a number or a name kept as is), every
// code of model/'s vocabulary (web/gen/vocab.js) has a label in both, and
// every key the sources use literally is defined. Prints TAP lines.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const web = process.argv[2];
const load = async (f) => import(pathToFileURL(path.join(web, f)).href);
const en = (await load('js/msg_en.js')).default;
const km = (await load('js/msg_km.js')).default;
const { codes } = await load('gen/vocab.js');
let failed = 0;
function report(name, bad) {
  if (bad.length === 0) {
    console.log(`ok - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok - ${name}`);
    console.log(`#   ${bad.slice(0, 12).join(', ')}`);
  }
}

report('every English key has a Khmer text',
  Object.keys(en).filter((k) => !(k in km)));
report('every Khmer key is an English key (or a Khmer country name)',
  Object.keys(km).filter((k) => !(k in en) && !k.startsWith('country.')));
// Texts that may stay Latin in Khmer: placeholders of ids and names.
const latinOk = new Set(['search_placeholder', 'search_id_placeholder']);
report('every Khmer text is written in Khmer script',
  Object.entries(km).filter(([k, v]) => !latinOk.has(k) &&
    !/[\u1780-\u17FF]/.test(v)).map(([k]) => k));
report('the placeholders of each text are the same in both languages',
  Object.keys(en).filter((k) => k in km).filter((k) => {
    const ph = (s) => (s.match(/\{\w+\}/g) || []).sort().join();
    return ph(en[k]) !== ph(km[k]);
  }));
const tables = ['sex', 'trafficking_status', 'movement', 'exploitation',
  'labour_sector', 'means', 'recruiter_relationship', 'status', 'event_type',
  'service', 'referral', 'offender_role', 'criminal_kind', 'criminal_event',
  'agency_kind', 'pillar', 'activity_kind', 'instrument_kind'];
report('every table of the vocabulary is in vocab.js',
  tables.filter((t) => !Array.isArray(codes[t])));
const missing = [];
for (const t of tables) {
  for (const c of codes[t] || []) {
    if (!(`c.${t}.${c}` in en)) missing.push(`c.${t}.${c}`);
  }
}
report('every code of model/ has a label', missing);

// Keys used literally: t('x'), field('x', ...), section('x', ...),
// title('x'), block('x', ...), checks(..., 'x'), checkbox(.., 'x'),
// { key: 'x' }, simple('x', rows, 'y', ...), and every 'hint.*'.
const used = new Set();
function walk(dir) {
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.js') && !/msg_(en|km)\.js$/.test(p)) {
      const src = fs.readFileSync(p, 'utf8');
      const res = [/\bt\('([a-z_.]+)'/g, /\bfield\('([a-z_.]+)'/g,
        /\bsection\('([a-z_.]+)'/g, /\btitle\('([a-z_.]+)'/g,
        /\bblock\('([a-z_.]+)'/g, /\bkey: '([a-z_.]+)'/g,
        /'(hint\.[a-z_]+)'/g, /checks\([^)]*'([a-z_.]+)'\)/g,
        /checkbox\('[a-z_]+', '([a-z_.]+)'/g,
        /simple\('([a-z_.]+)', [^,]+, '([a-z_.]+)'/g];
      for (const re of res) {
        for (const m of src.matchAll(re)) {
          for (const k of m.slice(1)) if (k) used.add(k);
        }
      }
    }
  }
}
walk(path.join(web, 'js'));
report(`every key the sources use is defined (${used.size} keys)`,
  [...used].filter((k) => !(k in en)));
process.exit(failed ? 1 : 0);
