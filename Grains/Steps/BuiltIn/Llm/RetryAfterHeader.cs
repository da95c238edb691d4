using System.Net.Http.Headers;

namespace AgentOrleans.Grains.Steps.BuiltIn.Llm;

/// <summary>Reads a provider's <c>Retry-After</c>: a number of seconds, or an HTTP date (a past date is no wait).</summary>
internal static class RetryAfterHeader
{
    public static TimeSpan? Read(string? value, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(value, out var header) ? Read(header, now) : null;

    public static TimeSpan? Read(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };
}
