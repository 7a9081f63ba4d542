using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Graph.Validation;

/// <summary>
/// A validated workflow as it will run: muted nodes dropped, bypassed nodes rewired, widget values converted to
/// the CLR types of their inputs, and only the nodes that the outputs need.
/// </summary>
public sealed record ResolvedWorkflow(
    IReadOnlyDictionary<string, ResolvedNode> Nodes,
    IReadOnlyList<string> OutputNodeIds);

/// <summary>One node of a resolved workflow: literal values and links by input name.</summary>
public sealed record ResolvedNode(
    string Id,
    NodeDefinition Definition,
    IReadOnlyDictionary<string, object?> Values,
    IReadOnlyDictionary<string, LinkRef> Links);

/// <summary>The outcome of validation: the resolved workflow when there were no errors, and every error found.</summary>
public sealed record ValidationResult(ResolvedWorkflow? Workflow, IReadOnlyList<ValidationError> Errors)
{
    public bool IsValid => Errors.Count == 0 && Workflow is not null;
}
