using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Interop.Export;

/// <summary>Writes native workflows as ComfyUI documents, with ComfyUI's class names and widget order.</summary>
public sealed class ComfyExporter(ComfyExportOptions options)
{
    /// <summary>The API prompt that ComfyUI's server executes (and SaveImage embeds as "prompt").</summary>
    public ComfyExportResult ToApiPrompt(Workflow workflow)
    {
        var issues = new List<InteropIssue>();
        var document = new ApiPromptWriter(options, Nodes(workflow), issues).Write();
        return new ComfyExportResult(document, issues);
    }

    /// <summary>The editor workflow, schema 0.4 (what ComfyUI saves and embeds as "workflow").</summary>
    public ComfyExportResult ToUiWorkflow(Workflow workflow)
    {
        var issues = new List<InteropIssue>();
        var document = new UiWorkflowWriter(options, workflow, Nodes(workflow), issues).Write();
        return new ComfyExportResult(document, issues);
    }

    private Dictionary<string, ExportNode> Nodes(Workflow workflow) =>
        workflow.Nodes.ToDictionary(n => n.Key, n => ExportNode.Of(n.Key, n.Value, options), StringComparer.Ordinal);
}
