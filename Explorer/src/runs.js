import { api, query } from './api.js';
import { h, when } from './dom.js';
import { problemView } from './problem.js';

const Statuses = ['scheduled', 'queued', 'running', 'waiting', 'paused', 'succeeded', 'failed', 'cancelled', 'timed_out'];

/** The runs list: filters in the URL, keyset "load more", counts per status refreshed every 2 s while the tab is shown. */
export function runsPage(main, { navigate, params }) {
  const field = (name, attrs = {}) => h('input', { name, id: `f-${name}`, value: params.get(name) ?? '', ...attrs });
  const status = h('select', { name: 'status', id: 'f-status' }, h('option', { value: '' }, 'any'),
    Statuses.map((s) => h('option', { value: s, selected: params.get('status') === s }, s)));
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
    navigate(`/ui/runs${q.size ? `?${q}` : ''}`);
  } },
  h('label', { for: 'f-status' }, 'Status'), status,
  h('label', { for: 'f-workflowId' }, 'Workflow'), field('workflowId'),
  h('label', { for: 'f-createdAfter' }, 'Created after'), field('createdAfter', { placeholder: '2026-01-01T00:00:00Z' }),
  h('label', { for: 'f-createdBefore' }, 'Created before'), field('createdBefore'),
  h('label', { for: 'f-label' }, 'Label'), field('label', { placeholder: 'key:value' }),
  h('button', { type: 'submit' }, 'Filter'));

  const filter = Object.fromEntries(['status', 'workflowId', 'createdAfter', 'createdBefore', 'label'].map((k) => [k, params.get(k) ?? '']));
  const counts = h('ul', { class: 'counts', id: 'counts', 'aria-label': 'Runs per status' });
  const rows = h('tbody', {});
  const problem = h('div', {});
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  let cursor = null;

  async function load() {
    try {
      const page = await api(`/v1/executions${query({ ...filter, cursor, limit: 50 })}`);
      for (const r of page.items) {
        rows.append(h('tr', { 'data-run': r.id },
          h('td', {}, h('a', { href: `/ui/runs/${encodeURIComponent(r.id)}` }, r.id)),
          h('td', {}, `${r.workflowId} v${r.version}`),
          h('td', {}, h('span', { class: `badge status-${r.status}` }, r.status)),
          h('td', {}, when(r.createdAt)),
          h('td', {}, Object.entries(r.labels ?? {}).map(([k, v]) => `${k}:${v}`).join(' '))));
      }
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (error) {
      problem.replaceChildren(problemView(error));
    }
  }
  more.addEventListener('click', load);

  // One index query gives every status's count under the other filters (the list's status filter is left out).
  const countFilter = { ...filter, status: undefined };
  let timer = 0;
  let left = false;
  async function refreshCounts() {
    if (!document.hidden) {
      try {
        const { counts: byStatus } = await api(`/v1/executions/counts${query(countFilter)}`);
        counts.replaceChildren(...Statuses.map((s) => h('li', { 'data-status': s },
          h('a', { href: `/ui/runs${query({ ...filter, status: s })}` }, h('span', { class: `badge status-${s}` }, s), ` ${byStatus[s] ?? 0}`))));
      } catch (error) {
        counts.replaceChildren(h('li', {}, problemView(error)));
      }
    }
    // Every 2 s after the last answer, so a slow server is never asked twice at once.
    if (!left) timer = setTimeout(refreshCounts, 2000);
  }

  main.replaceChildren(h('h1', {}, 'Runs'), form, counts, problem,
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ['Run', 'Workflow', 'Status', 'Created', 'Labels'].map((t) => h('th', { scope: 'col' }, t)))), rows)),
    more);
  // The rows first: the counts are asked for once they are drawn, so the two never compete for the first paint.
  load().then(refreshCounts);
  return () => { left = true; clearTimeout(timer); };
}
