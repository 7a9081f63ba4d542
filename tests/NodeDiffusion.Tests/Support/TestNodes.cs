using System.Collections.Concurrent;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Tests.Support;

/// <summary>Records which node ids ran, in order, so tests can check what the engine executed.</summary>
public sealed class ExecutionLog
{
    private readonly ConcurrentQueue<string> _entries = new();

    public void Add(string nodeId) => _entries.Enqueue(nodeId);

    public IReadOnlyList<string> Entries => _entries.ToArray();
}

[NodeType("TestNumber", Category = "test")]
public sealed class TestNumber : Node<TestNumber.In, TestNumber.Out>
{
    public sealed record In([Int(1, Min = 0, Max = 1000)] long Value);

    public sealed record Out(long Int);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        context.Services.GetService(typeof(ExecutionLog)).As<ExecutionLog>()?.Add(context.NodeId);
        return ValueTask.FromResult(new Out(inputs.Value));
    }
}

[NodeType("TestSum", Category = "test")]
public sealed class TestSum : Node<TestSum.In, TestSum.Out>
{
    public sealed record In([Input(Optional = true)] long? A, [Input(Optional = true)] long? B, [Input(Optional = true)] long? C);

    public sealed record Out(long Int);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        context.Services.GetService(typeof(ExecutionLog)).As<ExecutionLog>()?.Add(context.NodeId);
        return ValueTask.FromResult(new Out((inputs.A ?? 0) + (inputs.B ?? 0) + (inputs.C ?? 0)));
    }
}

[NodeType("TestSink", Category = "test", IsOutput = true)]
public sealed class TestSink : Node<TestSink.In, NoOutputs>
{
    public sealed record In(long Value);

    public override ValueTask<NoOutputs> ExecuteAsync(In inputs, INodeContext context)
    {
        context.Services.GetService(typeof(ExecutionLog)).As<ExecutionLog>()?.Add(context.NodeId);
        context.AddUiOutput("text", new UiItem(Text: inputs.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return ValueTask.FromResult(NoOutputs.Instance);
    }
}

[NodeType("TestFail", Category = "test")]
public sealed class TestFail : Node<TestFail.In, TestFail.Out>
{
    public sealed record In(long Value, [Boolean(true)] bool Internal);

    public sealed record Out(long Int);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        inputs.Internal ? throw new InvalidOperationException("boom") : throw new NodeException("The value is not acceptable.", "value");
}

/// <summary>Signals, per test host, that a slow node has started.</summary>
public sealed class SlowSignal
{
    public SemaphoreSlim Started { get; } = new(0);
}

/// <summary>Reports progress step by step until cancelled.</summary>
[NodeType("TestSlow", Category = "test")]
public sealed class TestSlow : Node<TestSlow.In, TestSlow.Out>
{

    public sealed record In(long Value, [Int(1000, Min = 1, Max = 100000)] int Steps);

    public sealed record Out(long Int);

    public override async ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        context.Services.GetService(typeof(SlowSignal)).As<SlowSignal>()?.Started.Release();
        for (var i = 0; i < inputs.Steps; i++)
        {
            await Task.Delay(5, context.CancellationToken);
            context.ReportProgress(i + 1, inputs.Steps);
        }
        return new Out(inputs.Value);
    }
}

[NodeType("TestClock", Category = "test", NotIdempotent = true)]
public sealed class TestClock : Node<TestClock.In, TestClock.Out>
{
    public sealed record In;

    public sealed record Out(long Int);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        context.Services.GetService(typeof(ExecutionLog)).As<ExecutionLog>()?.Add(context.NodeId);
        return ValueTask.FromResult(new Out(DateTime.UtcNow.Ticks));
    }
}

[NodeType("TestPick", Category = "test")]
public sealed class TestPick : Node<TestPick.In, TestPick.Out>
{
    public sealed record In([Combo("alpha", "beta", "gamma")] string Choice, [Float(0.5, Min = 0, Max = 1)] double Amount, [Text("x", Multiline = true)] string Note);

    public sealed record Out(long Int);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) => ValueTask.FromResult(new Out(inputs.Choice.Length));
}

internal static class ObjectExtensions
{
    public static T? As<T>(this object? value)
        where T : class => value as T;
}
