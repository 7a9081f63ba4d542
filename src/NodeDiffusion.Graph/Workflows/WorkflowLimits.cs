namespace NodeDiffusion.Graph.Workflows;

/// <summary>Bounds on what a workflow may be, so a hostile or broken file cannot exhaust memory.</summary>
public static class WorkflowLimits
{
    public const long MaxJsonBytes = 32L * 1024 * 1024;
    public const int MaxNodes = 10_000;
    public const int MaxDepth = 64;
}
