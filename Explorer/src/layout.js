// A small layered layout (longest path from the start, back edges of loops ignored, one barycentre pass to
// order each layer): workflows are tens of nodes, so this is smaller than vendoring a layout library.
export const NodeSize = { width: 170, height: 58 };
const Gap = { x: 30, y: 50 };

export function layout(nodeIds, edges, start) {
  const out = new Map(nodeIds.map((id) => [id, []]));
  for (const e of edges) if (out.has(e.from) && out.has(e.to)) out.get(e.from).push(e.to);

  const back = findBackEdges(nodeIds, out, start);
  const forward = edges.filter((e) => out.has(e.from) && out.has(e.to) && !back.has(`${e.from}\u0000${e.to}`));

  const layer = new Map(nodeIds.map((id) => [id, 0]));
  // Longest path over the acyclic forward edges: relax as often as there are nodes.
  for (let i = 0; i < nodeIds.length; i++) {
    let changed = false;
    for (const e of forward) {
      if (layer.get(e.to) < layer.get(e.from) + 1) { layer.set(e.to, layer.get(e.from) + 1); changed = true; }
    }
    if (!changed) break;
  }

  const layers = [];
  for (const id of nodeIds) (layers[layer.get(id)] ??= []).push(id);
  const index = new Map();
  layers.forEach((ids) => ids.forEach((id, i) => index.set(id, i)));
  for (let l = 1; l < layers.length; l++) {
    const centre = (id) => {
      const parents = forward.filter((e) => e.to === id).map((e) => index.get(e.from));
      return parents.length ? parents.reduce((a, b) => a + b, 0) / parents.length : index.get(id);
    };
    layers[l] = (layers[l] ?? []).map((id) => [id, centre(id)]).sort((a, b) => a[1] - b[1]).map(([id]) => id);
    layers[l].forEach((id, i) => index.set(id, i));
  }

  const widest = Math.max(1, ...layers.map((ids) => ids?.length ?? 0));
  const width = widest * (NodeSize.width + Gap.x) + Gap.x;
  const positions = new Map();
  layers.forEach((ids, l) => {
    const rowWidth = ids.length * (NodeSize.width + Gap.x) - Gap.x;
    const left = (width - rowWidth) / 2;
    ids.forEach((id, i) => positions.set(id, { x: left + i * (NodeSize.width + Gap.x), y: Gap.y / 2 + l * (NodeSize.height + Gap.y) }));
  });
  return { positions, back, width, height: layers.length * (NodeSize.height + Gap.y) };
}

function findBackEdges(nodeIds, out, start) {
  const back = new Set();
  const state = new Map();
  const visit = (id) => {
    state.set(id, 'open');
    for (const to of out.get(id)) {
      if (state.get(to) === 'open') back.add(`${id}\u0000${to}`);
      else if (!state.has(to)) visit(to);
    }
    state.set(id, 'done');
  };
  if (out.has(start)) visit(start);
  for (const id of nodeIds) if (!state.has(id)) visit(id);
  return back;
}
