// S11's driver for the LangGraph JS peer (see benchmarks/peers/README.md): starts the server in its own process
// group, warms it up, runs N agent runs at once with one streaming client each (the first R drop their connection
// halfway through the second turn and come back), and writes one JSON line per figure, as the other peers' drivers.
//   node bench.mjs --variant dev-server|postgres|simulator-direct-node --n 10 --tokens 200 --token-ms 20
//     --simulator http://127.0.0.1:PORT --simulator-pid PID [--pg postgres://…] --out LINES --log-dir DIR
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, appendFileSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "@langchain/langgraph-sdk";
import pg from "pg";
import { PROMPT } from "./agent-graph.mjs";

const HERE = new URL(".", import.meta.url).pathname;
const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith("--") ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const variant = args.variant;
const n = Number(args.n ?? 10);
const tokens = Number(args.tokens ?? 200);
const tokenMs = Number(args["token-ms"] ?? 20);
const turns = 3;
const expected = turns * tokens;
const reconnects = Math.min(10, Math.max(1, Math.floor(n / 100)));
const warmUp = Number(args.warmup ?? 50);
const timeoutMs = Number(args.timeout ?? 600) * 1000;
const simulatorPid = Number(args["simulator-pid"]);
const model = `sim-stream-${tokens}-${tokenMs}ms`;
const log = (m) => process.stderr.write(`[langgraph ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;
const loadavg = () => Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);

/** A run's stamped tokens (`@` + the simulator's emit time in µs): distinct ones, all received, first-delivery latencies. */
class Tally {
  constructor(measure) { this.seen = new Set(); this.received = 0; this.latencies = measure ? [] : null; }
  scan(text) {
    const at = nowUs();
    for (const m of text.matchAll(/@(\d{16}) /g)) {
      this.received++;
      if (!this.seen.has(m[1])) {
        this.seen.add(m[1]);
        this.latencies?.push((at - Number(m[1])) / 1000);
      }
    }
  }
}

/** CPU seconds (utime + stime) and VmRSS bytes summed over every process of a process group. */
function groupStats(pgid) {
  let cpu = 0, rss = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(f[5 - 3]) !== pgid) continue; // field 5: pgrp
      cpu += (Number(f[14 - 3]) + Number(f[15 - 3])) / 100;
      rss += Number(f[24 - 3]) * 4096;
    } catch { /* gone */ }
  }
  return { cpu, rss };
}

const processCpu = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[14 - 3]) + Number(f[15 - 3])) / 100;
};

const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });

async function waitReady(url, child) {
  for (let i = 0; i < 1200; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    await sleep(100);
  }
  throw new Error(`${url} was not ready in 120 s`);
}

async function startServer(port) {
  const env = { ...process.env, S11_SIMULATOR_URL: `${args.simulator}/v1`, S11_MODEL: model, S11_PORT: String(port), S11_PG: args.pg ?? "",
    LANGSMITH_TRACING: "false", LANGCHAIN_TRACING_V2: "false", LANGGRAPH_CLI_NO_ANALYTICS: "1", NODE_ENV: "production" };
  const out = openSync(`${args["log-dir"] ?? "/tmp"}/s11-langgraph-${variant}-${n}.log`, "a");
  const argv = variant === "dev-server"
    // The dev server runs 10 runs at a time by default (--n-jobs-per-worker); N here, so all N run at once as ours do.
    ? [`${HERE}node_modules/@langchain/langgraph-cli/dist/cli/cli.mjs`, "dev", "--port", String(port), "--host", "127.0.0.1", "--no-browser",
       "--n-jobs-per-worker", String(Math.max(10, n)), "--config", `${HERE}langgraph.json`]
    : [`${HERE}server-postgres.mjs`];
  const child = spawn(process.execPath, argv, { cwd: HERE, env, detached: true, stdio: ["ignore", out, out] });
  await waitReady(`http://127.0.0.1:${port}/ok`, child);
  return child;
}

/** One client of one run on the dev server: runs.stream, and joinStream with the last event id after a drop. */
async function devServerRun(client, tally, drop, warmup) {
  const thread = await client.threads.create();
  const abort = new AbortController();
  let runId, lastEventId, dropped = false, ended = false;
  const read = async (stream) => {
    for await (const part of stream) {
      if (part.id) lastEventId = part.id;
      if (part.event === "metadata") runId = part.data.run_id;
      else if (part.event === "error") throw new Error(JSON.stringify(part.data));
      else if (part.event.startsWith("messages") && Array.isArray(part.data) && typeof part.data[0]?.content === "string") {
        tally.scan(part.data[0].content);
        if (drop && !dropped && tally.received >= drop) { dropped = true; abort.abort(); return; }
      } else if (part.event === "end") ended = true;
    }
    ended = true;
  };
  try {
    await read(client.runs.stream(thread.thread_id, "agent", {
      input: { messages: [{ role: "user", content: PROMPT }] }, streamMode: "messages-tuple", streamResumable: true,
      onDisconnect: "continue", config: { configurable: { warmup } }, signal: abort.signal }));
  } catch (e) { if (!dropped) throw e; }
  if (dropped) {
    await sleep(500);
    await read(client.runs.joinStream(thread.thread_id, runId, { lastEventId, streamMode: "messages-tuple" }));
  }
  return { reconnected: dropped, ended };
}

/** One client of one run on the PostgreSQL server: POST /runs (SSE), and GET /runs/{id}/stream after a drop. */
async function postgresRun(base, tally, drop, warmup) {
  const abort = new AbortController();
  let dropped = false, ended = false;
  const read = async (response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const bytes of response.body) {
      buffer += decoder.decode(bytes, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (frame.includes("event: token")) {
          tally.scan(frame);
          if (drop && !dropped && tally.received >= drop) { dropped = true; abort.abort(); return; }
        } else if (frame.includes("event: end")) ended = true;
        else if (frame.includes("event: error")) throw new Error(frame);
      }
    }
  };
  const response = await fetch(`${base}/runs${warmup ? "?warmup=1" : ""}`, { method: "POST", body: "{}", signal: abort.signal });
  const runId = response.headers.get("x-run-id");
  try { await read(response); } catch (e) { if (!dropped) throw e; }
  if (dropped) {
    await sleep(500);
    const again = await fetch(`${base}/runs/${runId}/stream`);
    if (again.status === 404) return { reconnected: true, ended: false, gone: true };
    await read(again);
  }
  return { reconnected: dropped, ended };
}

/** The floor as a node client sees it: the same 3 streams straight from the simulator, one after another. */
async function directRun(tally) {
  for (let t = 0; t < turns; t++) {
    const response = await fetch(`${args.simulator}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, stream: true, messages: [{ role: "user", content: PROMPT }] }) });
    const decoder = new TextDecoder();
    for await (const bytes of response.body) tally.scan(decoder.decode(bytes, { stream: true }));
  }
  return { reconnected: false, ended: true };
}

async function storageRows() {
  if (variant !== "postgres") return null;
  const c = new pg.Client({ connectionString: args.pg });
  await c.connect();
  try {
    const r = await c.query("select (select count(*) from checkpoints) + (select count(*) from checkpoint_blobs) + (select count(*) from checkpoint_writes) as n");
    return Number(r.rows[0].n);
  } finally { await c.end(); }
}

async function runAll(count, measure, oneRun) {
  const tallies = Array.from({ length: count }, (_, i) => new Tally(measure && i >= (measure ? reconnects : 0)));
  const results = await Promise.all(tallies.map((t, i) => oneRun(t, measure && i < reconnects ? tokens + tokens / 2 : null)
    .catch((e) => ({ error: String(e?.message ?? e) }))));
  return { tallies, results };
}

const port = await freePort();
const server = variant === "simulator-direct-node" ? null : await startServer(port);
const base = `http://127.0.0.1:${port}`;
const sdk = new Client({ apiUrl: base });
const oneRun = (warmup) => (tally, drop) => variant === "dev-server" ? devServerRun(sdk, tally, drop, warmup)
  : variant === "postgres" ? postgresRun(base, tally, drop, warmup) : directRun(tally);
try {
  if (server) {
    log(`${variant}: warm-up, ${warmUp} short runs`);
    const w = await runAll(warmUp, false, oneRun(true));
    const bad = w.results.filter((r) => r.error || !r.ended);
    if (bad.length) throw new Error(`warm-up: ${bad.length} runs failed, e.g. ${JSON.stringify(bad[0])}`);
    await sleep(2000);
  }
  log(`${variant}: N=${n} runs of ${turns} turns x ${tokens} tokens at ${tokenMs} ms (load average ${loadavg()})`);
  const load0 = loadavg();
  const rows0 = await storageRows();
  const s0 = server ? groupStats(server.pid) : { cpu: 0, rss: 0 };
  const sim0 = processCpu(simulatorPid);
  const tool0 = process.cpuUsage();
  let peak = s0.rss;
  const sampler = server ? setInterval(() => { peak = Math.max(peak, groupStats(server.pid).rss); }, 100) : null;
  const t0 = performance.now();
  const { tallies, results } = await Promise.race([runAll(n, true, oneRun(false)), sleep(timeoutMs).then(() => { throw new Error("timed out"); })]);
  const wall = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const s1 = server ? groupStats(server.pid) : { cpu: 0, rss: 0 };
  const simCpu = processCpu(simulatorPid) - sim0;
  const toolCpu = (process.cpuUsage(tool0).user + process.cpuUsage(tool0).system) / 1e6;
  if (variant === "postgres") await sleep(500);
  const rows1 = await storageRows();
  const delivered = tallies.reduce((a, t) => a + t.seen.size, 0);
  const latencies = tallies.flatMap((t) => t.latencies ?? []).sort((a, b) => a - b);
  const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p / 100 * latencies.length) - 1))] : null;
  const lost = (ts) => ts.reduce((a, t) => a + Math.max(0, expected - t.seen.size), 0);
  const dup = (ts) => ts.reduce((a, t) => a + (t.received - t.seen.size), 0);
  const failed = results.filter((r) => r.error || !r.ended);
  for (const f of failed.slice(0, 3)) log(`  a run did not end well: ${JSON.stringify(f)}`);
  const cpu = s1.cpu - s0.cpu;
  const settings = { concurrent_runs: n, turns, tokens_per_turn: tokens, token_interval_ms: tokenMs, tool_calls_per_run: server ? 2 : 0,
    wall_s: Math.round(wall * 1000) / 1000, tokens_delivered: delivered, latencies_measured: latencies.length,
    server_cpu_s: cpu, simulator_cpu_s: simCpu, load_tool_cpu_s: toolCpu, rss_before_bytes: s0.rss, rss_peak_bytes: peak,
    clients_reconnected: results.filter((r) => r.reconnected).length,
    coalescing: "none: one SSE event per token", model_client: server ? "@langchain/openai ChatOpenAI (streaming) on the simulator" : "fetch",
    loadavg_at_start: load0, loadavg_at_end: loadavg() };
  const system = variant === "simulator-direct-node" ? "floor" : "langgraph";
  const line = (metric, unit, value) => appendFileSync(args.out, JSON.stringify({ scenario: "S11", system, variant, metric: `${metric}@${n}`, unit,
    value: value === null || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000, settings }) + "\n");
  line("runs_per_second", "runs/s", n / wall);
  line("tokens_per_second", "tokens/s", delivered / wall);
  line("token_delivery_p50", "ms", pct(50));
  line("token_delivery_p99", "ms", pct(99));
  line("token_delivery_max", "ms", latencies.at(-1) ?? null);
  line("runs_failed", "runs", failed.length);
  line("tokens_lost", "tokens", lost(tallies));
  line("tokens_duplicated", "tokens", dup(tallies));
  line("simulator_cpu_ms_per_1000_tokens", "ms", simCpu * 1000 / (delivered / 1000));
  if (server) {
    line("cpu_ms_per_1000_tokens", "ms", cpu * 1000 / (delivered / 1000));
    line("cpu_ms_per_run", "ms", cpu * 1000 / n);
    line("rss_bytes_per_active_run", "bytes", (peak - s0.rss) / n);
    line("reconnect_tokens_lost", "tokens", lost(tallies.slice(0, reconnects)));
    line("reconnect_tokens_duplicated", "tokens", dup(tallies.slice(0, reconnects)));
  }
  if (rows0 !== null && rows1 !== null) line("storage_writes_per_run", "writes", (rows1 - rows0) / n);
  log(`${variant}: ${n} runs in ${wall.toFixed(1)} s, ${delivered} tokens, p99 ${pct(99)?.toFixed(1)} ms, ${failed.length} failed`);
} finally {
  if (server) try { process.kill(-server.pid, "SIGKILL"); } catch { /* gone */ }
}
process.exit(0);
