using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Tenants;

namespace AgentOrleans.Api.Auth;

/// <summary>
/// <c>keys new --tenant T --scopes a,b [--name N]</c>, run before any host starts: prints a new API key once, and the
/// configuration entry (JSON and environment variables) holding only its hash. Nothing is written anywhere.
/// </summary>
public static class KeysCommand
{
    private const string Usage = "usage: keys new --scopes SCOPE[,SCOPE...] [--tenant TENANT] [--name NAME]";

    public static bool Matches(string[] args) => args is ["keys", ..];

    /// <summary>Exit code 0 with the key printed, 2 for a wrong command line (said on <paramref name="error"/>).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (Parse(args, out var problem) is not { } request)
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            error.WriteLine($"scopes: {string.Join(", ", Scopes.All)}");
            return 2;
        }

        var key = ApiKeys.New();
        var hash = ApiKeys.HashHex(key);
        var name = request.Name ?? $"{new string([.. (request.Tenant ?? "key").Take(48).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')])}_{hash[..8]}";
        var entry = new JsonObject { ["Hash"] = hash };
        if (request.Tenant is { } tenant)
        {
            entry["Tenant"] = tenant;
        }

        entry["Scopes"] = new JsonArray([.. request.Scopes.Select(s => (JsonNode?)s)]);
        var json = new JsonObject { ["AgentOrleans"] = new JsonObject { ["Auth"] = new JsonObject { ["Keys"] = new JsonObject { [name] = entry } } } };
        var prefix = $"AgentOrleans__Auth__Keys__{name}__";

        output.WriteLine($"A new API key '{name}'{(request.Tenant is null ? "" : $" for tenant '{request.Tenant}'")} with {string.Join(", ", request.Scopes)}.");
        output.WriteLine("It is shown this once: give it to its caller now. AgentOrleans keeps only its hash.");
        output.WriteLine();
        output.WriteLine($"  {key}");
        output.WriteLine();
        output.WriteLine("Send it as: Authorization: Bearer <key>. Configure it (appsettings.json) with:");
        output.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        output.WriteLine();
        output.WriteLine("or as environment variables:");
        output.WriteLine($"  {prefix}Hash={hash}");
        if (request.Tenant is not null)
        {
            output.WriteLine($"  {prefix}Tenant={request.Tenant}");
        }

        output.WriteLine($"  {prefix}Scopes={string.Join(',', request.Scopes)}");
        return 0;
    }

    private static Request? Parse(string[] args, out string problem)
    {
        problem = "";
        if (args is not ["keys", "new", .. var rest])
        {
            problem = "the only keys command is 'keys new'";
            return null;
        }

        string? tenant = null, name = null, scopes = null;
        for (var i = 0; i < rest.Length; i++)
        {
            if (i + 1 >= rest.Length || rest[i] is not ("--tenant" or "--name" or "--scopes"))
            {
                problem = $"unexpected '{rest[i]}'";
                return null;
            }

            var value = rest[++i];
            _ = rest[i - 1] switch
            {
                "--tenant" => tenant = value,
                "--name" => name = value,
                _ => scopes = value,
            };
        }

        var list = (scopes ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        problem = list.Count == 0 ? "--scopes is required"
            : list.FirstOrDefault(s => !Scopes.All.Contains(s)) is { } unknown ? $"'{unknown}' is no scope"
            : name is not null && !ApiKeys.IsValidName(name) ? "--name holds only letters, digits, '_', '-' and '.' (at most 64)"
            : tenant is not null && !TenantKey.IsValidTenant(tenant) ? "--tenant is no tenant name: lower-case letters, digits, '_', '-' and '.', starting with a letter or digit (at most 63)"
            : "";
        return problem.Length == 0 ? new Request(tenant, name, list) : null;
    }

    private sealed record Request(string? Tenant, string? Name, IReadOnlyList<string> Scopes);
}
