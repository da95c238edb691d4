import { h, jsonDetails } from './dom.js';

/**
 * The event timeline: one item per event (its seq in data-seq, so a test can check each arrived once), LLM tokens
 * appended to their node's text as they arrive, and each tool call folded together with its result.
 */
export function createTimeline() {
  const list = h('ol', { class: 'timeline', id: 'timeline', 'aria-live': 'polite' });
  const streams = h('div', { class: 'streams', id: 'streams' });
  const texts = new Map();
  const calls = new Map();

  function textFor(nodeId) {
    if (!texts.has(nodeId)) {
      const pre = h('pre', { class: 'tokens', 'data-node': nodeId });
      const callList = h('div', { class: 'tool-calls' });
      streams.append(h('section', { class: 'stream' }, h('h3', {}, `${nodeId}: streamed`), pre, callList));
      texts.set(nodeId, { pre, calls: callList });
    }
    return texts.get(nodeId);
  }

  function toolCall(nodeId, call) {
    const key = `${nodeId}\u0000${call.id}`;
    if (calls.has(key)) return calls.get(key);
    const result = h('div', { class: 'tool-result' }, h('span', { class: 'muted' }, 'waiting for the result…'));
    const item = h('details', { class: 'tool-call', 'data-tool-call': call.id, open: true },
      h('summary', {}, `tool ${call.name ?? ''} (${call.id})`),
      h('div', {}, 'arguments'), h('pre', {}, JSON.stringify(call.arguments ?? null, null, 2)),
      result);
    textFor(nodeId).calls.append(item);
    const entry = { item, result };
    calls.set(key, entry);
    return entry;
  }

  function progress(event) {
    let tokens = 0;
    const tools = [];
    for (const chunk of event.data?.chunks ?? []) {
      if (typeof chunk.token === 'string') {
        textFor(event.nodeId).pre.append(chunk.token);
        tokens++;
      } else if (chunk.toolCall) {
        toolCall(event.nodeId, chunk.toolCall);
        tools.push(`tool call ${chunk.toolCall.name ?? ''}`);
      } else if (chunk.toolResult) {
        tools.push(`result of ${chunk.toolResult.name ?? chunk.toolResult.id}`);
        const entry = toolCall(event.nodeId, chunk.toolResult);
        entry.result.replaceChildren(h('div', {}, 'result'), h('pre', {}, JSON.stringify(chunk.toolResult.result ?? null, null, 2)));
        entry.item.dataset.done = 'true';
      }
    }
    return [tokens ? `${tokens} token(s)` : '', ...tools].filter(Boolean).join(', ');
  }

  function describe(event) {
    const d = event.data ?? {};
    switch (event.type) {
      case 'node.progress': return progress(event);
      case 'node.retrying':
        if (d.discardProgress && texts.has(event.nodeId)) texts.get(event.nodeId).pre.replaceChildren();
        return d.error?.message ?? '';
      case 'node.failed': return `${d.error?.type ?? d.type ?? ''} ${d.error?.message ?? d.message ?? ''}`;
      case 'node.waiting': return d.approval ? `approval of ${d.approval.name} (${d.approval.toolCallId})` : `signal ${d.signal ?? ''}`;
      case 'execution.signaled': return d.approval ? `${d.approval.approved ? 'approved' : 'rejected'} ${d.approval.toolCallId}` : d.name ?? d.signal ?? '';
      default: return '';
    }
  }

  function item(event) {
    const text = describe(event);
    const child = event.type === 'child.started' && event.data?.executionId
      ? h('a', { href: `/ui/runs/${encodeURIComponent(event.data.executionId)}` }, `child ${event.data.path ?? ''} → ${event.data.executionId}`)
      : null;
    const hasData = event.data && Object.keys(event.data).length && event.type !== 'node.progress';
    return h('li', { 'data-seq': event.seq, 'data-type': event.type },
      h('span', { class: 'seq' }, `#${event.seq}`), ' ',
      h('span', { class: 'etype' }, event.type), ' ',
      event.nodeId ? h('span', { class: 'enode' }, `${event.nodeId}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`) : null, ' ',
      text ? h('span', {}, text) : null,
      child,
      hasData ? jsonDetails('data', event.data) : null);
  }

  /** Appends a batch of events as one change to the document (a fragment), however many there are. */
  function addAll(events) {
    const batch = document.createDocumentFragment();
    for (const event of events) batch.append(item(event));
    list.append(batch);
  }

  return { list, streams, addAll };
}
