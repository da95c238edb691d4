using System.Net;
using AgentOrleans.Grains.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Hosting;

/// <summary>
/// Nothing listens beyond the loopback interface without authentication: with none configured (no key, no JWT
/// authority under <c>AgentOrleans:Auth</c>), a process bound to any other address (Urls, ASPNETCORE_URLS, HTTP_PORTS,
/// Kestrel endpoints) refuses to start unless <c>AgentOrleans:Auth:AllowAnonymous</c> is true, an explicit choice that
/// every caller who reaches it may do everything.
/// </summary>
public static partial class ListenAddressGuard
{
    public const string AllowAnonymousKey = "AgentOrleans:Auth:AllowAnonymous";

    /// <summary>
    /// Throws when <paramref name="configuration"/> binds beyond loopback with no authentication and without
    /// <see cref="AllowAnonymousKey"/>; otherwise logs whether authentication guards the process.
    /// </summary>
    public static void EnsureSafe(IConfiguration configuration, ILogger logger)
    {
        var auth = AuthOptions.Read(configuration);
        var exposed = ListenAddresses(configuration).Where(a => !IsLoopback(a)).ToList();
        var addresses = exposed.Count > 0 ? string.Join(", ", exposed) : "loopback only";
        if (auth.IsOn)
        {
            LogAuthenticated(logger, addresses, auth.Describe());
            return;
        }

        if (exposed.Count > 0 && !auth.AllowAnonymous)
        {
            throw new InvalidOperationException(
                $"AgentOrleans would listen on {string.Join(", ", exposed)}, beyond the loopback interface, with no authentication: " +
                $"anyone who reaches it could start, cancel and read every execution. Configure API keys ({AuthOptions.SectionName}:Keys, " +
                $"made by `keys new`) or JWT bearer tokens ({AuthOptions.SectionName}:Jwt:Authority), bind to 127.0.0.1 (Urls), " +
                $"or set {AllowAnonymousKey}=true to accept that.");
        }

        LogAnonymous(logger, addresses);
    }

    /// <summary>Every address the configuration asks Kestrel to listen on; none means its default, localhost.</summary>
    public static IEnumerable<string> ListenAddresses(IConfiguration configuration)
    {
        foreach (var key in new[] { "urls", "http_ports", "https_ports" })
        {
            foreach (var value in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // A bare port (HTTP_PORTS) binds every interface.
                yield return key == "urls" ? value : $"*:{value}";
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }
    }

    public static bool IsLoopback(string address)
    {
        var host = Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : address.Split(':')[0];
        host = host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(1, LogLevel.Warning, "No authentication is configured: every caller that reaches this process ({Addresses}) may publish, start, cancel, signal and read every execution")]
    private static partial void LogAnonymous(ILogger logger, string addresses);

    [LoggerMessage(2, LogLevel.Information, "Authentication is on ({Addresses}): {Schemes}; every endpoint but /healthz and /readyz needs credentials")]
    private static partial void LogAuthenticated(ILogger logger, string addresses, string schemes);
}
