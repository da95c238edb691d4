using AgentOrleans.LlmSimulator;

await SimulatorApp.Build(args).RunAsync();
