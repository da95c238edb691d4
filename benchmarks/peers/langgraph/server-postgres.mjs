// LangGraph JS on PostgreSQL, as a user who embeds it serves it: the S11 graph compiled with PostgresSaver
// (@langchain/langgraph-checkpoint-postgres) on the repo's PostgreSQL, behind a plain node:http server.
//   POST /runs            starts a run (a new thread) and streams its tokens as SSE: `id: n`, `event: token`,
//                         `data: <the chunk's text>`, then `event: end` (or `event: error`).
//   GET  /runs/{id}/stream attaches another client to the run's live stream. LangGraph JS keeps no stream
//                         history, so a client that reconnects sees what comes after, not what it missed.
// Environment: S11_PORT, S11_PG (a libpq URL), S11_SIMULATOR_URL, S11_MODEL.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import { PROMPT, build } from "./agent-graph.mjs";

const checkpointer = PostgresSaver.fromConnString(process.env.S11_PG);
await checkpointer.setup();
const graph = build(checkpointer);
const runs = new Map(); // run id -> { listeners: Set<ServerResponse>, seq }

function send(run, event, data) {
  run.seq++;
  const frame = `id: ${run.seq}\nevent: ${event}\ndata: ${data}\n\n`;
  for (const res of run.listeners) res.write(frame);
}

function listen(run, res) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", "x-run-id": run.id });
  res.flushHeaders();
  run.listeners.add(res);
  res.on("close", () => run.listeners.delete(res));
}

async function execute(run, warmup) {
  try {
    const stream = await graph.stream({ messages: [{ role: "user", content: PROMPT }] },
      { configurable: { thread_id: run.id, warmup }, streamMode: "messages" });
    for await (const [chunk] of stream) {
      if (typeof chunk.content === "string" && chunk.content.length > 0 && chunk._getType?.() === "ai") send(run, "token", JSON.stringify(chunk.content));
    }
    send(run, "end", "{}");
  } catch (error) {
    send(run, "error", JSON.stringify(String(error?.message ?? error)));
  } finally {
    for (const res of run.listeners) res.end();
    runs.delete(run.id);
  }
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/ok") return res.end("ok");
  if (req.method === "POST" && (req.url === "/runs" || req.url === "/runs?warmup=1")) {
    req.resume();
    const run = { id: randomUUID(), listeners: new Set(), seq: 0 };
    runs.set(run.id, run);
    listen(run, res);
    execute(run, req.url.endsWith("warmup=1"));
    return;
  }
  const m = req.method === "GET" && /^\/runs\/([^/]+)\/stream$/.exec(req.url);
  if (m && runs.has(m[1])) return listen(runs.get(m[1]), res);
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.S11_PORT ?? 2025), "127.0.0.1");
