// What the events say about each node: its status, its latest attempt and how often it was retried.
const StatusOf = {
  'node.started': 'running',
  'node.progress': 'running',
  'node.retrying': 'retrying',
  'node.waiting': 'waiting',
  'node.completed': 'succeeded',
  'node.failed': 'failed',
};

export function createNodeStates() {
  const states = new Map();
  return {
    apply(event) {
      const status = StatusOf[event.type];
      if (!status || !event.nodeId) return null;
      const state = states.get(event.nodeId) ?? { status: 'pending', attempts: 0, retries: 0 };
      state.status = status;
      state.attempts = Math.max(state.attempts, event.attempt ?? 1);
      if (event.type === 'node.retrying') state.retries++;
      states.set(event.nodeId, state);
      return [event.nodeId, state];
    },
    all: () => states,
  };
}
