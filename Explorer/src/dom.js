// Builds elements from data without innerHTML: event payloads and API text are untrusted.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** A collapsible JSON block: input, result and errors can be large. */
export function jsonDetails(summary, value, open = false) {
  return h('details', { class: 'json', open },
    h('summary', {}, summary),
    h('pre', {}, JSON.stringify(value, null, 2)));
}

// One formatter for every timestamp: toLocaleString builds a new one per call, which a page of rows feels.
const LocalTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

export function when(iso) {
  return iso ? LocalTime.format(new Date(iso)) : '';
}
