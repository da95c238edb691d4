namespace AgentOrleans.Benchmarks.Load;

/// <summary>How an idle execution of S6 waits: sleeping through a long delay, or waiting for a signal.</summary>
public enum IdleKind
{
    Sleeping,
    Waiting,
}
