using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.A1111;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Json;
using NodeDiffusion.Interop.Png;

namespace NodeDiffusion.Interop.Metadata;

/// <summary>
/// Opens the workflow embedded in a dropped image, in the order ComfyUI's frontend uses, with our own chunk first:
/// <c>nodediffusion</c> (native), then <c>workflow</c> (UI), then <c>prompt</c> (API), then A1111 <c>parameters</c>.
/// A chunk that cannot be read is reported and the next one is tried.
/// </summary>
public sealed class EmbeddedWorkflowReader(ComfyImportOptions options)
{
    public const string NativeKeyword = "nodediffusion";
    public static readonly string[] LoadOrder = [NativeKeyword, "workflow", "prompt", "parameters"];

    /// <summary>The workflow of an image file, or null with the reasons in <paramref name="problems"/> when none could be read.</summary>
    public EmbeddedWorkflow? ReadFile(string path, out IReadOnlyList<string> problems) =>
        Read(ImageTextReader.ReadFile(path), out problems);

    public EmbeddedWorkflow? Read(IReadOnlyList<PngTextChunk> chunks, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        foreach (var keyword in LoadOrder)
        {
            if (chunks.FirstOrDefault(c => c.Keyword == keyword) is not { } chunk)
            {
                continue;
            }
            try
            {
                if (ReadChunk(chunk) is { } result)
                {
                    problems = found;
                    return new EmbeddedWorkflow(keyword, result);
                }
                found.Add($"'{keyword}' holds no workflow this program understands.");
            }
            catch (InteropFormatException e)
            {
                found.Add($"'{keyword}' could not be read: {e.Message}");
            }
        }
        if (found.Count == 0)
        {
            var keys = chunks.Count == 0 ? "none" : string.Join(", ", chunks.Select(c => c.Keyword).Distinct());
            found.Add($"The image has no workflow metadata (text entries: {keys}).");
        }
        problems = found;
        return null;
    }

    private ComfyImportResult? ReadChunk(PngTextChunk chunk)
    {
        var importer = new ComfyImporter(options);
        switch (chunk.Keyword)
        {
            case NativeKeyword:
                var parsed = WorkflowJson.Parse(chunk.Text);
                return parsed.Workflow is { } workflow
                    ? new ComfyImportResult(workflow, ComfyFormat.Native, [])
                    : throw new InteropFormatException(string.Join(" ", parsed.Errors.Select(e => e.Message)));
            case "workflow":
                using (var document = LenientJson.Parse(chunk.Text))
                {
                    return document.RootElement.ValueKind == JsonValueKind.Object ? importer.ImportUi(document.RootElement) : null;
                }
            case "prompt":
                using (var document = LenientJson.Parse(chunk.Text))
                {
                    return document.RootElement.ValueKind == JsonValueKind.Object ? importer.ImportApi(document.RootElement) : null;
                }
            default:
                return A1111ParametersParser.Parse(chunk.Text) is { } parameters ? A1111GraphBuilder.Build(parameters, options) : null;
        }
    }
}

/// <summary>A workflow found in an image, and the metadata entry it came from.</summary>
public sealed record EmbeddedWorkflow(string Keyword, ComfyImportResult Import);
