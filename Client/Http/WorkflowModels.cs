namespace AgentOrleans.Client.Http;

/// <summary>The answer to a publish: the version the content has, and whether this publish created it.</summary>
public sealed record PublishedWorkflow(string Id, int Version, bool Created);
