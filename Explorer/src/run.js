import { api } from './api.js';
import { append, clear, h, jsonDetails, when } from './dom.js';
import { drawGraph } from './graph.js';
import { createNodeStates } from './nodes.js';
import { problemView } from './problem.js';
import { followEvents } from './sse.js';
import { createTimeline } from './timeline.js';
import { createActions } from './actions.js';

/** One run: the graph coloured by its events, the live timeline, its data and the actions on it. */
export async function runPage(main, id, { navigate, hooks }) {
  const status = await api(`/v1/executions/${encodeURIComponent(id)}`);
  const workflow = await api(`/v1/workflows/${encodeURIComponent(status.workflowId)}?version=${status.version}`);
  const { svg, update } = drawGraph(workflow.definition);
  const timeline = createTimeline();
  const nodes = createNodeStates();
  const header = h('div', { class: 'run-header' });
  const actions = createActions(id, { after: () => refresh(), navigate });
  const data = h('div', { class: 'run-data' });
  let shownData = null;
  const connection = h('span', { class: 'connection', id: 'connection' }, 'connecting');

  function showStatus(s) {
    header.replaceChildren(
      h('h1', {}, 'Run ', h('code', {}, s.id)),
      h('p', {},
        h('span', { class: `badge status-${s.status}`, id: 'run-status' }, s.status), ' ',
        s.pauseRequested && s.status !== 'paused' ? h('span', { class: 'muted', id: 'pause-requested' }, 'pause requested (at the next node boundary) ') : null,
        h('a', { href: `/ui/workflows/${encodeURIComponent(s.workflowId)}` }, `${s.workflowId} v${s.version}`), ' · created ', when(s.createdAt),
        s.completedAt ? ` · ended ${when(s.completedAt)}` : '',
        s.parent ? h('span', {}, ' · parent ', h('a', { href: `/ui/runs/${encodeURIComponent(s.parent.executionId)}` }, s.parent.executionId)) : null,
        s.rerunOf ? h('span', {}, ' · re-run of ', h('a', { href: `/ui/runs/${encodeURIComponent(s.rerunOf)}` }, s.rerunOf)) : null));
    actions.update(s);
    // Redrawn only when it changed: a redraw would fold up a block the reader opened.
    const dataNow = JSON.stringify([s.input, s.result, s.error]);
    if (dataNow !== shownData) {
      shownData = dataNow;
      append(clear(data), [
        jsonDetails('input', s.input ?? null),
        s.result !== null && s.result !== undefined ? jsonDetails('result', s.result, true) : null,
        s.error ? jsonDetails('error', s.error, true) : null]);
    }
    for (const [nodeId, state] of nodes.all()) update(nodeId, { ...state, current: s.currentNode?.id === nodeId });
  }

  // Coalesced: a burst of events asks once, but an event during a read asks again after it, since that read
  // may have been answered before the event (a terminal status must not be lost).
  let refreshing = null;
  let again = false;
  function refresh() {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = api(`/v1/executions/${encodeURIComponent(id)}`)
      .then(showStatus)
      .catch((error) => data.replaceChildren(problemView(error)))
      .finally(() => {
        refreshing = null;
        if (again) {
          again = false;
          refresh();
        }
      });
    return refreshing;
  }

  showStatus(status);
  main.replaceChildren(
    header,
    actions.element,
    h('div', { class: 'run-grid' },
      h('section', { class: 'panel', 'aria-label': 'Graph' }, h('h2', {}, 'Graph'), svg),
      h('section', { class: 'panel', 'aria-label': 'Timeline' },
        h('h2', {}, 'Events ', connection),
        timeline.streams,
        timeline.list)),
    data);

  // Events are drawn once per animation frame, however many arrived in it: one append to the timeline, one update
  // per node that changed and at most one status read, so a fast stream costs frames, not a redraw per event.
  let arrived = [];
  let frame = 0;
  function draw() {
    frame = 0;
    const batch = arrived;
    arrived = [];
    const changed = new Map();
    for (const event of batch) {
      const node = nodes.apply(event);
      if (node) changed.set(node[0], node[1]);
    }
    timeline.addAll(batch);
    for (const [nodeId, state] of changed) update(nodeId, { ...state, current: state.status === 'running' || state.status === 'waiting' });
    if (batch.some((event) => event.type !== 'node.progress')) refresh();
  }

  const stream = followEvents(id, {
    onEvent(event) {
      arrived.push(event);
      frame ||= requestAnimationFrame(draw);
    },
    onState(state) { connection.textContent = state; connection.dataset.state = state; },
    onProblem(code, problem) { timeline.list.after(problemView({ message: `${code} ${problem.title ?? ''} ${problem.detail ?? ''}` })); },
  });
  hooks.dropStream = () => stream.drop();
  return () => { stream.close(); cancelAnimationFrame(frame); hooks.dropStream = () => {}; };
}
