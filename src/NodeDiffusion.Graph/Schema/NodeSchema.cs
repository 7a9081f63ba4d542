namespace NodeDiffusion.Graph.Schema;

/// <summary>Everything the editor, the validator and external clients need to know about a node type.</summary>
public sealed record NodeSchema(
    string TypeId,
    string DisplayName,
    string Category,
    string Description,
    int Version,
    bool IsOutput,
    bool NotIdempotent,
    IReadOnlyList<InputSpec> Inputs,
    IReadOnlyList<OutputSpec> Outputs,
    IReadOnlyList<string> Aliases)
{
    public InputSpec? FindInput(string name) => Inputs.FirstOrDefault(i => i.Name == name);
}
