using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Engine.Events;

/// <summary>Something that happened while a prompt ran. Subscribers: the SignalR hub, the editor, ComfyUI's /ws, the CLI.</summary>
public abstract record ExecutionEvent(string PromptId)
{
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;
}

public sealed record ExecutionStarted(string PromptId, IReadOnlyList<string> NodeIds) : ExecutionEvent(PromptId);

public sealed record NodeCached(string PromptId, string NodeId, string NodeType, UiOutput Ui) : ExecutionEvent(PromptId);

public sealed record NodeStarted(string PromptId, string NodeId, string NodeType) : ExecutionEvent(PromptId);

public sealed record NodeProgress(string PromptId, string NodeId, int Value, int Max) : ExecutionEvent(PromptId);

public sealed record NodePreview(string PromptId, string NodeId, PreviewFrame Frame) : ExecutionEvent(PromptId);

public sealed record NodeWarning(string PromptId, string NodeId, string Message) : ExecutionEvent(PromptId);

public sealed record NodeCompleted(string PromptId, string NodeId, string NodeType, UiOutput Ui, double Milliseconds) : ExecutionEvent(PromptId);

public sealed record ExecutionCompleted(string PromptId, ExecutionResult Result) : ExecutionEvent(PromptId);

public sealed record ExecutionFailed(string PromptId, NodeError Error, ExecutionResult Result) : ExecutionEvent(PromptId);

public sealed record ExecutionCancelled(string PromptId, string? NodeId, ExecutionResult Result) : ExecutionEvent(PromptId);
