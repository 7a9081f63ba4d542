namespace NodeDiffusion.Graph.Validation;

/// <summary>One problem in a workflow, located as precisely as possible, in words a user understands.</summary>
public sealed record ValidationError(
    string Code,
    string Message,
    string? NodeId = null,
    string? NodeType = null,
    string? InputName = null)
{
    public override string ToString()
    {
        var where = NodeId is null ? "" : $"node {NodeId}{(NodeType is null ? "" : $" ({NodeType})")}{(InputName is null ? "" : $", input '{InputName}'")}: ";
        return $"{where}{Message} [{Code}]";
    }
}
