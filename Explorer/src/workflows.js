import { api, query } from './api.js';
import { h, when } from './dom.js';
import { lineDiff } from './diff.js';
import { drawGraph } from './graph.js';
import { problemView } from './problem.js';

/** Published workflows, a page at a time. */
export async function workflowsPage(main) {
  const rows = h('tbody', {});
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const problem = h('div', {});
  let cursor = null;
  async function load() {
    try {
      const page = await api(`/v1/workflows${query({ cursor, limit: 50 })}`);
      for (const w of page.items) {
        rows.append(h('tr', {},
          h('td', {}, h('a', { href: `/ui/workflows/${encodeURIComponent(w.id)}` }, w.id)),
          h('td', {}, w.latestVersion), h('td', {}, w.description ?? ''), h('td', {}, when(w.updatedAt))));
      }
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (error) {
      problem.replaceChildren(problemView(error));
    }
  }
  more.addEventListener('click', load);
  main.replaceChildren(h('h1', {}, 'Workflows'), problem,
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ['Workflow', 'Latest', 'Description', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))), rows)), more);
  await load();
}

/** One workflow: its versions, a version's definition and graph, and a line diff between two versions. */
export async function workflowPage(main, id, params) {
  const enc = encodeURIComponent(id);
  const { versions } = await api(`/v1/workflows/${enc}/versions`);
  const latest = versions.at(-1)?.version ?? 1;
  const shown = Number(params.get('version') ?? latest);
  const workflow = await api(`/v1/workflows/${enc}?version=${shown}`);
  const text = JSON.stringify(workflow.definition, null, 2);

  const pick = (name, selected) => h('select', { name, id: `d-${name}` }, versions.map((v) => h('option', { value: v.version, selected: v.version === selected }, `v${v.version}`)));
  const from = pick('from', Number(params.get('from') ?? Math.max(1, shown - 1)));
  const to = pick('to', shown);
  const diffOut = h('pre', { class: 'diff', id: 'diff' });
  async function showDiff() {
    try {
      const [a, b] = await Promise.all([from.value, to.value].map((v) => api(`/v1/workflows/${enc}?version=${v}`)));
      diffOut.replaceChildren(...lineDiff(JSON.stringify(a.definition, null, 2), JSON.stringify(b.definition, null, 2))
        .map((d) => h('span', { class: d.op === '+' ? 'add' : d.op === '-' ? 'del' : 'same' }, `${d.op} ${d.line}\n`)));
    } catch (error) {
      diffOut.replaceChildren(problemView(error));
    }
  }

  main.replaceChildren(
    h('h1', {}, 'Workflow ', h('code', {}, id)),
    h('p', {}, h('a', { href: `/ui/runs?workflowId=${enc}` }, 'Runs of this workflow')),
    h('h2', {}, 'Versions'),
    h('ul', { class: 'versions' }, versions.map((v) => h('li', {},
      h('a', { href: `/ui/workflows/${enc}?version=${v.version}`, 'aria-current': v.version === shown ? 'page' : null }, `v${v.version}`),
      ` published ${when(v.publishedAt)}`))),
    h('section', { class: 'panel' }, h('h2', {}, `Graph of v${shown}`), drawGraph(workflow.definition).svg),
    h('details', { class: 'json', open: true }, h('summary', {}, `Definition v${shown}`), h('pre', {}, text)),
    h('section', { class: 'panel' }, h('h2', {}, 'Compare versions'),
      h('form', { class: 'inline-form', onsubmit: (e) => { e.preventDefault(); showDiff(); } },
        h('label', { for: 'd-from' }, 'From'), from, h('label', { for: 'd-to' }, 'to'), to, h('button', { type: 'submit' }, 'Diff')),
      diffOut));
  if (versions.length > 1) await showDiff();
}
