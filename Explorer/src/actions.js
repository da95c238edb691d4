import { api } from './api.js';
import { h } from './dom.js';
import { problemView } from './problem.js';

// One small function per action on a run; each answers what the API answered.
const base = (id) => `/v1/executions/${encodeURIComponent(id)}`;
export const cancelRun = (id) => api(`${base(id)}/cancel`, { method: 'POST' });
export const pauseRun = (id) => api(`${base(id)}/pause`, { method: 'POST' });
export const resumeRun = (id) => api(`${base(id)}/resume`, { method: 'POST' });
export const sendSignal = (id, name, payload) => api(`${base(id)}/signals/${encodeURIComponent(name)}`, { method: 'POST', body: payload });
export const decideToolCall = (id, toolCallId, approved, comment) =>
  sendSignal(id, 'approval', comment ? { toolCallId, approved, comment } : { toolCallId, approved });
export const rerunRun = (id, fromNode) => api(`${base(id)}/rerun`, { method: 'POST', body: fromNode ? { fromNode } : {} });

/** The action bar and forms; <paramref name="after"/> refreshes the page's status once an action was taken. */
export function actionsView(id, status, { after, navigate }) {
  const out = h('div', { class: 'action-result', 'aria-live': 'polite' });
  const run = (label, action) => async () => {
    out.replaceChildren(h('span', { class: 'muted' }, `${label}…`));
    try {
      const answer = await action();
      out.replaceChildren(h('span', { class: 'ok' }, `${label}: done`));
      after?.(answer);
      return answer;
    } catch (error) {
      out.replaceChildren(problemView(error));
      return undefined;
    }
  };
  const terminal = ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(status.status);

  const approvals = (status.waitingFor ?? []).filter((w) => w.approval).map((w) => {
    const comment = h('input', { type: 'text', 'aria-label': `Comment for ${w.approval.toolCallId}`, placeholder: 'comment (optional)' });
    return h('div', { class: 'approval', 'data-tool-call': w.approval.toolCallId },
      h('strong', {}, `Tool call ${w.approval.name}`), ' ', h('code', {}, w.approval.toolCallId),
      h('pre', {}, JSON.stringify(w.approval.arguments ?? null, null, 2)),
      comment,
      h('button', { type: 'button', class: 'approve', onclick: run('Approve', () => decideToolCall(id, w.approval.toolCallId, true, comment.value)) }, 'Approve'),
      h('button', { type: 'button', class: 'reject', onclick: run('Reject', () => decideToolCall(id, w.approval.toolCallId, false, comment.value)) }, 'Reject'));
  });

  const signalName = h('input', { type: 'text', name: 'signal', 'aria-label': 'Signal name', placeholder: 'signal name', required: true });
  const signalBody = h('textarea', { name: 'payload', 'aria-label': 'Signal payload (JSON)', rows: 2 }, '{}');
  const signalForm = h('form', {
    class: 'inline-form',
    onsubmit: (e) => {
      e.preventDefault();
      let payload;
      try { payload = JSON.parse(signalBody.value || 'null'); } catch (error) {
        out.replaceChildren(problemView(new Error(`The payload is not JSON: ${error.message}`)));
        return;
      }
      run('Signal', () => sendSignal(id, signalName.value, payload))();
    },
  }, signalName, signalBody, h('button', { type: 'submit' }, 'Send signal'));

  const fromNode = h('input', { type: 'text', 'aria-label': 'Re-run from node', placeholder: 'from node (optional)' });
  const rerunForm = h('form', {
    class: 'inline-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const answer = await run('Re-run', () => rerunRun(id, fromNode.value))();
      if (answer?.id) navigate(`/ui/runs/${encodeURIComponent(answer.id)}`);
    },
  }, fromNode, h('button', { type: 'submit', disabled: !terminal }, 'Re-run'));

  return h('section', { class: 'actions', 'aria-label': 'Actions' },
    h('div', { class: 'buttons' },
      h('button', { type: 'button', disabled: terminal, onclick: run('Cancel', () => cancelRun(id)) }, 'Cancel'),
      h('button', { type: 'button', disabled: terminal || status.status === 'paused', onclick: run('Pause', () => pauseRun(id)) }, 'Pause'),
      h('button', { type: 'button', disabled: terminal, onclick: run('Resume', () => resumeRun(id)) }, 'Resume')),
    approvals.length ? h('div', { class: 'approvals' }, h('h3', {}, 'Waiting for approval'), approvals) : null,
    terminal ? rerunForm : signalForm,
    out);
}
