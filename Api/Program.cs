using AgentOrleans.Api;
using AgentOrleans.Api.Executions;
using AgentOrleans.Api.Health;
using AgentOrleans.Api.Hosting;
using AgentOrleans.Api.Problems;
using AgentOrleans.Api.Samples;
using AgentOrleans.Api.Schedules;
using AgentOrleans.Api.Schemas;
using AgentOrleans.Api.Workflows;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.Telemetry;
using Orleans.Dashboard;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddAgentOrleansCluster();
builder.Services.AddAgentOrleansTelemetry(builder.Configuration, "agentorleans-api");
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton<ExecutionEventHub>();
builder.Services.AddHostedService<SampleWorkflows>();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ClusterUnavailableHandler>();
builder.Services.AddOpenApi();

var app = builder.Build();
ListenAddressGuard.EnsureSafe(app.Configuration, app.Logger);

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapWorkflows();
app.MapExecutions();
app.MapSchedules();
app.MapSchemas();
app.MapHealth();
app.MapAgentOrleansMetrics(app.Configuration);
app.MapOpenApi();
app.MapScalarApiReference();
if (AgentOrleansSiloExtensions.HostingOptions(app.Configuration) is { Mode: ApiMode.Embedded, Dashboard: true })
{
    app.MapOrleansDashboard(routePrefix: "/dashboard");
}

app.Run();

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
