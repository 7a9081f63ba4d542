using System.Text.Json;

namespace NodeDiffusion.Graph.Workflows;

/// <summary>A native workflow document: nodes by stable id, optional editor layout and model references.</summary>
public sealed class Workflow
{
    public const string FormatName = "nodediffusion.workflow";
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;
    public string? Name { get; set; }
    public OrderedDictionary<string, WorkflowNode> Nodes { get; } = new(StringComparer.Ordinal);
    public List<WorkflowGroup> Groups { get; } = [];
    public Viewport? Viewport { get; set; }
    public List<ModelReference> Models { get; } = [];
    /// <summary>Properties this version does not interpret, kept so that load → save loses nothing.</summary>
    public OrderedDictionary<string, JsonElement> Extra { get; } = new(StringComparer.Ordinal);

    public Workflow Clone() => WorkflowJson.Parse(WorkflowJson.Serialize(this)).Workflow!;
}
