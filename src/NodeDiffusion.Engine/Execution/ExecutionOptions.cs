namespace NodeDiffusion.Engine;

/// <summary>How the executor runs a plan.</summary>
public sealed record ExecutionOptions
{
    /// <summary>How many independent branches may run at once. 1 keeps the order fully deterministic.</summary>
    public int MaxParallelism { get; init; } = 1;
}
