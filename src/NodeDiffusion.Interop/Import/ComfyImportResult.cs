using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Interop.Import;

/// <summary>An imported workflow (always present) and everything that did not map cleanly.</summary>
public sealed record ComfyImportResult(Workflow Workflow, ComfyFormat Format, IReadOnlyList<InteropIssue> Issues)
{
    /// <summary>The node types the workflow needs and this program lacks, each once, with the nodes that use it.</summary>
    public IReadOnlyList<MissingNodeType> MissingTypes { get; init; } = [];

    public IEnumerable<InteropIssue> Warnings => Issues.Where(i => i.Severity == InteropSeverity.Warning);

    /// <summary>A human-readable summary: one line per issue.</summary>
    public string Describe() => string.Join(Environment.NewLine, Issues.Select(i => i.ToString()));
}

/// <summary>The kind of document that was imported.</summary>
public enum ComfyFormat
{
    /// <summary>The ComfyUI API "prompt" (what the server executes).</summary>
    ApiPrompt,
    /// <summary>The ComfyUI editor's workflow (litegraph), schema 0.4 or 1.</summary>
    UiWorkflow,
    /// <summary>Our own format, passed through.</summary>
    Native,
    /// <summary>An A1111 "parameters" text turned into a txt2img graph.</summary>
    A1111Parameters,
}
