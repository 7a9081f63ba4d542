using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Caching;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Queue;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Testing;
using NodeDiffusion.Tests.Support;

namespace NodeDiffusion.Tests.Engine;

public sealed class QueueTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private static QueuedPrompt Prompt(string id) => new(id, 0, "{}");

    [Fact]
    public async Task IsFifoWithFront()
    {
        var queue = new PromptQueue(_data.Path);
        queue.Enqueue(Prompt("a"));
        queue.Enqueue(Prompt("b"));
        queue.Enqueue(Prompt("c"), front: true);
        Assert.Equal(["c", "a", "b"], queue.Pending.Select(p => p.PromptId));
        var (first, _) = await queue.TakeAsync(CancellationToken.None);
        Assert.Equal("c", first.PromptId);
    }

    [Fact]
    public async Task CancelledPromptsAreSkipped()
    {
        var queue = new PromptQueue(_data.Path);
        queue.Enqueue(Prompt("a"));
        queue.Enqueue(Prompt("b"));
        Assert.Equal(1, queue.Cancel(["a"]));
        var (next, _) = await queue.TakeAsync(CancellationToken.None);
        Assert.Equal("b", next.PromptId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(timeout.Token));
    }

    [Fact]
    public async Task PendingPromptsSurviveARestartAndTheRunningOneIsRecordedAsInterrupted()
    {
        var queue = new PromptQueue(_data.Path);
        queue.Enqueue(Prompt("running"));
        queue.Enqueue(Prompt("waiting-1"));
        queue.Enqueue(Prompt("waiting-2"));
        await queue.TakeAsync(CancellationToken.None);

        // The process "dies" here: a new queue over the same folder.
        var restarted = new PromptQueue(_data.Path);
        Assert.Equal(["waiting-1", "waiting-2"], restarted.Pending.Select(p => p.PromptId));
        Assert.Equal("running", restarted.InterruptedByRestart!.PromptId);

        using var host = new TestHost();
        var history = new PromptHistory(_data.Path);
        var worker = new PromptWorker(restarted, history, host.Validator, host.Executor, new EventFanOut());
        using var stop = new CancellationTokenSource();
        var loop = worker.RunAsync(stop.Token);
        await WaitUntil(() => history.List().Count == 3);
        await stop.CancelAsync();
        await loop;
        Assert.Equal(HistoryStatus.Interrupted, history.Find("running")!.Status);
        // The two "{}" prompts are invalid workflows: they fail validation, recorded as errors.
        Assert.Equal(HistoryStatus.Error, history.Find("waiting-1")!.Status);
        Assert.NotEmpty(history.Find("waiting-1")!.ValidationErrors);
    }

    [Fact]
    public async Task TheWorkerRunsPromptsAndRecordsHistoryThatSurvivesARestart()
    {
        using var host = new TestHost();
        var queue = new PromptQueue(_data.Path);
        var history = new PromptHistory(_data.Path);
        var events = new EventFanOut();
        var seen = new List<ExecutionEvent>();
        using var subscription = events.Subscribe(e =>
        {
            lock (seen)
            {
                seen.Add(e);
            }
        });
        var worker = new PromptWorker(queue, history, host.Validator, host.Executor, events);
        using var stop = new CancellationTokenSource();
        var loop = worker.RunAsync(stop.Token);
        var json = WorkflowJson.Serialize(new GraphBuilder().Node("1", "TestNumber", new { value = 3 }).Node("2", "TestSink", null, ("value", "1", 0)).Workflow);
        queue.Enqueue(new QueuedPrompt("p1", 0, json));
        await WaitUntil(() => history.Find("p1") is not null);
        await stop.CancelAsync();
        await loop;

        var entry = new PromptHistory(_data.Path).Find("p1")!;
        Assert.Equal(HistoryStatus.Success, entry.Status);
        Assert.Equal(2, entry.Nodes.Count);
        Assert.Equal("3", entry.Nodes.Single(n => n.NodeId == "2").Ui.Items["text"][0].Text);
        lock (seen)
        {
            Assert.Contains(seen, e => e is ExecutionCompleted { PromptId: "p1" });
        }
    }

    [Fact]
    public async Task InterruptCancelsOnlyTheRunningPrompt()
    {
        using var host = new TestHost();
        var queue = new PromptQueue(_data.Path);
        var history = new PromptHistory(_data.Path);
        var worker = new PromptWorker(queue, history, host.Validator, host.Executor, new EventFanOut());
        using var stop = new CancellationTokenSource();
        var loop = worker.RunAsync(stop.Token);
        var slow = WorkflowJson.Serialize(new GraphBuilder().Node("1", "TestNumber").Node("2", "TestSlow", new { steps = 100000 }, ("value", "1", 0)).Node("3", "TestSink", null, ("value", "2", 0)).Workflow);
        var quick = WorkflowJson.Serialize(new GraphBuilder().Node("1", "TestNumber", new { value = 8 }).Node("2", "TestSink", null, ("value", "1", 0)).Workflow);
        queue.Enqueue(new QueuedPrompt("slow", 0, slow));
        queue.Enqueue(new QueuedPrompt("quick", 0, quick));
        Assert.True(await host.Slow.Started.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(queue.Interrupt("quick"));
        Assert.True(queue.Interrupt());
        await WaitUntil(() => history.Find("quick") is not null);
        await stop.CancelAsync();
        await loop;
        Assert.Equal(HistoryStatus.Cancelled, history.Find("slow")!.Status);
        Assert.Equal(HistoryStatus.Success, history.Find("quick")!.Status);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the queue.");
            await Task.Delay(10);
        }
    }
}
