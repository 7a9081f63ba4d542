using NodeDiffusion.Tests.Support;

namespace NodeDiffusion.Tests.Engine;

public sealed class RerouteCacheTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task AWorkflowWithReroutesHitsTheCacheEntriesOfTheOneWithout()
    {
        var direct = new GraphBuilder()
            .Node("1", "TestNumber", new { value = 2 })
            .Node("2", "TestNumber", new { value = 3 })
            .Node("3", "TestSum", null, ("a", "1", 0), ("b", "2", 0))
            .Node("4", "TestSink", null, ("value", "3", 0));
        var first = await _host.RunAsync(direct.Workflow);
        Assert.Equal(["1", "2", "3", "4"], first.Executed.Select(n => n.NodeId));

        var rerouted = new GraphBuilder()
            .Node("1", "TestNumber", new { value = 2 })
            .Node("2", "TestNumber", new { value = 3 })
            .Node("10", "Reroute", null, ("input", "1", 0))
            .Node("11", "Reroute", null, ("input", "10", 0))
            .Node("3", "TestSum", null, ("a", "11", 0), ("b", "2", 0))
            .Node("12", "Reroute", null, ("input", "3", 0))
            .Node("4", "TestSink", null, ("value", "12", 0));
        var second = await _host.RunAsync(rerouted.Workflow);
        Assert.Empty(second.Executed);
        Assert.Equal(["1", "2", "3", "4"], second.Cached.Select(n => n.NodeId));
        Assert.Equal("5", second.Nodes.Single(n => n.NodeId == "4").Ui.Items["text"][0].Text);
        Assert.DoesNotContain(second.Nodes, n => n.NodeId is "10" or "11" or "12");
        Assert.Equal(4, _host.Log.Entries.Count);

        // And a change upstream of the reroute still reaches through it.
        rerouted.Workflow.Nodes["1"].Inputs["value"] = System.Text.Json.JsonSerializer.SerializeToElement(7);
        var third = await _host.RunAsync(rerouted.Workflow);
        Assert.Equal(["1", "3", "4"], third.Executed.Select(n => n.NodeId));
        Assert.Equal("10", third.Nodes.Single(n => n.NodeId == "4").Ui.Items["text"][0].Text);
    }
}
