using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Tests.Support;

namespace NodeDiffusion.Tests.Engine;

public sealed class ExecutorTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static GraphBuilder Diamond(int left = 2, int right = 3) => new GraphBuilder()
        .Node("1", "TestNumber", new { value = left })
        .Node("2", "TestNumber", new { value = right })
        .Node("3", "TestSum", null, ("a", "1", 0), ("b", "2", 0))
        .Node("4", "TestSink", null, ("value", "3", 0))
        .Node("5", "TestNumber", new { value = 99 });

    [Fact]
    public async Task RunsOnlyTheAncestorsOfOutputsInTopologicalOrder()
    {
        var result = await _host.RunAsync(Diamond().Workflow);
        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Equal(["1", "2", "3", "4"], _host.Log.Entries);
        var ui = result.Nodes.Single(n => n.NodeId == "4").Ui.Items["text"];
        Assert.Equal("5", Assert.Single(ui).Text);
    }

    [Fact]
    public async Task ASecondRunIsEntirelyCached()
    {
        await _host.RunAsync(Diamond().Workflow);
        var second = await _host.RunAsync(Diamond().Workflow);
        Assert.Equal(4, _host.Log.Entries.Count);
        Assert.Equal(["1", "2", "3", "4"], second.Cached.Select(n => n.NodeId));
        Assert.Empty(second.Executed);
        // Cached UI outputs come back, as ComfyUI re-sends them.
        Assert.Equal("5", second.Nodes.Single(n => n.NodeId == "4").Ui.Items["text"][0].Text);
    }

    [Fact]
    public async Task ChangingOneWidgetRerunsOnlyThatNodeAndItsDescendants()
    {
        await _host.RunAsync(Diamond(2, 3).Workflow);
        var result = await _host.RunAsync(Diamond(2, 4).Workflow);
        Assert.Equal(["2", "3", "4"], result.Executed.Select(n => n.NodeId));
        Assert.Equal(["1"], result.Cached.Select(n => n.NodeId));
        Assert.Equal("6", result.Nodes.Single(n => n.NodeId == "4").Ui.Items["text"][0].Text);
    }

    [Fact]
    public async Task CacheKeysIgnoreNodeIdsAndLayout()
    {
        await _host.RunAsync(Diamond().Workflow);
        var renamed = new GraphBuilder()
            .Node("a", "TestNumber", new { value = 2 })
            .Node("b", "TestNumber", new { value = 3 })
            .Node("c", "TestSum", null, ("a", "a", 0), ("b", "b", 0))
            .Node("d", "TestSink", null, ("value", "c", 0));
        renamed.Workflow.Nodes["c"].Layout = new NodeDiffusion.Graph.Workflows.NodeLayout([100, 200], Title: "moved");
        var result = await _host.RunAsync(renamed.Workflow);
        Assert.Empty(result.Executed);
    }

    [Fact]
    public async Task NonIdempotentNodesAlwaysRun()
    {
        var graph = new GraphBuilder().Node("1", "TestClock").Node("2", "TestSink", null, ("value", "1", 0));
        await _host.RunAsync(graph.Workflow);
        var second = await _host.RunAsync(graph.Workflow);
        Assert.Equal(["1", "2", "1", "2"], _host.Log.Entries);
        Assert.Equal(2, second.Executed.Count());
    }

    [Fact]
    public async Task AFailingNodeStopsTheRunAndKeepsWhatWasComputed()
    {
        var graph = new GraphBuilder()
            .Node("1", "TestNumber", new { value = 2 })
            .Node("2", "TestFail", new { @internal = false }, ("value", "1", 0))
            .Node("3", "TestSink", null, ("value", "2", 0));
        var result = await _host.RunAsync(graph.Workflow);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(("2", "TestFail", "value", false), (result.Error!.NodeId, result.Error.NodeType, result.Error.InputName, result.Error.IsInternal));
        Assert.Equal("The value is not acceptable.", result.Error.Message);
        var failed = Assert.Single(_host.Events.OfType<ExecutionFailed>());
        Assert.Equal("2", failed.Error.NodeId);

        var again = await _host.RunAsync(graph.Workflow);
        Assert.Equal(["1"], again.Cached.Select(n => n.NodeId));
    }

    [Fact]
    public async Task UnexpectedExceptionsAreMarkedInternalWithoutAStackTrace()
    {
        var result = await _host.RunAsync(new GraphBuilder()
            .Node("1", "TestNumber")
            .Node("2", "TestFail", new { @internal = true }, ("value", "1", 0))
            .Node("3", "TestSink", null, ("value", "2", 0)).Workflow);
        Assert.True(result.Error!.IsInternal);
        Assert.Equal("Internal error in TestFail: boom", result.Error.Message);
        Assert.DoesNotContain(" at ", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellationInsideALongNodeStopsIt()
    {
        using var cancellation = new CancellationTokenSource();
        var graph = new GraphBuilder()
            .Node("1", "TestNumber")
            .Node("2", "TestSlow", new { steps = 100000 }, ("value", "1", 0))
            .Node("3", "TestSink", null, ("value", "2", 0));
        var run = _host.RunAsync(graph.Workflow, cancellation.Token);
        Assert.True(await _host.Slow.Started.WaitAsync(TimeSpan.FromSeconds(30)));
        // Let the node report at least one step, so cancelling lands inside it, not before its first step.
        for (var waited = 0; waited < 3000 && !HasProgress(); waited++)
        {
            await Task.Delay(10);
        }
        await cancellation.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Contains(result.Nodes, n => n.NodeId == "2" && n.Status == NodeRunStatus.Cancelled);
        Assert.DoesNotContain(_host.Log.Entries, id => id == "3");
        Assert.Single(_host.Events.OfType<ExecutionCancelled>());
        Assert.Contains(_host.Events.OfType<NodeProgress>(), p => p.NodeId == "2");
    }

    private bool HasProgress()
    {
        lock (_host.Events)
        {
            return _host.Events.OfType<NodeProgress>().Any(p => p.NodeId == "2");
        }
    }

    [Fact]
    public async Task CancellationBeforeANodeStopsTheRunBetweenNodes()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var result = await _host.RunAsync(Diamond().Workflow, cancellation.Token);
        Assert.Equal(ExecutionStatus.Cancelled, result.Status);
        Assert.Empty(_host.Log.Entries);
    }

    [Fact]
    public async Task EventsComeInTheDocumentedOrder()
    {
        await _host.RunAsync(Diamond().Workflow);
        var kinds = _host.Events.Select(e => e.GetType().Name).ToList();
        Assert.Equal("ExecutionStarted", kinds[0]);
        Assert.Equal("ExecutionCompleted", kinds[^1]);
        Assert.Equal(4, kinds.Count(k => k == "NodeStarted"));
        Assert.Equal(4, kinds.Count(k => k == "NodeCompleted"));
        var sinkCompleted = _host.Events.OfType<NodeCompleted>().Single(e => e.NodeId == "4");
        Assert.Equal("5", sinkCompleted.Ui.Items["text"][0].Text);
    }

    [Fact]
    public async Task IndependentBranchesMayRunInParallel()
    {
        using var host = new TestHost(maxParallelism: 4);
        var result = await host.RunAsync(Diamond(10, 20).Workflow);
        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Equal("30", result.Nodes.Single(n => n.NodeId == "4").Ui.Items["text"][0].Text);
        var log = host.Log.Entries.ToList();
        Assert.True(log.IndexOf("3") > log.IndexOf("1") && log.IndexOf("3") > log.IndexOf("2") && log.IndexOf("4") > log.IndexOf("3"));
    }

    [Fact]
    public async Task AFailureInParallelModeIsReportedWithItsNode()
    {
        using var host = new TestHost(maxParallelism: 4);
        var result = await host.RunAsync(new GraphBuilder()
            .Node("1", "TestNumber")
            .Node("2", "TestFail", new { @internal = false }, ("value", "1", 0))
            .Node("3", "TestSink", null, ("value", "2", 0)).Workflow);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("2", result.Error!.NodeId);
    }
}
