using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Telemetry;
using Orleans.Dashboard;

// A standalone silo: joins the cluster configured under AgentOrleans:Cluster (Redis membership,
// PostgreSQL state in production) and serves the Orleans dashboard and health on its own port.
var builder = WebApplication.CreateBuilder(args);
builder.UseOrleans(silo => silo.AddAgentOrleans(builder.Configuration));
builder.Services.AddAgentOrleansTelemetry(builder.Configuration, "agentorleans-silo");

var app = builder.Build();
ListenAddressGuard.EnsureSafe(app.Configuration, app.Logger);
app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
app.MapAgentOrleansMetrics(app.Configuration);
if (AgentOrleansSiloExtensions.HostingOptions(app.Configuration).Dashboard)
{
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

app.Run();
