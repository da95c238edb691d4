import { key } from './api.js';
import { h } from './dom.js';
import { guarded } from './problem.js';
import { runsPage } from './runs.js';

const main = document.getElementById('main');
// Test hooks: the tests drop the event stream through it, as a network failure would.
const hooks = { dropStream: () => {} };
window.__explorer = hooks;
let leave = null;

// The runs list is the landing page and is loaded with the shell (index.html preloads it); the other pages are
// fetched when first opened, so the first load waits for no module it does not draw.
const routes = [
  [/^\/ui\/runs\/(.+)$/, async (m, ctx) => (await import('./run.js')).runPage(main, decodeURIComponent(m[1]), ctx)],
  [/^\/ui\/workflows\/(.+)$/, async (m, ctx) => (await import('./workflows.js')).workflowPage(main, decodeURIComponent(m[1]), ctx.params)],
  [/^\/ui\/workflows\/?$/, async () => (await import('./workflows.js')).workflowsPage(main)],
  [/^\/ui\/schedules\/?$/, async () => (await import('./schedules.js')).schedulesPage(main)],
  [/^\/ui(\/runs)?\/?$/, (m, ctx) => runsPage(main, ctx)],
];

async function render() {
  leave?.();
  leave = null;
  const url = new URL(location.href);
  const ctx = { navigate, hooks, params: url.searchParams };
  const route = routes.find(([pattern]) => pattern.test(url.pathname));
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  if (!route) {
    main.replaceChildren(h('section', { class: 'problem', role: 'alert' }, h('h2', {}, '404 Not Found'), h('p', {}, `The explorer has no page at ${url.pathname}.`)));
    return;
  }
  const [pattern, page] = route;
  const cleanup = await guarded(main, () => page(url.pathname.match(pattern), ctx));
  if (typeof cleanup === 'function') leave = cleanup;
  document.querySelectorAll('header nav a').forEach((a) => {
    if (url.pathname.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

export function navigate(path) {
  history.pushState(null, '', path);
  render();
  main.focus();
}

// Links inside the app change the page without a reload; modified clicks keep the browser's behaviour.
document.addEventListener('click', (e) => {
  const a = e.target.closest?.('a[href^="/ui"]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', render);

function keyDialog() {
  const input = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', 'aria-label': 'API key' });
  const dialog = h('dialog', { class: 'key-dialog' },
    h('form', { method: 'dialog' },
      h('h2', {}, 'API key'),
      h('p', {}, 'Sent as Authorization: Bearer on every call; kept in this tab only (sessionStorage).'),
      input,
      h('div', { class: 'buttons' },
        h('button', { type: 'submit', value: 'save' }, 'Save'),
        h('button', { type: 'submit', value: 'clear' }, 'Forget key'),
        h('button', { type: 'submit', value: 'cancel' }, 'Close'))));
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'save') key.set(input.value.trim());
    if (dialog.returnValue === 'clear') key.set(null);
    input.value = '';
    if (dialog.returnValue !== 'cancel') render();
  });
  document.body.append(dialog);
  return dialog;
}

const dialog = keyDialog();
document.getElementById('key-button').addEventListener('click', () => dialog.showModal());
render();
