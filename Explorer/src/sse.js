import { headers } from './api.js';

export const TerminalEvents = new Set(['execution.completed', 'execution.failed', 'execution.cancelled', 'execution.timed_out']);

/**
 * Follows an execution's events over SSE with fetch and a streamed body (EventSource cannot send a bearer key).
 * After a drop it resumes with Last-Event-ID; events are handed on once each, by seq, since a resume may repeat.
 * Returns { close, drop }: drop aborts the connection as a network failure would (the tests use it).
 */
export function followEvents(executionId, { onEvent, onState, onProblem }) {
  let lastId = null;
  let highestSeq = 0;
  let controller = null;
  let closed = false;
  let ended = false;
  let failures = 0;

  const url = `/v1/executions/${encodeURIComponent(executionId)}/events`;

  async function connect() {
    while (!closed && !ended) {
      controller = new AbortController();
      onState?.(lastId === null ? 'connecting' : 'resuming');
      try {
        const h = headers({ Accept: 'text/event-stream' });
        if (lastId !== null) h['Last-Event-ID'] = lastId;
        const response = await fetch(url, { headers: h, signal: controller.signal, cache: 'no-store' });
        if (!response.ok) {
          let problem;
          try { problem = await response.json(); } catch { problem = { title: `HTTP ${response.status}` }; }
          onProblem?.(response.status, problem);
          return;
        }
        onState?.('live');
        failures = 0;
        await read(response.body.getReader());
        // The server ends the stream after the terminal event; an end before it is a drop.
      } catch (error) {
        if (closed) return;
        if (error?.name !== 'AbortError') failures++;
      }
      if (!closed && !ended) {
        onState?.('dropped');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 200 * 2 ** Math.min(failures, 5))));
      }
    }
    if (ended) onState?.('ended');
  }

  async function read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    let frame = { id: null, event: 'message', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      // Split once per chunk and keep the unfinished last line: slicing the buffer line by line copies a big chunk
      // (a finished run's whole log) once per line.
      const lines = (buffer + decoder.decode(value, { stream: true })).split(/\r?\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          dispatch(frame);
          frame = { id: null, event: 'message', data: [] };
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') frame.id = text;
          else if (field === 'event') frame.event = text;
          else if (field === 'data') frame.data.push(text);
        }
      }
    }
  }

  function dispatch(frame) {
    if (frame.data.length === 0) return;
    if (frame.id !== null) lastId = frame.id;
    let data;
    try { data = JSON.parse(frame.data.join('\n')); } catch { return; }
    if (frame.event === 'problem') {
      onProblem?.(data.status ?? 422, data);
      return;
    }
    if (typeof data.seq === 'number') {
      if (data.seq <= highestSeq) return;
      highestSeq = data.seq;
    }
    if (TerminalEvents.has(data.type)) ended = true;
    onEvent(data);
  }

  connect();
  return {
    close() { closed = true; controller?.abort(); },
    drop() { controller?.abort(); },
  };
}
