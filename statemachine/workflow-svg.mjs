// docs/workflow.svg: the workflow drawn from the ASL. @dagrejs/dagre lays out a layered graph (the Map as a
// cluster holding its child states); this file measures the text, draws the shapes and writes the SVG, with no
// browser. The same ASL gives the same bytes: dagre is deterministic, text is measured from a fixed table of
// widths (not from installed fonts) and every number is rounded to a tenth.
import dagre from '@dagrejs/dagre';
import { allStates, condition, transitions } from './workflow-graph.mjs';

// Advance widths in 1/1000 em of DejaVu Sans for ' ' to '~' (read from DejaVuSans.ttf's hmtx table). DejaVu Sans and
// Verdana are the widest of the fonts the SVG names, so text measured with it fits whichever one draws it.
const WIDTHS = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863,
  748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635,
  615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636,
  337, 636, 838,
];
const FONT = "'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif";
const NAME_SIZE = 13;
const SMALL_SIZE = 10.5;
const LINE = 1.3; // line height, in font sizes
const LABEL_WIDTH = 130; // an edge label wider than this is broken into lines

const textWidth = (text, size) =>
  [...text].reduce((w, c) => w + (WIDTHS[c.charCodeAt(0) - 32] ?? 1000), 0) * size / 1000;

/** How each type of state is drawn: shape, fill, stroke, and the width its pointed or slanted ends add. */
const LOOKS = {
  Task: { shape: 'rect', rx: 3, fill: '#e3f2fd', stroke: '#1565c0', extra: 0, caption: 'Task (a Lambda function)' },
  Choice: { shape: 'hexagon', fill: '#fff3e0', stroke: '#e65100', extra: 24, caption: 'Choice' },
  Wait: { shape: 'slanted', fill: '#f3e5f5', stroke: '#6a1b9a', extra: 20, caption: 'Wait' },
  Pass: { shape: 'rect', rx: 12, fill: '#eceff1', stroke: '#546e7a', extra: 0, caption: 'Pass' },
  Map: { shape: 'rect', rx: 3, fill: '#b2dfdb', stroke: '#00695c', extra: 0, caption: 'Map' },
  Succeed: { shape: 'rect', rx: 'round', fill: '#c8e6c9', stroke: '#2e7d32', extra: 10, caption: 'Succeed' },
  Fail: { shape: 'rect', rx: 'round', fill: '#ffcdd2', stroke: '#c62828', extra: 10, caption: 'Fail' },
};
const EDGE_COLOURS = { next: '#37474f', choice: '#e65100', default: '#e65100', catch: '#c62828', start: '#37474f',
  end: '#37474f' };
const EDGE_CAPTIONS = { next: 'Next', choice: 'Choice rule', default: 'Choice default', catch: 'Catch' };
const CLUSTER = { fill: '#f1f8f7', stroke: '#00897b' };

/** The last name of a path: "$.phase.status.classification" -> "classification". */
const lastName = (path) => path.slice(path.lastIndexOf('.') + 1);

/** The second line of a state's box: what it runs, waits for or sets. */
function subtitle(state) {
  switch (state.Type) {
    case 'Task': {
      const fn = /^\$\{(\w+?)(FunctionArn)?\}$/.exec(state.Resource);
      return fn ? 'Lambda ' + fn[1] : state.Resource;
    }
    case 'Wait':
      return 'waits ' + (state.SecondsPath ? lastName(state.SecondsPath) : state.Seconds + ' s');
    case 'Pass':
      return state.Result !== undefined && typeof state.Result !== 'object' && state.ResultPath
        ? `${lastName(state.ResultPath)} = ${state.Result}` : undefined;
    case 'Map':
      return (state.ItemProcessor.ProcessorConfig?.Mode === 'DISTRIBUTED' ? 'Distributed Map' : 'Map')
        + ': each item runs the states below';
    case 'Fail':
      return state.Error;
    default:
      return undefined;
  }
}

/**
 * A label line broken into lines at most `width` wide, at spaces but never right after an operator or "and"/"or"
 * (a piece wider than that stays whole).
 */
function wrap(line, width, size) {
  const pieces = [];
  for (const word of line.split(' ')) {
    const last = pieces.length - 1;
    if (last >= 0 && /^(==|<|>|<=|>=|and|or|not)$/.test(pieces[last].split(' ').pop())) {
      pieces[last] += ' ' + word;
    } else {
      pieces.push(word);
    }
  }
  const out = [];
  for (const piece of pieces) {
    const last = out.length - 1;
    if (last >= 0 && textWidth(out[last] + ' ' + piece, size) <= width) {
      out[last] += ' ' + piece;
    } else {
      out.push(piece);
    }
  }
  return out;
}

/** Text lines of a box or label, each {text, size}, and the size they need. */
function block(lines) {
  const width = Math.max(...lines.map((l) => textWidth(l.text, l.size)));
  const height = lines.reduce((h, l) => h + l.size * LINE, 0);
  return { lines, width, height };
}

function edgeLabel(t) {
  switch (t.kind) {
    case 'choice':
      return condition(t.rule, lastName);
    case 'default':
      return ['default'];
    case 'catch':
      return ['catch ' + t.errors.join(', ')];
    default:
      return [];
  }
}

/** Lays the workflow out: one node per state, the Map's header and end inside its cluster, one edge per transition. */
function layout(asl) {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 16, edgesep: 10, ranksep: 80, marginx: 0, marginy: 0 });
  const id = (name) => 's:' + name;
  g.setNode('start', { kind: 'start', width: 18, height: 18 });
  g.setEdge('start', id(asl.StartAt), { kind: 'start', to: asl.StartAt, width: 0, height: 0 }, 'start');

  // a box is wide enough for the edges that attach to it, PORT_GAP apart
  const ends = new Map();
  for (const [name, state] of allStates(asl.States)) {
    for (const t of transitions(state)) {
      ends.set(t.to, (ends.get(t.to) ?? 0) + 1);
      ends.set(name, (ends.get(name) ?? 0) + 1);
    }
  }

  function add(states, cluster) {
    for (const [name, state] of Object.entries(states)) {
      const look = LOOKS[state.Type] ?? LOOKS.Task;
      const sub = subtitle(state);
      const text = block([{ text: name, size: NAME_SIZE },
        ...(sub ? [{ text: sub, size: SMALL_SIZE, fill: '#455a64' }] : [])]);
      const width = Math.max(text.width + 24, ((ends.get(name) ?? 0) + 1) * PORT_GAP + 16) + look.extra;
      g.setNode(id(name), { kind: 'state', name, state, text, width, height: text.height + 16 });
      if (cluster) {
        g.setParent(id(name), cluster);
      }
      if (state.ItemProcessor) {
        const inner = 'c:' + name;
        g.setNode(inner, { kind: 'cluster', name });
        if (cluster) {
          g.setParent(inner, cluster);
        }
        g.setParent(id(name), inner);
        g.setNode('end:' + name, { kind: 'end', width: 18, height: 18 });
        g.setParent('end:' + name, inner);
        g.setEdge(id(name), id(state.ItemProcessor.StartAt),
          { kind: 'start', from: name, to: state.ItemProcessor.StartAt, width: 0, height: 0 }, 'start');
        add(state.ItemProcessor.States, inner);
        for (const [childName, child] of Object.entries(state.ItemProcessor.States)) {
          if (child.End) {
            g.setEdge(id(childName), 'end:' + name, { kind: 'end', from: childName, width: 0, height: 0 }, 'end');
          }
        }
      }
    }
    for (const [name, state] of Object.entries(states)) {
      // a Map's Next leaves from its end: every item has finished
      const from = state.ItemProcessor ? 'end:' + name : id(name);
      transitions(state).forEach((t, i) => {
        const label = block(edgeLabel(t).flatMap((line) => wrap(line, LABEL_WIDTH, SMALL_SIZE))
          .map((text) => ({ text, size: SMALL_SIZE })));
        const size = label.lines.length ? { width: label.width + 8, height: label.height + 4 }
          : { width: 0, height: 0 };
        // most paths end in a Pass state (Rotated, Timed Out, ...): those stay next to the decision that leads to
        // them instead of gathering by Record Result
        const weight = states[t.to]?.Type === 'Pass' ? 4 : 1;
        g.setEdge(from, id(t.to), { ...t, from: name, label, labelpos: 'c', weight, ...size }, String(i));
      });
    }
  }

  add(asl.States, undefined);
  dagre.layout(g);
  return g;
}

// ---- drawing ----

const num = (v) => {
  const r = Math.round(v * 10) / 10;
  return String(Object.is(r, -0) ? 0 : r);
};
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const attrs = (a) => Object.entries(a).filter(([, v]) => v !== undefined && v !== '')
  .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : esc(v)}"`).join('');

/** Lines of text centred on (cx, cy). */
function text(lines, cx, cy, extra = {}) {
  const height = lines.reduce((h, l) => h + l.size * LINE, 0);
  let y = cy - height / 2;
  const spans = lines.map((l) => {
    y += l.size * LINE;
    const base = y - l.size * LINE / 2 + l.size * 0.35;
    return `<tspan${attrs({ x: cx, y: base, 'font-size': l.size, fill: l.fill })}>${esc(l.text)}</tspan>`;
  });
  return `<text${attrs({ 'text-anchor': 'middle', ...extra })}>${spans.join('')}</text>`;
}

/** A box's SVG element (unclosed, for its colours) and the half-width of its flat top and bottom (edges attach there). */
function outline(look, x, y, w, h) {
  const [x0, y0, x1, y1] = [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
  const polygon = (points) => `<polygon${attrs({ points: points.map((p) => p.map(num).join(',')).join(' ') })}`;
  if (look.shape === 'hexagon') {
    const k = look.extra / 2;
    const points = [[x0 + k, y0], [x1 - k, y0], [x1, y], [x1 - k, y1], [x0 + k, y1], [x0, y]];
    return { flat: w / 2 - k - 4, svg: polygon(points) };
  }
  if (look.shape === 'slanted') {
    const k = look.extra;
    return { flat: w / 2 - k - 4, svg: polygon([[x0 + k, y0], [x1, y0], [x1 - k, y1], [x0, y1]]) };
  }
  const rx = look.rx === 'round' ? h / 2 : look.rx;
  return { flat: w / 2 - Math.max(rx, 8), svg: `<rect${attrs({ x: x0, y: y0, width: w, height: h, rx })}` };
}

const box = (owner, { x, y, width, height }) =>
  ({ owner, x0: x - width / 2, x1: x + width / 2, y0: y - height / 2, y1: y + height / 2 });

const STUB = 8;
const PORT_GAP = 10;
const RADIUS = 10;

/**
 * Where each edge leaves and enters its boxes. On the bottom of a box for a neighbour below, on its top for one
 * above, spread in the order of the neighbours' x. From there an edge whose neighbour is to the side runs sideways
 * on a lane close to the box, then turns towards it; the farther neighbours take the nearer lanes, so the edges
 * of one box do not cross each other, and a lane stops short of any other box or label, so no edge cuts through
 * the boxes beside its own. Arrows arrive straight. Returns, per edge end, the points to draw from the box and
 * how many of dagre's points next to the box the lane replaces.
 */
function ports(g) {
  const boxes = [];
  for (const v of g.nodes()) {
    const n = g.node(v);
    if (n.kind !== 'cluster') {
      boxes.push(box(v, n));
    }
  }
  for (const e of g.edges()) {
    if (g.edge(e).label?.lines.length) {
      boxes.push(box(e, g.edge(e)));
    }
  }
  const sides = new Map();
  for (const e of g.edges()) {
    const edge = g.edge(e);
    const inner = edge.points.slice(1, -1);
    for (const [v, at, run] of [[e.v, 'start', inner], [e.w, 'end', [...inner].reverse()]]) {
      const node = g.node(v);
      const key = v + (run[0].y > node.y ? ' bottom' : ' top');
      sides.set(key, [...(sides.get(key) ?? []), { v, e, edge, at, node, run, toward: run[0] }]);
    }
  }
  const placed = new Map();
  for (const list of sides.values()) {
    list.sort((a, b) => a.toward.x - b.toward.x);
    list.forEach((end, i) => {
      const { node, toward } = end;
      const inset = node.flat ?? 0;
      end.x = node.x - inset + 2 * inset * (i + 1) / (list.length + 1);
      end.dir = toward.y > node.y ? 1 : -1;
      end.y = node.y + end.dir * node.height / 2;
      end.room = room(end, boxes);
    });
    const sideways = (sign) => list.filter((end) => sign * (end.toward.x - end.x) > 2)
      .sort((a, b) => sign * (b.toward.x - a.toward.x));
    for (const group of [sideways(1), sideways(-1)]) {
      const gap = Math.min(8, (Math.min(...group.map((end) => end.room)) - STUB) / (group.length + 1));
      if (gap >= 2.5) {
        group.forEach((end, i) => {
          end.lane = STUB + gap * (i + 1);
        });
      }
    }
    for (const { e, at, x, y, dir, lane, run } of list) {
      let points = [{ x, y }, { x, y: y + dir * STUB }];
      let drop = 0;
      if (lane !== undefined) {
        // dagre's points on the same vertical line between the box and the lane are passed by the lane
        while (drop < run.length - 1 && run[drop + 1].x === run[0].x && dir * (run[drop].y - y) < lane) {
          drop++;
        }
        points = [{ x, y }, { x, y: y + dir * lane }, { x: run[0].x, y: y + dir * lane }];
      }
      placed.set(at + ' ' + JSON.stringify(e), { points, drop });
    }
  }
  return (e, at) => placed.get(at + ' ' + JSON.stringify(e));
}

/**
 * How far from its box an edge end's lane may go: up to the first other box or label in the way between the port
 * and the point it turns to, and not past the last of dagre's points on that vertical line (nor into the edge's
 * own label).
 */
function room({ v, e, edge, x, y, dir, run }, boxes) {
  const [left, right] = [Math.min(x, run[0].x) - 4, Math.max(x, run[0].x) + 4];
  let free = Infinity;
  for (const b of boxes) {
    if (b.owner !== v && b.owner !== e && b.x1 > left && b.x0 < right) {
      const near = dir > 0 ? b.y0 - y : y - b.y1;
      if (near > 0) {
        free = Math.min(free, near - 4);
      }
    }
  }
  const isLabel = (p) => edge.label?.lines.length && p.x === edge.x && p.y === edge.y;
  let last = 0;
  while (last < run.length - 1 && run[last + 1].x === run[0].x && !isLabel(run[last])) {
    last++;
  }
  const reach = dir * (run[last].y - y) - (isLabel(run[last]) ? edge.height / 2 + 2 : 2);
  return Math.min(free, reach);
}

/** A line through the points, its corners rounded. */
function curve(points) {
  const distinct = points.filter((q, i) => i === 0 || Math.hypot(q.x - points[i - 1].x, q.y - points[i - 1].y) > 0.5);
  // a point on the straight line between its neighbours is no corner
  const p = distinct.filter((b, i) => {
    const [a, c] = [distinct[i - 1], distinct[i + 1]];
    return !a || !c || Math.abs((b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)) > 0.01
      || (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y) < 0;
  });
  const out = [`M${num(p[0].x)},${num(p[0].y)}`];
  for (let i = 1; i < p.length - 1; i++) {
    const [a, b, c] = [p[i - 1], p[i], p[i + 1]];
    const toward = (q) => {
      const d = Math.hypot(q.x - b.x, q.y - b.y);
      const r = Math.min(RADIUS, d / 2);
      return { x: b.x + (q.x - b.x) * r / d, y: b.y + (q.y - b.y) * r / d };
    };
    const [enter, leave] = [toward(a), toward(c)];
    out.push(`L${num(enter.x)},${num(enter.y)}Q${num(b.x)},${num(b.y)},${num(leave.x)},${num(leave.y)}`);
  }
  out.push(`L${num(p[p.length - 1].x)},${num(p[p.length - 1].y)}`);
  return out.join('');
}

/** An arrowhead in one colour (an SVG 1.1 marker does not take its line's colour). */
function marker(colour) {
  return `<marker${attrs({ id: 'arrow-' + colour.slice(1), viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8,
    markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto' })}>`
    + `<path${attrs({ d: 'M0,0L10,5L0,10z', fill: colour })}/></marker>`;
}

/** The line of an edge of this kind: its colour and arrowhead, dashed for a Catch. */
function line(kind, d) {
  return `<path${attrs({ d, fill: 'none', stroke: EDGE_COLOURS[kind], 'stroke-width': 1.3,
    'stroke-dasharray': kind === 'catch' ? '5 4' : undefined,
    'marker-end': `url(#arrow-${EDGE_COLOURS[kind].slice(1)})` })}/>`;
}

function drawEdge(g, e, port) {
  const edge = g.edge(e);
  const [from, to] = [port(e, 'start'), port(e, 'end')];
  const inner = edge.points.slice(1, -1);
  const points = [...from.points, ...inner.slice(from.drop, Math.max(from.drop, inner.length - to.drop)),
    ...[...to.points].reverse()];
  const colour = EDGE_COLOURS[edge.kind];
  const out = [`<g${attrs({ class: 'edge ' + edge.kind, 'data-from': edge.from, 'data-to': edge.to })}>`,
    line(edge.kind, curve(points))];
  if (edge.label?.lines.length) {
    out.push(`<rect${attrs({ x: edge.x - edge.width / 2, y: edge.y - edge.height / 2, width: edge.width,
      height: edge.height, rx: 3, fill: '#ffffff', 'fill-opacity': 0.85 })}/>`);
    out.push(text(edge.label.lines, edge.x, edge.y, { fill: colour === EDGE_COLOURS.next ? '#263238' : colour }));
  }
  out.push('</g>');
  return out.join('');
}

function drawNode(node) {
  if (node.kind === 'start') {
    return `<g class="start"><circle${attrs({ cx: node.x, cy: node.y, r: 8, fill: '#37474f' })}/></g>`;
  }
  if (node.kind === 'end') {
    return `<g class="end"><circle${attrs({ cx: node.x, cy: node.y, r: 8, fill: '#ffffff', stroke: '#37474f',
      'stroke-width': 1.5 })}/>`
      + `<circle${attrs({ cx: node.x, cy: node.y, r: 4.5, fill: '#37474f' })}/></g>`;
  }
  const look = LOOKS[node.state.Type] ?? LOOKS.Task;
  const tooltip = `${node.name} (${node.state.Type})${node.state.Comment ? ': ' + node.state.Comment : ''}`;
  return `<g${attrs({ class: 'state ' + node.state.Type.toLowerCase(), 'data-state': node.name })}>`
    + `<title>${esc(tooltip)}</title>`
    + `${node.svg}${attrs({ fill: look.fill, stroke: look.stroke, 'stroke-width': 1.4 })}/>`
    + text(node.text.lines, node.x, node.y) + '</g>';
}

/** A row of sample shapes and lines with their meaning, from (x, y); returns its SVG and size. */
function legend(x, y) {
  const out = ['<g class="legend">'];
  let cx = x;
  const h = 26;
  for (const look of Object.values(LOOKS)) {
    const caption = block([{ text: look.caption, size: SMALL_SIZE }]);
    const w = caption.width + 16 + look.extra;
    const shape = outline(look, cx + w / 2, y + h / 2, w, h).svg;
    out.push(`${shape}${attrs({ fill: look.fill, stroke: look.stroke, 'stroke-width': 1.2 })}/>`);
    out.push(text(caption.lines, cx + w / 2, y + h / 2));
    cx += w + 12;
  }
  cx += 8;
  for (const [kind, caption] of Object.entries(EDGE_CAPTIONS)) {
    out.push(line(kind, `M${num(cx)},${num(y + h / 2)}h34`));
    const w = textWidth(caption, SMALL_SIZE);
    out.push(text([{ text: caption, size: SMALL_SIZE }], cx + 40 + w / 2, y + h / 2, { fill: '#263238' }));
    cx += 40 + w + 16;
  }
  out.push('</g>');
  return { svg: out.join(''), width: cx - x, height: h };
}

/** The workflow as an SVG document. */
export function svg(asl, meta = { title: 'Token Rotator workflow', asl: 'statemachine/token-rotator.asl.json' }) {
  const g = layout(asl);
  const margin = 20;
  const title = [{ text: meta.title, size: 18 },
    { text: `Drawn from ${meta.asl} by node statemachine/generate.mjs: do not edit.`
      + ' Retries are not drawn: see statemachine/retry-policies.json. Hover a state for its Comment.',
    size: SMALL_SIZE }];
  const head = block(title);
  const top = margin + head.height + 12;
  const graph = g.graph();
  const legendRow = legend(margin, top + graph.height + 24);
  const width = Math.ceil(Math.max(graph.width, head.width, legendRow.width) + 2 * margin);
  const height = Math.ceil(top + graph.height + 24 + legendRow.height + margin);
  const shift = margin + (width - 2 * margin - graph.width) / 2;

  for (const v of g.nodes()) {
    const n = g.node(v);
    n.x += shift;
    n.y += top;
    if (n.kind === 'state') {
      const look = LOOKS[n.state.Type] ?? LOOKS.Task;
      const o = outline(look, n.x, n.y, n.width, n.height);
      n.flat = o.flat;
      n.svg = o.svg;
    }
  }
  for (const e of g.edges()) {
    const edge = g.edge(e);
    edge.points = edge.points.map((p) => ({ x: p.x + shift, y: p.y + top }));
    if (edge.x !== undefined) {
      edge.x += shift;
      edge.y += top;
    }
  }

  const clusters = g.nodes().map((v) => g.node(v)).filter((n) => n.kind === 'cluster').map((n) =>
    `<g${attrs({ class: 'cluster', 'data-state': n.name })}><rect${attrs({ x: n.x - n.width / 2, y: n.y - n.height / 2,
      width: n.width, height: n.height, rx: 10, fill: CLUSTER.fill, stroke: CLUSTER.stroke, 'stroke-width': 1.2 })}/></g>`);
  const nodes = g.nodes().map((v) => g.node(v)).filter((n) => n.kind !== 'cluster').map(drawNode);
  const port = ports(g);
  const edges = g.edges().map((e) => drawEdge(g, e, port));

  return [
    `<svg${attrs({ xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${width} ${height}`, width, height,
      'font-family': FONT })}>`,
    `<title>${meta.title}</title>`,
    `<desc>Every state and transition of ${meta.asl}, drawn by node statemachine/generate.mjs.</desc>`,
    `<defs>${[...new Set(Object.values(EDGE_COLOURS))].map(marker).join('')}</defs>`,
    `<rect${attrs({ width, height, fill: '#ffffff' })}/>`,
    text(title, width / 2, margin + head.height / 2, { fill: '#263238' }),
    ...clusters,
    ...nodes,
    ...edges,
    legendRow.svg,
    '</svg>',
    '',
  ].join('\n');
}
