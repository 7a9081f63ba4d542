using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Metadata;

namespace NodeDiffusion.Interop.Export;

/// <summary>
/// The text chunks a saved image carries so that both programs can reopen it: ComfyUI's <c>prompt</c> and <c>workflow</c>
/// (as its SaveImage writes them) and our own <c>nodediffusion</c>, which our reader prefers.
/// </summary>
public static class EmbeddedChunks
{
    public static IReadOnlyList<KeyValuePair<string, string>> For(Workflow workflow, ComfyExporter exporter) =>
    [
        new("prompt", exporter.ToApiPrompt(workflow).ToJson()),
        new("workflow", exporter.ToUiWorkflow(workflow).ToJson()),
        new(EmbeddedWorkflowReader.NativeKeyword, WorkflowJson.Serialize(workflow, indented: false)),
    ];

    /// <summary>The workflow in every form SaveImage embeds, for the engine to hand to nodes.</summary>
    public static WorkflowSnapshot Snapshot(Workflow workflow, ComfyExporter exporter) => new(
        WorkflowJson.Serialize(workflow, indented: false),
        exporter.ToApiPrompt(workflow).ToJson(),
        exporter.ToUiWorkflow(workflow).ToJson());
}
