using Microsoft.Extensions.Logging;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Engine.Execution;

/// <summary>The context one node run gets; it turns the node's reports into engine events.</summary>
internal sealed class NodeContext(
    string promptId,
    string nodeId,
    CancellationToken cancellationToken,
    ILogger logger,
    IServiceProvider services,
    WorkflowSnapshot workflow,
    IExecutionEventSink events) : INodeContext
{
    private readonly Dictionary<string, List<UiItem>> _ui = new(StringComparer.Ordinal);

    public string NodeId => nodeId;
    public CancellationToken CancellationToken => cancellationToken;
    public ILogger Logger => logger;
    public IServiceProvider Services => services;
    public WorkflowSnapshot Workflow => workflow;
    public List<string> Warnings { get; } = [];

    public void ReportProgress(int value, int max)
    {
        cancellationToken.ThrowIfCancellationRequested();
        events.Publish(new NodeProgress(promptId, nodeId, value, max));
    }

    public void Preview(PreviewFrame frame) => events.Publish(new NodePreview(promptId, nodeId, frame));

    public void Warn(string message)
    {
        lock (Warnings)
        {
            Warnings.Add(message);
        }
        logger.LogWarning("Node {NodeId}: {Message}", nodeId, message);
        events.Publish(new NodeWarning(promptId, nodeId, message));
    }

    public void AddUiOutput(string key, UiItem item)
    {
        lock (_ui)
        {
            if (!_ui.TryGetValue(key, out var list))
            {
                _ui[key] = list = [];
            }
            list.Add(item);
        }
    }

    public UiOutput Ui()
    {
        lock (_ui)
        {
            return _ui.Count == 0 ? UiOutput.Empty : new UiOutput(_ui.ToDictionary(p => p.Key, p => (IReadOnlyList<UiItem>)p.Value.ToArray()));
        }
    }
}
