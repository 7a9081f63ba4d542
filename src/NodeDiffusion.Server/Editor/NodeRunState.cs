namespace NodeDiffusion.Server.Editor;

public enum NodeRunStatus
{
    Idle,
    Queued,
    Running,
    Cached,
    Done,
    Failed,
}

/// <summary>How a node fared in the editor's latest run: status, step progress, error and text output.</summary>
public sealed class NodeRunState
{
    public NodeRunStatus Status { get; set; }

    public int Value { get; set; }

    public int Max { get; set; }

    public string? Error { get; set; }

    public string? Text { get; set; }

    public void Reset()
    {
        Status = NodeRunStatus.Idle;
        Value = Max = 0;
        Error = null;
    }
}
