import { api, query } from './api.js';
import { h, when } from './dom.js';
import { problemView } from './problem.js';

const act = (id, verb) => api(`/v1/schedules/${encodeURIComponent(id)}/${verb}`, { method: 'POST' });
export const pauseSchedule = (id) => act(id, 'pause');
export const resumeSchedule = (id) => act(id, 'resume');
export const triggerSchedule = (id) => act(id, 'trigger');

/** Schedules with their next fire times; pause, resume and trigger each answer in the row. */
export async function schedulesPage(main) {
  const rows = h('tbody', {});
  const problem = h('div', {});
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  let after = null;

  function row(s, note = null) {
    const out = h('td', { 'aria-live': 'polite' }, note);
    const tr = h('tr', { 'data-schedule': s.id });
    const doing = (label, action) => async () => {
      try {
        const answer = await action(s.id);
        const fresh = answer?.schedule ?? answer;
        if (fresh?.id === s.id) tr.replaceWith(row(fresh));
        else out.replaceChildren(`${label}: done`);
      } catch (error) {
        out.replaceChildren(problemView(error));
      }
    };
    // A trigger answers with the fire, not the schedule: the row is read again so its last fire shows the run.
    const trigger = async () => {
      try {
        const fire = await triggerSchedule(s.id);
        const fresh = await api(`/v1/schedules/${encodeURIComponent(s.id)}`);
        const fired = fire?.executionId
          ? h('span', {}, 'Triggered: ', h('a', { href: `/ui/runs/${encodeURIComponent(fire.executionId)}`, class: 'fired' }, fire.executionId))
          : `Triggered: ${fire?.outcome ?? 'done'}${fire?.message ? ` (${fire.message})` : ''}`;
        tr.replaceWith(row(fresh, fired));
      } catch (error) {
        out.replaceChildren(problemView(error));
      }
    };
    tr.append(
      h('td', {}, s.id),
      h('td', {}, h('a', { href: `/ui/workflows/${encodeURIComponent(s.workflowId)}` }, s.workflowId)),
      h('td', {}, s.cron ? `${s.cron}${s.timeZone ? ` (${s.timeZone})` : ''}` : `every ${s.every}`),
      h('td', {}, h('span', { class: `badge state-${s.state}` }, s.state)),
      h('td', {}, h('ul', { class: 'fires' }, (s.nextFires ?? []).slice(0, 3).map((f) => h('li', {}, when(f))))),
      h('td', {}, (s.lastFires ?? []).slice(0, 1).map((f) => f.executionId
        ? h('a', { href: `/ui/runs/${encodeURIComponent(f.executionId)}` }, `${when(f.at)} ${f.outcome}`)
        : `${when(f.at)} ${f.outcome}`)),
      h('td', {}, h('div', { class: 'buttons' },
        s.paused
          ? h('button', { type: 'button', onclick: doing('Resume', resumeSchedule) }, 'Resume')
          : h('button', { type: 'button', onclick: doing('Pause', pauseSchedule) }, 'Pause'),
        h('button', { type: 'button', onclick: trigger }, 'Trigger'))),
      out);
    return tr;
  }

  async function load() {
    try {
      const page = await api(`/v1/schedules${query({ after, limit: 50 })}`);
      page.items.forEach((s) => rows.append(row(s)));
      after = page.items.at(-1)?.id ?? after;
      more.hidden = !page.next;
    } catch (error) {
      problem.replaceChildren(problemView(error));
    }
  }
  more.addEventListener('click', load);
  main.replaceChildren(h('h1', {}, 'Schedules'), problem,
    h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, h('tr', {}, ['Schedule', 'Workflow', 'When', 'State', 'Next fires', 'Last fire', 'Actions', ''].map((t) => h('th', { scope: 'col' }, t)))), rows)), more);
  await load();
}
