// S11's agent as a LangGraph JS graph, the same as AgentOrleans' (benchmarks/agentorleans/AgentWorkflows.cs):
// a model node and a tool node in a loop; the model is the LLM simulator's OpenAI-compatible endpoint through
// @langchain/openai (ChatOpenAI, streaming), 3 turns of N stamped tokens; the first two turns call one tool each:
// `lookup`, a plain function, then `research`, which runs a child graph (LangGraph's equivalent of a child workflow).
// S11_SIMULATOR_URL (…/v1) and S11_MODEL (sim-stream-N-Dms) come from the environment.
import { ChatOpenAI } from "@langchain/openai";
import { tool } from "@langchain/core/tools";
import { Annotation, END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { ToolNode } from "@langchain/langgraph/prebuilt";
import { z } from "zod";

export const PROMPT = "use tool lookup, then use tool research, then answer";

const ResearchState = Annotation.Root({ query: Annotation(), found: Annotation() });
const research = new StateGraph(ResearchState)
  .addNode("research", (state) => ({ found: state.query }))
  .addEdge(START, "research")
  .addEdge("research", END)
  .compile();

const schema = z.object({ query: z.string() });
const tools = [
  tool(async ({ query }) => JSON.stringify({ found: query }), { name: "lookup", description: "the lookup tool", schema }),
  tool(async ({ query }) => JSON.stringify(await research.invoke({ query })), { name: "research", description: "the research tool", schema }),
];

const chat = (name) => new ChatOpenAI({
  model: name,
  apiKey: "simulator",
  streaming: true,
  maxRetries: 0,
  configuration: { baseURL: process.env.S11_SIMULATOR_URL ?? "http://127.0.0.1:5081/v1" },
}).bindTools(tools);
const model = chat(process.env.S11_MODEL ?? "sim-stream-200-20ms");
// Warm-up runs (configurable.warmup) have the same shape with 20 tokens a turn at 1 ms.
const warmUpModel = chat("sim-stream-20-1ms");

async function callModel(state, config) {
  const m = config?.configurable?.warmup ? warmUpModel : model;
  return { messages: [await m.invoke(state.messages)] };
}

const route = (state) => (state.messages.at(-1)?.tool_calls?.length ? "tools" : END);

/** The graph, compiled with `checkpointer` (the dev server passes none: it brings its own). */
export function build(checkpointer) {
  return new StateGraph(MessagesAnnotation)
    .addNode("agent", callModel)
    .addNode("tools", new ToolNode(tools))
    .addEdge(START, "agent")
    .addConditionalEdges("agent", route, ["tools", END])
    .addEdge("tools", "agent")
    .compile(checkpointer ? { checkpointer } : undefined);
}

export const graph = build();
