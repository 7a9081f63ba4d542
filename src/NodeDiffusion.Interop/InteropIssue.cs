namespace NodeDiffusion.Interop;

/// <summary>Something an import or export changed, dropped or could not map, located as precisely as it can be.</summary>
public sealed record InteropIssue(
    InteropSeverity Severity,
    string Code,
    string Message,
    string? NodeId = null,
    string? ComfyClass = null,
    string? InputName = null)
{
    public override string ToString()
    {
        var where = NodeId is null ? "" : $"node {NodeId}{(ComfyClass is null ? "" : $" ({ComfyClass})")}{(InputName is null ? "" : $", input '{InputName}'")}: ";
        return $"{Severity.ToString().ToLowerInvariant()}: {where}{Message} [{Code}]";
    }
}

public enum InteropSeverity
{
    /// <summary>A faithful change the user may want to know about (a model name replaced, a reroute resolved).</summary>
    Info,
    /// <summary>Something that may change the result or keeps the workflow from running (a missing node type, a dropped link).</summary>
    Warning,
}
