using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Telemetry;
using Orleans.Dashboard;

// A standalone silo: joins the cluster configured under AgentOrleans:Cluster (Redis membership,
// PostgreSQL state in production) and serves the Orleans dashboard, /metrics and health on its own port; the
// dashboard and /metrics need the admin scope when AgentOrleans:Auth configures authentication.
var builder = WebApplication.CreateBuilder(args);
builder.UseOrleans(silo => silo.AddAgentOrleans(builder.Configuration));
builder.Services.AddAgentOrleansTelemetry(builder.Configuration, "agentorleans-silo");
builder.Services.AddAgentOrleansAuth(builder.Configuration);

var app = builder.Build();
ListenAddressGuard.EnsureSafe(app.Configuration, app.Logger);
app.UseAgentOrleansAuth();
app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous();
app.MapAgentOrleansMetrics(app.Configuration);
if (AgentOrleansSiloExtensions.HostingOptions(app.Configuration).Dashboard)
{
    app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Scopes.Admin);
}

app.Run();
