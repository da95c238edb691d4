import { h } from './dom.js';
import { ProblemError } from './api.js';

/** An RFC 9457 problem as the API gave it: title, detail and every error with its pointer. Never a blank page. */
export function problemView(error) {
  const problem = error instanceof ProblemError ? error.problem : { title: 'The explorer could not do that', detail: String(error?.message ?? error) };
  const status = error instanceof ProblemError ? error.status : undefined;
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  return h('section', { class: 'problem', role: 'alert' },
    h('h2', {}, status ? `${status} ${problem.title ?? ''}` : problem.title ?? 'Error'),
    problem.detail ? h('p', {}, problem.detail) : null,
    errors.length ? h('ul', {}, errors.map((e) => h('li', {}, h('code', {}, e.pointer ?? ''), ' ', e.detail ?? e.message ?? ''))) : null,
    status === 401 || status === 403 ? h('p', {}, 'Set an API key with the "API key" button.') : null);
}

/** Runs an action, showing its problem in place of a blank or a silent failure. */
export async function guarded(target, action) {
  try {
    return await action();
  } catch (error) {
    target.replaceChildren(problemView(error));
    return undefined;
  }
}
