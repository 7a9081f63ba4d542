using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Caching;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.Support;

/// <summary>A registry with the test nodes and the built-in packs, an executor, and helpers to build and run graphs.</summary>
public sealed class TestHost : IDisposable
{
    public TestHost(int maxParallelism = 1, int cacheEntries = 512)
    {
        Registry = NodeRegistry.FromAssemblies(
            typeof(TestHost).Assembly,
            typeof(NodeDiffusion.Nodes.Core.Math.IntMath).Assembly,
            typeof(NodeDiffusion.Nodes.Image.Saving.SaveImage).Assembly);
        Roots = StorageRoots.Under(Directory.Path);
        foreach (var folder in new[] { Roots.Input, Roots.Output, Roots.Temp, Roots.Models })
        {
            System.IO.Directory.CreateDirectory(folder);
        }
        Services = new NodeServices().Add(Log).Add(Roots).Add(Slow);
        Validator = new WorkflowValidator(Registry, new StorageComboOptions(Roots));
        Cache = new OutputCache(cacheEntries);
        Executor = new WorkflowExecutor(Cache, Services, options: new ExecutionOptions { MaxParallelism = maxParallelism });
    }

    public TempDirectory Directory { get; } = new();
    public StorageRoots Roots { get; }
    public ExecutionLog Log { get; } = new();
    public SlowSignal Slow { get; } = new();
    public NodeRegistry Registry { get; }
    public NodeServices Services { get; }
    public WorkflowValidator Validator { get; }
    public OutputCache Cache { get; }
    public WorkflowExecutor Executor { get; }
    public List<ExecutionEvent> Events { get; } = [];

    public async Task<ExecutionResult> RunAsync(Workflow workflow, CancellationToken cancellationToken = default)
    {
        var validation = Validator.Validate(workflow);
        Assert.True(validation.IsValid, string.Join("\n", validation.Errors));
        var sink = new ListSink(Events);
        return await Executor.RunAsync(Guid.NewGuid().ToString(), validation.Workflow!, sink, WorkflowSnapshot.None, cancellationToken);
    }

    public void Dispose() => Directory.Dispose();

    private sealed class ListSink(List<ExecutionEvent> events) : IExecutionEventSink
    {
        public void Publish(ExecutionEvent executionEvent)
        {
            lock (events)
            {
                events.Add(executionEvent);
            }
        }
    }
}
