using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Graph.Workflows;

/// <summary>A parsed workflow, or the reasons it could not be read.</summary>
public sealed record WorkflowParseResult(Workflow? Workflow, IReadOnlyList<ValidationError> Errors)
{
    public bool Success => Workflow is not null && Errors.Count == 0;
}
