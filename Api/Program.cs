using AgentOrleans.Api;
using AgentOrleans.Api.Auth;
using AgentOrleans.Api.Executions;
using AgentOrleans.Api.Explorer;
using AgentOrleans.Api.Health;
using AgentOrleans.Api.Hosting;
using AgentOrleans.Api.Problems;
using AgentOrleans.Api.Samples;
using AgentOrleans.Api.Schedules;
using AgentOrleans.Api.Schemas;
using AgentOrleans.Api.Tenants;
using AgentOrleans.Api.Webhooks;
using AgentOrleans.Api.Workflows;
using AgentOrleans.Grains.Auth;
using AgentOrleans.Grains.Hosting;
using AgentOrleans.Grains.StartupTasks;
using AgentOrleans.Grains.Telemetry;
using Orleans.Dashboard;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scalar.AspNetCore;

if (KeysCommand.Matches(args))
{
    return KeysCommand.Run(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddAgentOrleansCluster();
builder.Services.AddAgentOrleansTelemetry(builder.Configuration, "agentorleans-api");
builder.Services.TryAddSingleton(TimeProvider.System);
builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
builder.Services.AddOptions<LabelOptions>().BindConfiguration(LabelOptions.SectionName)
    .Validate(o => o.IsValid, "AgentOrleans:Labels: MaxLabels 0 to 1,000, MaxKeyLength 1 to 1,000, MaxValueLength 0 to 10,000").ValidateOnStart();
builder.Services.AddSingleton<ExecutionEventHub>();
builder.Services.AddStartupTaskOptions(builder.Configuration).AddSampleWorkflowsTask();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ClusterUnavailableHandler>();
builder.Services.AddOpenApi();
builder.Services.AddAgentOrleansAuth(builder.Configuration);
builder.Services.AddStartRateLimiting(builder.Configuration);

var app = builder.Build();
ListenAddressGuard.EnsureSafe(app.Configuration, app.Logger);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAgentOrleansAuth();
app.UseRateLimiter();

app.MapWorkflows();
app.MapExecutions();
app.MapBulk();
app.MapSchedules();
app.MapWebhooks();
app.MapSchemas();
app.MapHealth();
app.MapExplorer();
app.MapAgentOrleansMetrics(app.Configuration);
app.MapOpenApi().RequireAuthorization(AuthPolicies.Authenticated);
app.MapScalarApiReference().RequireAuthorization(AuthPolicies.Authenticated);
if (AgentOrleansSiloExtensions.HostingOptions(app.Configuration) is { Mode: ApiMode.Embedded, Dashboard: true })
{
    app.MapOrleansDashboard(routePrefix: "/dashboard").RequireAuthorization(Scopes.Admin);
}

app.Run();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
