using Microsoft.Extensions.Logging;

namespace NodeDiffusion.Graph.Nodes;

/// <summary>What a running node may touch: cancellation, progress, previews, warnings, UI outputs, a logger and services.</summary>
public interface INodeContext
{
    string NodeId { get; }
    CancellationToken CancellationToken { get; }
    ILogger Logger { get; }
    IServiceProvider Services { get; }
    /// <summary>The workflow being run, for nodes that embed it (SaveImage).</summary>
    WorkflowSnapshot Workflow { get; }

    /// <summary>Reports progress inside a long node, e.g. sampler steps.</summary>
    void ReportProgress(int value, int max);

    /// <summary>Offers a preview frame; subscribers see only the latest when they fall behind.</summary>
    void Preview(PreviewFrame frame);

    /// <summary>A warning that the editor shows on the node, e.g. LoRA keys that did not match.</summary>
    void Warn(string message);

    /// <summary>Adds an entry to the node's UI output (ComfyUI's "ui" dict), e.g. a saved image.</summary>
    void AddUiOutput(string key, UiItem item);
}

/// <summary>An encoded preview image (JPEG or PNG) of a node's work in progress.</summary>
public sealed record PreviewFrame(byte[] Bytes, string MimeType, int Width, int Height, int Step = 0);

/// <summary>One entry of a node's UI output: a file reference or a text.</summary>
public sealed record UiItem(string? Filename = null, string? Subfolder = null, string? Type = null, string? Text = null);

/// <summary>The workflow a node belongs to, in the serialized forms that nodes may embed.</summary>
public sealed record WorkflowSnapshot(string? NativeJson, string? ComfyPromptJson = null, string? ComfyWorkflowJson = null)
{
    public static WorkflowSnapshot None { get; } = new((string?)null);
}
