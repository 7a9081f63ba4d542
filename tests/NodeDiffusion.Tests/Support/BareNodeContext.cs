using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Tests.Support;

/// <summary>A node context without an engine, for calling a node's ExecuteAsync directly; it records previews and warnings.</summary>
internal sealed class BareNodeContext(IServiceProvider? services = null) : INodeContext
{
    public string NodeId => "test";
    public CancellationToken CancellationToken => CancellationToken.None;
    public ILogger Logger => NullLogger.Instance;
    public IServiceProvider Services { get; } = services ?? new EmptyServices();
    public WorkflowSnapshot Workflow => WorkflowSnapshot.None;
    public List<PreviewFrame> Previews { get; } = [];
    public List<string> Warnings { get; } = [];

    public void ReportProgress(int value, int max)
    {
    }

    public void Preview(PreviewFrame frame)
    {
        lock (Previews)
        {
            Previews.Add(frame);
        }
    }

    public void Warn(string message) => Warnings.Add(message);

    public void AddUiOutput(string key, UiItem item)
    {
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
