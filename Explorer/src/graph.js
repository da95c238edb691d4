import { layout, NodeSize } from './layout.js';

const Svg = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(Svg, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Draws a definition's nodes and edges; returns the SVG and update(nodeId, {status, attempts, current}). */
export function drawGraph(definition) {
  const nodes = definition?.nodes ?? {};
  const ids = Object.keys(nodes);
  const edges = (definition?.edges ?? []).filter((e) => e && e.from && e.to);
  const { positions, back, width, height } = layout(ids, edges, definition?.start);

    const fullHeight = Math.max(height, NodeSize.height + 20);
  // Drawn at its own size, shrunk to fit a narrow screen, never blown up (the CSP allows no inline style).
  const svg = s('svg', { viewBox: `0 0 ${width} ${fullHeight}`, width, height: fullHeight, role: 'img', class: 'graph', 'aria-label': 'Workflow graph' });
  const defs = s('defs');
  const marker = s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
  marker.append(s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
  defs.append(marker);
  svg.append(defs);

  for (const e of edges) {
    const a = positions.get(e.from);
    const b = positions.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + NodeSize.width / 2;
    const y1 = a.y + NodeSize.height;
    const x2 = b.x + NodeSize.width / 2;
    const y2 = b.y;
    const isBack = back.has(`${e.from}\u0000${e.to}`);
    const d = isBack
      ? `M ${a.x + NodeSize.width} ${a.y + NodeSize.height / 2} C ${a.x + NodeSize.width + 40} ${a.y}, ${b.x + NodeSize.width + 40} ${b.y + NodeSize.height}, ${b.x + NodeSize.width} ${b.y + NodeSize.height / 2}`
      : `M ${x1} ${y1} C ${x1} ${(y1 + y2) / 2}, ${x2} ${(y1 + y2) / 2}, ${x2} ${y2}`;
    const path = s('path', { d, class: isBack ? 'edge back' : 'edge', 'marker-end': 'url(#arrow)' });
    if (e.when) path.append(s('title', {}, `when ${e.when}`));
    svg.append(path);
  }

  const groups = new Map();
  for (const id of ids) {
    const p = positions.get(id);
    const g = s('g', { class: 'node', 'data-node': id, 'data-status': 'pending', transform: `translate(${p.x} ${p.y})` });
    g.append(s('rect', { width: NodeSize.width, height: NodeSize.height, rx: 6 }));
    g.append(s('text', { x: 8, y: 17, class: 'node-id' }, id.length > 22 ? `${id.slice(0, 21)}…` : id));
    g.append(s('text', { x: 8, y: 33, class: 'node-type' }, nodes[id]?.type ?? ''));
    const meta = s('text', { x: 8, y: 49, class: 'node-meta' }, '');
    g.append(meta);
    const title = s('title', {}, `${id} (${nodes[id]?.type ?? ''})`);
    g.append(title);
    svg.append(g);
    groups.set(id, { g, meta, title, type: nodes[id]?.type ?? '' });
  }

  function update(nodeId, { status, attempts, retries, current }) {
    const node = groups.get(nodeId);
    if (!node) return;
    node.g.dataset.status = status;
    node.g.classList.toggle('current', !!current);
    const counts = attempts > 1 || retries > 0 ? ` · try ${attempts}${retries ? `, ${retries} retries` : ''}` : '';
    node.meta.textContent = `${status}${counts}`;
    node.title.textContent = `${nodeId} (${node.type}): ${status}${counts}`;
  }

  return { svg, update };
}
