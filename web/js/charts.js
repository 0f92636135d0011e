// charts.js - small SVG charts drawn from the datasheet's tables: grouped
// bars, horizontal bars and a flow (Sankey) diagram. Each chart is an
// <svg role=img> with a title; the same figures are in the table beside
// it. A suppressed cell (null) is drawn as no bar and counted as 0.
import { s } from './dom.js';
import { fmtNum } from './i18n.js';

export const palette = ['#1f5fa8', '#d9822b', '#2e8b57', '#a23b72',
  '#6a5acd', '#8c6d1f', '#c0392b', '#17a2b8', '#555555'];

function frame(w, hgt, titleText, id) {
  return s('svg', { viewBox: `0 0 ${w} ${hgt}`, role: 'img',
    'aria-labelledby': `${id}-t`, class: 'chart', id,
    preserveAspectRatio: 'xMidYMid meet' },
  s('title', { id: `${id}-t` }, titleText));
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// Bars grouped by category (x) with one bar per series; legend on top.
export function groupedBars(id, titleText, categories, series) {
  const w = 640;
  const hgt = 300;
  const m = { l: 56, r: 12, t: 20 + 18 * Math.ceil(series.length / 3), b: 32 };
  const svg = frame(w, hgt, titleText, id);
  const max = niceMax(Math.max(0, ...series.flatMap((x) =>
    x.values.map((v) => v || 0))));
  const ih = hgt - m.t - m.b;
  const iw = w - m.l - m.r;
  const y = (v) => m.t + ih - (ih * v) / max;
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    svg.append(s('line', { x1: m.l, x2: w - m.r, y1: y(v), y2: y(v),
      class: 'grid' }),
    s('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end',
      class: 'tick' }, fmtNum(v)));
  }
  const gw = iw / Math.max(1, categories.length);
  const bw = Math.min(48, Math.max(2, (gw * 0.8) / Math.max(1, series.length)));
  categories.forEach((c, ci) => {
    const gx = m.l + ci * gw + (gw - bw * series.length) / 2;
    series.forEach((se, si) => {
      const v = se.values[ci];
      if (v === null || v === undefined) return;
      svg.append(s('rect', { x: gx + si * bw, y: y(v), width: bw - 1,
        height: Math.max(0, m.t + ih - y(v)), fill: palette[si %
          palette.length], class: 'bar' },
      s('title', {}, `${se.name} ${c}: ${fmtNum(v)}`)));
    });
    svg.append(s('text', { x: m.l + ci * gw + gw / 2, y: hgt - m.b + 18,
      'text-anchor': 'middle', class: 'tick' }, String(c)));
  });
  series.forEach((se, si) => {
    const lx = m.l + (si % 3) * 190;
    const ly = 14 + 18 * Math.floor(si / 3);
    svg.append(s('rect', { x: lx, y: ly - 10, width: 12, height: 12,
      fill: palette[si % palette.length] }),
    s('text', { x: lx + 18, y: ly, class: 'legend' }, se.name));
  });
  return svg;
}

// Horizontal bars, one per item [{label, value}], largest first.
export function hbars(id, titleText, itemsIn) {
  const items = itemsIn.slice(0, 20);
  const row = 22;
  const w = 640;
  const lw = 170;
  const hgt = 16 + row * Math.max(1, items.length);
  const svg = frame(w, hgt, titleText, id);
  const max = Math.max(1, ...items.map((i) => i.value || 0));
  const iw = w - lw - 70;
  items.forEach((it, i) => {
    const yy = 8 + i * row;
    const bw = it.value ? (iw * it.value) / max : 0;
    svg.append(s('text', { x: lw - 8, y: yy + 14, 'text-anchor': 'end',
      class: 'label' }, it.label),
    s('rect', { x: lw, y: yy + 2, width: Math.max(0, bw), height: row - 6,
      fill: palette[0], class: 'bar' }, s('title', {},
      `${it.label}: ${it.value === null ? '-' : fmtNum(it.value)}`)),
    s('text', { x: lw + bw + 6, y: yy + 14, class: 'value' },
      it.value === null ? '<k' : fmtNum(it.value)));
  });
  return svg;
}

// A flow diagram: sources on the left, destinations on the right, a band
// of width proportional to each flow [{from, to, value}] between them.
export function sankey(id, titleText, flows) {
  const links = flows.filter((f) => f.value > 0);
  const w = 640;
  const left = [...new Set(links.map((l) => l.from))];
  const right = [...new Set(links.map((l) => l.to))];
  const total = links.reduce((a, l) => a + l.value, 0) || 1;
  const gap = 10;
  const hgt = 40 + Math.max(120, 24 * Math.max(left.length, right.length) +
    gap * Math.max(left.length, right.length));
  const svg = frame(w, hgt, titleText, id);
  svg.classList.add('flows');
  const usable = hgt - 20 - gap * Math.max(left.length, right.length);
  const k = usable / total;
  const nodeW = 14;
  const lx = 150;
  const rx = w - 150 - nodeW;
  const place = (names, side) => {
    const pos = {};
    let yy = 10;
    for (const n of names) {
      const sum = links.filter((l) => l[side] === n)
        .reduce((a, l) => a + l.value, 0);
      pos[n] = { y: yy, h: sum * k, used: 0, sum };
      yy += sum * k + gap;
    }
    return pos;
  };
  const L = place(left, 'from');
  const R = place(right, 'to');
  // Bands leave each source and reach each destination in the nodes'
  // order, so they do not cross at the nodes.
  links.sort((a, b) => (left.indexOf(a.from) - left.indexOf(b.from)) ||
    (right.indexOf(a.to) - right.indexOf(b.to))).forEach((l, i) => {
    const a = L[l.from];
    const b = R[l.to];
    const th = l.value * k;
    const y0 = a.y + a.used + th / 2;
    const y1 = b.y + b.used + th / 2;
    a.used += th;
    b.used += th;
    const x0 = lx + nodeW;
    const x1 = rx;
    const mx = (x0 + x1) / 2;
    svg.append(s('path', { d: `M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`,
      stroke: palette[left.indexOf(l.from) % palette.length],
      'stroke-width': Math.max(1, th), fill: 'none', class: 'flow',
      'stroke-opacity': 0.45 }, s('title', {},
      `${l.fromLabel || l.from} → ${l.toLabel || l.to}: ${fmtNum(l.value)}`)));
    void i;
  });
  const nodes = (pos, names, x, anchor, tx, labels) => names.forEach((n) => {
    const p = pos[n];
    svg.append(s('rect', { x, y: p.y, width: nodeW, height: Math.max(1, p.h),
      class: 'node' }),
    s('text', { x: tx, y: p.y + p.h / 2 + 4, 'text-anchor': anchor,
      class: 'label' }, `${labels[n] || n} (${fmtNum(p.sum)})`));
  });
  const fromLabels = {};
  const toLabels = {};
  links.forEach((l) => {
    fromLabels[l.from] = l.fromLabel || l.from;
    toLabels[l.to] = l.toLabel || l.to;
  });
  nodes(L, left, lx, 'end', lx - 6, fromLabels);
  nodes(R, right, rx, 'start', rx + nodeW + 6, toLabels);
  return svg;
}
