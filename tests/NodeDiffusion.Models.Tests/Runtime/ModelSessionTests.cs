using Microsoft.Extensions.Logging;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;

namespace NodeDiffusion.Models.Tests.Runtime;

public sealed class ModelSessionTests
{
    private static global::Onnx.ModelProto DoubleModel()
    {
        var g = new GraphBuilder("double");
        var x = g.Input("x", ElementType.Float, "batch", 3);
        g.Output(g.Mul(x, 2f), "y");
        return g.Build();
    }

    [Fact]
    public void FactoryLogsTheExecutionProviderItUses()
    {
        var logger = new ListLogger();
        var factory = new SessionFactory(new SessionOptionsSpec(PreferCuda: true), logger);
        using var session = factory.Create(DoubleModel(), "double");
        var line = Assert.Single(logger.Lines, l => l.Contains("runs on the", StringComparison.Ordinal));
        Assert.Contains(session.Device == ExecutionDevice.Cuda ? "CUDA" : "CPU", line);
        Report.Line($"device: {session.Device}; log: {string.Join(" | ", logger.Lines)}");

        var y = session.Run(new Dictionary<string, HostTensor> { ["x"] = new FloatTensor([1, 3], [1f, -2f, 3.5f]) })["y"];
        Assert.Equal([2f, -4f, 7f], y.Data);
    }

    [Fact]
    public void WrongInputsAreNamed()
    {
        using var session = Sessions.CpuFactory.Create(DoubleModel(), "double");
        var shape = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, HostTensor> { ["x"] = new FloatTensor([1, 4], new float[4]) }));
        Assert.Contains("input 'x' has shape [1, 4], the model expects [?, 3]", shape.Message);
        var names = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, HostTensor> { ["sample"] = new FloatTensor([1, 3], new float[3]) }));
        Assert.Contains("missing [x], unknown [sample]", names.Message);
        var type = Assert.Throws<ArgumentException>(() => session.Run(new Dictionary<string, HostTensor> { ["x"] = new Int64Tensor([1, 3], new long[3]) }));
        Assert.Contains("input 'x' must be Float", type.Message);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
