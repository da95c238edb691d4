namespace AgentOrleans.Cli;

/// <summary>The command line names something that cannot be used: printed as is, exit code <see cref="ExitCodes.Usage"/>.</summary>
public sealed class CliUsageException(string message) : Exception(message);
