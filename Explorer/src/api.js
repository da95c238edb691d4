// Every call to /v1 goes through here: the key the user typed (sessionStorage, so it ends with the tab)
// and RFC 9457 problems turned into an error the pages can show.
const KeyName = 'agentorleans.key';

export const key = {
  get: () => sessionStorage.getItem(KeyName),
  set: (value) => value ? sessionStorage.setItem(KeyName, value) : sessionStorage.removeItem(KeyName),
};

export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function headers(extra = {}) {
  const all = { Accept: 'application/json', ...extra };
  const k = key.get();
  if (k) all.Authorization = `Bearer ${k}`;
  return all;
}

export async function api(path, { method = 'GET', body, signal } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }), signal };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    throw new ProblemError(response.status, json ?? { title: `HTTP ${response.status}`, detail: text || response.statusText });
  }
  return json;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.append(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
