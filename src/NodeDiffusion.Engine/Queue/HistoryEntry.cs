namespace NodeDiffusion.Engine.Queue;

/// <summary>Status words of finished prompts, as stored and served.</summary>
public static class HistoryStatus
{
    public const string Success = "success";
    public const string Error = "error";
    public const string Cancelled = "cancelled";
    /// <summary>The process stopped while the prompt ran.</summary>
    public const string Interrupted = "interrupted";
}

/// <summary>A finished prompt: what ran, how it ended, its outputs and timings.</summary>
public sealed record HistoryEntry(
    QueuedPrompt Prompt,
    string Status,
    IReadOnlyList<NodeRunRecord> Nodes,
    NodeError? Error,
    IReadOnlyList<Graph.Validation.ValidationError> ValidationErrors,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt)
{
    public double Milliseconds => (CompletedAt - StartedAt).TotalMilliseconds;
}
