using Microsoft.AspNetCore.Http;

namespace AgentOrleans.Grains.Auth;

/// <summary>Who made a request, as events record it (<c>by</c>): the key's name or the token's subject; null with authentication off.</summary>
public static class Caller
{
    public static string? By(HttpContext http) => http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;
}
