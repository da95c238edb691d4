namespace AgentOrleans.Cli;

/// <summary>
/// What the process's exit code says, so scripts can branch on it: a run's final status for the commands that wait
/// for one (<c>run --watch</c>, <c>watch</c>), otherwise whether the API took the request.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int RunFailed = 1;
    public const int RunCancelled = 2;
    public const int RunTimedOut = 3;

    /// <summary>The API refused the request (its problem is printed).</summary>
    public const int Refused = 4;

    /// <summary>The API could not be reached.</summary>
    public const int Unreachable = 5;

    /// <summary>The command line itself is wrong (EX_USAGE).</summary>
    public const int Usage = 64;

    public static int ForStatus(string status) => status switch
    {
        "succeeded" => Ok,
        "failed" => RunFailed,
        "cancelled" => RunCancelled,
        "timed_out" => RunTimedOut,
        _ => Ok,
    };
}
