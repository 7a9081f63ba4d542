using System.Diagnostics;
using System.Text.Json;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Caching;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Nodes.Core.Math;

namespace NodeDiffusion.Bench;

/// <summary>
/// Engine overhead on a 1,000-node graph of trivial nodes: validation + planning + execution per node, against a
/// direct loop making the same node calls; then how many nodes rerun after one widget changes deep in the graph.
/// </summary>
public static class EngineOverheadBenchmark
{
    private const int NodeCount = 1000;
    private const int Rounds = 30;

    public static async Task RunAsync()
    {
        var registry = NodeRegistry.FromAssemblies(typeof(IntMath).Assembly);
        var validator = new WorkflowValidator(registry);
        var services = new NodeServices();
        var events = new EventFanOut();

        var workflow = Build(changedValue: 1);
        var resolved = validator.Validate(workflow).Workflow!;
        var definition = registry.Find("IntMath")!;

        // Warm up both paths (JIT, caches of reflection).
        await DirectLoopAsync(definition.Node, NodeCount);
        await new WorkflowExecutor(new OutputCache(), services).RunAsync("warm", resolved, events);

        var direct = new List<double>();
        var engine = new List<double>();
        var planning = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            await DirectLoopAsync(definition.Node, NodeCount);
            direct.Add(clock.Elapsed.TotalMicroseconds);

            clock.Restart();
            var validation = validator.Validate(workflow);
            planning.Add(clock.Elapsed.TotalMicroseconds);
            var executor = new WorkflowExecutor(new OutputCache(maxEntries: 4096), services);
            await executor.RunAsync($"r{round}", validation.Workflow!, events);
            engine.Add(clock.Elapsed.TotalMicroseconds);
        }

        var directMedian = Median(direct);
        var engineMedian = Median(engine);
        Console.WriteLine($"engine overhead, {NodeCount} trivial nodes (median of {Rounds} rounds)");
        Console.WriteLine($"  direct loop of the same node calls: {directMedian / NodeCount,8:F2} µs/node");
        Console.WriteLine($"  validation only:                   {Median(planning) / NodeCount,8:F2} µs/node");
        Console.WriteLine($"  validate + plan + execute:          {engineMedian / NodeCount,8:F2} µs/node");
        Console.WriteLine($"  overhead per node:                  {(engineMedian - directMedian) / NodeCount,8:F2} µs");
        Console.WriteLine($"  ratio engine / direct:              {engineMedian / directMedian,8:F1}x");

        var cache = new OutputCache(maxEntries: 4096);
        var cachedExecutor = new WorkflowExecutor(cache, services);
        await cachedExecutor.RunAsync("first", resolved, events);
        var clockAgain = Stopwatch.StartNew();
        var again = await cachedExecutor.RunAsync("again", validator.Validate(workflow).Workflow!, events);
        var againMicros = clockAgain.Elapsed.TotalMicroseconds;
        var changed = validator.Validate(Build(changedValue: 2)).Workflow!;
        var clockChanged = Stopwatch.StartNew();
        var rerun = await cachedExecutor.RunAsync("changed", changed, events);
        Console.WriteLine($"  unchanged rerun: {again.Executed.Count()} executed, {again.Cached.Count()} cached, {againMicros / 1000:F2} ms");
        Console.WriteLine($"  one widget changed at node {NodeCount / 2}: {rerun.Executed.Count()} executed, {rerun.Cached.Count()} cached, {clockChanged.Elapsed.TotalMilliseconds:F2} ms");
    }

    /// <summary>A chain where node i = max(node i−1, node i−2 or a widget), ending in ShowText.</summary>
    private static Workflow Build(int changedValue)
    {
        var workflow = new Workflow();
        for (var i = 0; i < NodeCount; i++)
        {
            var node = new WorkflowNode { Type = "IntMath" };
            node.Inputs["operation"] = JsonSerializer.SerializeToElement("max");
            node.Inputs["a"] = JsonSerializer.SerializeToElement(i);
            node.Inputs["b"] = JsonSerializer.SerializeToElement(i == NodeCount / 2 ? changedValue : 1);
            if (i > 0)
            {
                node.Links["a"] = new LinkRef((i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), 0);
            }
            if (i > 1 && i != NodeCount / 2)
            {
                node.Links["b"] = new LinkRef((i - 2).ToString(System.Globalization.CultureInfo.InvariantCulture), 0);
            }
            workflow.Nodes[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = node;
        }
        var show = new WorkflowNode { Type = "ShowText" };
        show.Links["source"] = new LinkRef((NodeCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), 0);
        workflow.Nodes["out"] = show;
        return workflow;
    }

    private static async Task DirectLoopAsync(INode node, int count)
    {
        var context = new DirectContext();
        long previous = 0, beforePrevious = 0;
        for (var i = 0; i < count; i++)
        {
            var inputs = new Dictionary<string, object?> { ["a"] = i == 0 ? 0L : previous, ["b"] = i > 1 ? beforePrevious : 1L, ["operation"] = "max" };
            var outputs = await node.ExecuteAsync(inputs, context);
            beforePrevious = previous;
            previous = (long)outputs[0]!;
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private sealed class DirectContext : INodeContext
    {
        public string NodeId => "direct";
        public CancellationToken CancellationToken => CancellationToken.None;
        public Microsoft.Extensions.Logging.ILogger Logger => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        public IServiceProvider Services { get; } = new NodeServices();
        public WorkflowSnapshot Workflow => WorkflowSnapshot.None;
        public void ReportProgress(int value, int max) { }
        public void Preview(PreviewFrame frame) { }
        public void Warn(string message) { }
        public void AddUiOutput(string key, UiItem item) { }
    }
}
