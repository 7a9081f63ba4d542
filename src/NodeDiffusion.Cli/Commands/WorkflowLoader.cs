using System.Text.Json;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop;
using NodeDiffusion.Interop.Export;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Mapping;
using NodeDiffusion.Interop.Metadata;
using NodeDiffusion.Models.Demo;

namespace NodeDiffusion.Cli.Commands;

/// <summary>
/// Loads a workflow from a native file, a ComfyUI file (API or UI format) or an image with an embedded workflow,
/// and applies --set overrides (NODE.INPUT=VALUE; VALUE is JSON, or else a string).
/// </summary>
internal static class WorkflowLoader
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    public static (Workflow? Workflow, IReadOnlyList<ValidationError> Errors) Load(
        string path, IEnumerable<string> overrides, NodeRegistry registry, string? mapModels = null, TextWriter? notes = null)
    {
        var (workflow, errors) = Open(path, registry, mapModels, notes);
        if (workflow is null)
        {
            return (null, errors);
        }
        var problems = new List<ValidationError>();
        foreach (var assignment in overrides)
        {
            var equals = assignment.IndexOf('=');
            var dot = equals < 0 ? -1 : assignment.LastIndexOf('.', equals);
            if (equals < 0 || dot <= 0)
            {
                problems.Add(new ValidationError(ValidationCodes.InvalidJson, $"--set \"{assignment}\" must look like NODE.INPUT=VALUE."));
                continue;
            }
            var nodeId = assignment[..dot];
            var input = assignment[(dot + 1)..equals];
            if (!workflow.Nodes.TryGetValue(nodeId, out var node))
            {
                problems.Add(new ValidationError(ValidationCodes.DanglingLink, $"--set names node \"{nodeId}\", which the workflow does not have.", nodeId, null, input));
                continue;
            }
            node.Inputs[input] = ParseValue(assignment[(equals + 1)..]);
            node.Links.Remove(input);
        }
        return (problems.Count == 0 ? workflow : null, problems);
    }

    /// <summary>The ComfyUI forms of a workflow, for the PNG chunks SaveImage writes.</summary>
    public static WorkflowSnapshot Snapshot(Workflow workflow, NodeRegistry registry) =>
        EmbeddedChunks.Snapshot(workflow, new ComfyExporter(new ComfyExportOptions(registry)));

    public static ComfyImportOptions ImportOptions(NodeRegistry registry, string? mapModels) => new(registry)
    {
        ModelNames = mapModels switch
        {
            null => null,
            "demo" => new ModelNameMap().MapFolder("checkpoints", DemoCheckpoint.Name),
            _ => throw new ArgumentException($"--map-models \"{mapModels}\" is not known; \"demo\" maps every checkpoint to the demo model."),
        },
    };

    private static (Workflow?, IReadOnlyList<ValidationError>) Open(string path, NodeRegistry registry, string? mapModels, TextWriter? notes)
    {
        var isImage = ImageExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
        var native = isImage ? null : WorkflowJson.ParseFile(path);
        if (native is { Success: true } && mapModels is null)
        {
            return (native.Workflow, []);
        }
        if (native is { Success: false } && native.Errors.Any(e => e.Code is ValidationCodes.TooLarge) || !File.Exists(path))
        {
            return (null, native?.Errors ?? [new ValidationError(ValidationCodes.InvalidJson, $"The file '{path}' does not exist.")]);
        }
        try
        {
            var imported = new WorkflowFileOpener(ImportOptions(registry, mapModels)).Open(path);
            foreach (var issue in imported.Issues)
            {
                notes?.WriteLine($"  import: {issue}");
            }
            return (imported.Workflow, []);
        }
        catch (InteropFormatException e)
        {
            return (null, native?.Errors ?? [new ValidationError(ValidationCodes.InvalidJson, e.Message)]);
        }
    }

    private static JsonElement ParseValue(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
