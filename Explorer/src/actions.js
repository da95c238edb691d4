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

/**
 * The action bar and forms, built once per run page: update(status) only enables, disables and adds or drops what the
 * status asks for, so a redraw (every event asks for the status again) never clears a half-typed signal or comment.
 * <after> refreshes the page's status once an action was taken.
 */
export function createActions(id, { after, navigate }) {
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

  const approvalList = h('div', {});
  const approvals = h('div', { class: 'approvals', hidden: true }, h('h3', {}, 'Waiting for approval'), approvalList);
  const shownApprovals = new Map();
  function approvalView(approval) {
    const comment = h('input', { type: 'text', 'aria-label': `Comment for ${approval.toolCallId}`, placeholder: 'comment (optional)' });
    return h('div', { class: 'approval', 'data-tool-call': approval.toolCallId },
      h('strong', {}, `Tool call ${approval.name}`), ' ', h('code', {}, approval.toolCallId),
      h('pre', {}, JSON.stringify(approval.arguments ?? null, null, 2)),
      comment,
      h('button', { type: 'button', class: 'approve', onclick: run('Approve', () => decideToolCall(id, approval.toolCallId, true, comment.value)) }, 'Approve'),
      h('button', { type: 'button', class: 'reject', onclick: run('Reject', () => decideToolCall(id, approval.toolCallId, false, comment.value)) }, 'Reject'));
  }

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
  const rerun = h('button', { type: 'submit' }, 'Re-run');
  const rerunForm = h('form', {
    class: 'inline-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const answer = await run('Re-run', () => rerunRun(id, fromNode.value))();
      if (answer?.id) navigate(`/ui/runs/${encodeURIComponent(answer.id)}`);
    },
  }, fromNode, rerun);

  const cancel = h('button', { type: 'button', onclick: run('Cancel', () => cancelRun(id)) }, 'Cancel');
  const pause = h('button', { type: 'button', onclick: run('Pause', () => pauseRun(id)) }, 'Pause');
  const resume = h('button', { type: 'button', onclick: run('Resume', () => resumeRun(id)) }, 'Resume');
  const form = h('div', {});
  const element = h('section', { class: 'actions', 'aria-label': 'Actions' }, h('div', { class: 'buttons' }, cancel, pause, resume), approvals, form, out);

  function update(status) {
    const terminal = ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(status.status);
    cancel.disabled = terminal;
    pause.disabled = terminal || status.status === 'paused';
    resume.disabled = terminal;
    rerun.disabled = !terminal;

    // Decided calls go, new ones come; a call still pending keeps its element and the comment typed into it.
    const pending = new Map((status.waitingFor ?? []).filter((w) => w.approval).map((w) => [w.approval.toolCallId, w.approval]));
    for (const [callId, view] of shownApprovals) {
      if (!pending.has(callId)) { view.remove(); shownApprovals.delete(callId); }
    }
    for (const [callId, approval] of pending) {
      if (!shownApprovals.has(callId)) { const view = approvalView(approval); shownApprovals.set(callId, view); approvalList.append(view); }
    }
    approvals.hidden = shownApprovals.size === 0;

    const wanted = terminal ? rerunForm : signalForm;
    if (form.firstChild !== wanted) form.replaceChildren(wanted);
  }

  return { element, update };
}
