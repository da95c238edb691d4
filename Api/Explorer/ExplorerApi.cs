using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace AgentOrleans.Api.Explorer;

/// <summary>
/// The explorer: a static single-page app at <c>/ui</c>, embedded in this assembly from <c>Explorer/src</c> so a clean
/// clone, the tests and a published image serve the same files. The shell is anonymous because it holds no data;
/// every call it makes to <c>/v1</c> carries the key the user types, under the API's own authentication.
/// </summary>
public static class ExplorerApi
{
    private const string ResourcePrefix = "AgentOrleans.Api.ui";

    private static readonly EmbeddedFileProvider Files = new(Assembly.GetExecutingAssembly(), ResourcePrefix);
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapExplorer(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup("/ui").AllowAnonymous().ExcludeFromDescription();
        ui.MapGet("/", Serve);
        ui.MapGet("/{**path}", Serve);
        return app;
    }

    /// <summary>
    /// A file when one is named (the files are flat); a missing file is 404, not the shell, so a typo in a module
    /// path fails loudly. Any other path is the shell: the page's router reads it.
    /// </summary>
    private static IResult Serve(HttpContext context, string? path = null)
    {
        var isFileName = path is { Length: > 0 } && !path.Contains('/') && Path.HasExtension(path);
        var found = Files.GetFileInfo(isFileName ? path! : "index.html");
        if (!found.Exists)
        {
            return Results.NotFound();
        }

        var name = found.Name;
        if (!ContentTypes.TryGetContentType(name, out var contentType))
        {
            contentType = "application/octet-stream";
        }

        // Nothing but the app's own files may run or load; the shell must not be framed.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Stream(found.CreateReadStream(), contentType);
    }
}
