using AgentOrleans.Grains.Admission;
using AgentOrleans.Tests.Infrastructure;
using static AgentOrleans.Tests.Infrastructure.Runs;

namespace AgentOrleans.Tests.Admission;

[Collection(ClusterCollection.Name)]
public sealed class AdmissionGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AdmittingOrReleasingTheSameExecutionTwiceCountsItOnce()
    {
        var admission = fixture.Grains.GetGrain<IAdmissionGrain>(NewId("admission"));

        Assert.True((await admission.TryAdmitAsync("ex-1", "wf")).Admitted);
        Assert.True((await admission.TryAdmitAsync("ex-1", "wf")).Admitted);
        await admission.TryAdmitAsync("ex-2", "other");
        var counts = await admission.GetCountsAsync();
        await admission.ReleaseAsync("ex-1");
        await admission.ReleaseAsync("ex-1");
        var released = await admission.GetCountsAsync();

        Assert.Equal(2, counts.Total);
        Assert.Equal(1, counts.PerWorkflow["wf"]);
        Assert.Equal(1, released.Total);
        Assert.False(released.PerWorkflow.ContainsKey("wf"));
    }

    [Fact]
    public async Task JoiningARunningExecutionCountsItOnceAndItsReleaseFreesIt()
    {
        var admission = fixture.Grains.GetGrain<IAdmissionGrain>(NewId("admission"));
        await admission.TryAdmitAsync("admitted", "wf");

        await admission.JoinAsync("admitted", "wf");
        await admission.JoinAsync("started-unbounded", "wf");
        await admission.JoinAsync("started-unbounded", "wf");
        var joined = await admission.GetCountsAsync();
        await admission.ReleaseAsync("started-unbounded");

        Assert.Equal(2, joined.Total);
        Assert.Equal(2, joined.PerWorkflow["wf"]);
        Assert.Equal(1, (await admission.GetCountsAsync()).Total);
    }
}
