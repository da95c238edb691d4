using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentOrleans.Grains.Hosting;

/// <summary>
/// Nothing listens beyond the loopback interface without authentication: there is none yet, so a process bound to any
/// other address (Urls, ASPNETCORE_URLS, HTTP_PORTS, Kestrel endpoints) refuses to start unless
/// <c>AgentOrleans:Auth:AllowAnonymous</c> is true, an explicit choice that every caller who reaches it may do everything.
/// </summary>
public static partial class ListenAddressGuard
{
    public const string AllowAnonymousKey = "AgentOrleans:Auth:AllowAnonymous";

    /// <summary>Throws when <paramref name="configuration"/> binds beyond loopback without <see cref="AllowAnonymousKey"/>; otherwise logs that no authentication guards the process.</summary>
    public static void EnsureSafe(IConfiguration configuration, ILogger logger)
    {
        var exposed = ListenAddresses(configuration).Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count > 0 && !configuration.GetValue<bool>(AllowAnonymousKey))
        {
            throw new InvalidOperationException(
                $"AgentOrleans would listen on {string.Join(", ", exposed)}, beyond the loopback interface, with no authentication: " +
                $"anyone who reaches it could start, cancel and read every execution. Bind to 127.0.0.1 (Urls) or set {AllowAnonymousKey}=true to accept that.");
        }

        LogAnonymous(logger, exposed.Count > 0 ? string.Join(", ", exposed) : "loopback only");
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
}
