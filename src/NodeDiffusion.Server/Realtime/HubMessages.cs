using System.Text.Json.Nodes;

namespace NodeDiffusion.Server.Realtime;

/// <summary>The names of the messages that <see cref="ExecutionHub"/> sends to its clients.</summary>
public static class HubMethods
{
    public const string Status = "status";
    public const string ExecutionStarted = "executionStarted";
    public const string NodeStarted = "nodeStarted";
    public const string NodeCached = "nodeCached";
    public const string Progress = "progress";
    public const string NodeCompleted = "nodeCompleted";
    public const string NodeWarning = "nodeWarning";
    public const string ExecutionSucceeded = "executionSucceeded";
    public const string ExecutionFailed = "executionFailed";
    public const string ExecutionInterrupted = "executionInterrupted";
    public const string Preview = "preview";
}

public sealed record StatusMessage(int QueueRemaining, string? RunningPromptId);

public sealed record ExecutionStartedMessage(string PromptId, IReadOnlyList<string> NodeIds, long Timestamp);

public sealed record NodeMessage(string PromptId, string NodeId, string NodeType, long Timestamp);

/// <summary>A node's UI output (e.g. saved images) as ComfyUI's "output" object.</summary>
public sealed record NodeOutputMessage(string PromptId, string NodeId, string NodeType, JsonObject Output, double Milliseconds, long Timestamp);

public sealed record ProgressMessage(string PromptId, string NodeId, int Value, int Max);

public sealed record NodeWarningMessage(string PromptId, string NodeId, string Message);

public sealed record ExecutionSucceededMessage(string PromptId, double Milliseconds, long Timestamp);

public sealed record ExecutionFailedMessage(string PromptId, string NodeId, string NodeType, string Message, string ExceptionType, string? InputName, long Timestamp);

public sealed record ExecutionInterruptedMessage(string PromptId, string? NodeId, long Timestamp);

/// <summary>A JPEG preview; only the latest reaches a client that falls behind.</summary>
public sealed record PreviewMessage(string PromptId, string NodeId, string MimeType, int Width, int Height, int Step, byte[] Image);
