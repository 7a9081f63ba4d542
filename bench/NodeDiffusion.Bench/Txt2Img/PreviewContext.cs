using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Bench.Txt2Img;

/// <summary>A node context for driving <c>LatentPreviewer</c> without the engine; it keeps the last frame and any warning.</summary>
internal sealed class PreviewContext(IServiceProvider services) : INodeContext
{
    public string NodeId => "bench";
    public CancellationToken CancellationToken => CancellationToken.None;
    public ILogger Logger => NullLogger.Instance;
    public IServiceProvider Services => services;
    public WorkflowSnapshot Workflow => WorkflowSnapshot.None;
    public PreviewFrame? LastFrame { get; private set; }
    public int Frames { get; private set; }
    public string? Warning { get; private set; }

    public void ReportProgress(int value, int max)
    {
    }

    public void Preview(PreviewFrame frame)
    {
        LastFrame = frame;
        Frames++;
    }

    public void Warn(string message) => Warning = message;

    public void AddUiOutput(string key, UiItem item)
    {
    }
}
