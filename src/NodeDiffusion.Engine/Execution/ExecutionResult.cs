using NodeDiffusion.Engine.Events;

namespace NodeDiffusion.Engine;

public enum ExecutionStatus
{
    Success,
    Failed,
    Cancelled,
}

public enum NodeRunStatus
{
    Executed,
    Cached,
    Failed,
    Cancelled,
}

/// <summary>What happened to one node in a run.</summary>
public sealed record NodeRunRecord(
    string NodeId,
    string NodeType,
    NodeRunStatus Status,
    double Milliseconds,
    UiOutput Ui,
    IReadOnlyList<string> Warnings);

/// <summary>A node failure in words for the user, with where it happened.</summary>
public sealed record NodeError(
    string NodeId,
    string NodeType,
    string Message,
    string ExceptionType,
    string? InputName = null,
    bool IsInternal = false);

/// <summary>The outcome of running one prompt.</summary>
public sealed record ExecutionResult(
    string PromptId,
    ExecutionStatus Status,
    IReadOnlyList<NodeRunRecord> Nodes,
    NodeError? Error,
    double Milliseconds)
{
    public IEnumerable<NodeRunRecord> Executed => Nodes.Where(n => n.Status == NodeRunStatus.Executed);

    public IEnumerable<NodeRunRecord> Cached => Nodes.Where(n => n.Status == NodeRunStatus.Cached);
}
