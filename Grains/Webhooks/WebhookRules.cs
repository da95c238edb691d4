using System.Reflection;
using AgentOrleans.Grains.Executions;
using AgentOrleans.Grains.Http;
using AgentOrleans.Grains.Steps.BuiltIn;
using AgentOrleans.Grains.Workflows;

namespace AgentOrleans.Grains.Webhooks;

/// <summary>What a webhook may be: known event types, an http(s) URL the http step's guard lets through, a Standard Webhooks secret.</summary>
public static class WebhookRules
{
    public const int MaxUrlLength = 2048;

    /// <summary>Every event type an execution records, read from <see cref="EventTypes"/> so a new one is subscribable at once.</summary>
    public static IReadOnlyList<string> KnownEvents { get; } = typeof(EventTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Every problem of <paramref name="spec"/> that needs no look-up, with its pointer: the Api and the grain both ask.</summary>
    public static List<DefinitionProblem> Check(WebhookSpec spec)
    {
        var problems = new List<DefinitionProblem>();
        if (spec.Events.Count == 0)
        {
            problems.Add(new DefinitionProblem("/events", "name at least one event type"));
        }

        for (var i = 0; i < spec.Events.Count; i++)
        {
            if (!KnownEvents.Contains(spec.Events[i]))
            {
                problems.Add(new DefinitionProblem($"/events/{i}", $"'{spec.Events[i]}' is not an event type; known: {string.Join(", ", KnownEvents)}"));
            }
        }

        if (spec.Secret is { } secret && !WebhookSigner.TryReadSecret(secret, out _))
        {
            problems.Add(new DefinitionProblem("/secret", "a secret is 'whsec_' and the base64 of 16 to 64 random bytes"));
        }

        if (UrlFormProblem(spec.Url) is { } url)
        {
            problems.Add(new DefinitionProblem("/url", url));
        }

        return problems;
    }

    /// <summary>The URL's destination judged as the http step's guard judges it; null when some address it resolves to is allowed.</summary>
    public static async Task<DefinitionProblem?> DestinationProblemAsync(string text, OutboundGuard guard, IHostResolver resolver, CancellationToken cancellationToken)
    {
        var url = new Uri(text);
        var host = url.IdnHost.TrimStart('[').TrimEnd(']');
        System.Net.IPAddress[] addresses;
        try
        {
            addresses = System.Net.IPAddress.TryParse(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        }
        catch (System.Net.Sockets.SocketException)
        {
            addresses = [];
        }

        // Judged again at every connection (a name may resolve elsewhere later); this answers the caller now.
        return addresses.Length == 0
            ? new DefinitionProblem("/url", $"the host '{url.Host}' does not resolve")
            : addresses.Any(a => guard.IsAllowed(host, a))
                ? null
                : new DefinitionProblem("/url", $"'{url.Host}' is not a public address (allow it with {HttpStepOptions.SectionName}:AllowedHosts or AllowPrivateNetworks)");
    }

    private static string? UrlFormProblem(string text)
    {
        if (text.Length > MaxUrlLength || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return $"an absolute http or https URL of at most {MaxUrlLength} characters";
        }

        return url.UserInfo.Length > 0 ? "a URL without user information (the signature authenticates a delivery)" : null;
    }
}
