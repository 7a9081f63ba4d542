using System.Runtime.InteropServices;
using System.Text.Json;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Json;
using NodeDiffusion.Interop.Metadata;

namespace NodeDiffusion.Server.Editor;

/// <summary>
/// The one way the editor opens a file (toolbar Load, a drop on the canvas, a gallery result): by its content, not its name.
/// Native JSON, ComfyUI UI JSON (schema 0.4 and 1), a ComfyUI API prompt, or an image with an embedded workflow
/// (ours, then ComfyUI's <c>workflow</c>, then <c>prompt</c>, then A1111 <c>parameters</c>). Anything else is refused with a sentence.
/// </summary>
public sealed class WorkflowFileLoader(NodeRegistry registry, long maxImageBytes)
{
    public long MaxImageBytes => maxImageBytes;

    public WorkflowFileLoad Open(string name, ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > maxImageBytes)
        {
            return WorkflowFileLoad.Refused($"{name} is {bytes.Length:N0} bytes; at most {maxImageBytes:N0} bytes are accepted.");
        }
        var head = bytes.Span[..Math.Min(bytes.Length, 12)];
        if (WorkflowFileOpener.IsImage(head))
        {
            return OpenImage(name, bytes);
        }
        if (!LooksLikeJson(bytes.Span))
        {
            return WorkflowFileLoad.Refused($"{name} is not a workflow: drop a .json or a PNG with an embedded workflow.");
        }
        if (bytes.Length > WorkflowLimits.MaxJsonBytes)
        {
            return WorkflowFileLoad.Refused($"{name} is {bytes.Length:N0} bytes; at most {WorkflowLimits.MaxJsonBytes:N0} bytes of JSON are accepted.");
        }
        try
        {
            using var document = LenientJson.Parse(bytes);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("format", out _))
            {
                var parsed = WorkflowJson.Parse(bytes);
                return parsed.Workflow is { } workflow && parsed.Errors.Count == 0
                    ? WorkflowFileLoad.Loaded(new ComfyImportResult(workflow, ComfyFormat.Native, []))
                    : WorkflowFileLoad.Refused($"{name} could not be opened: {string.Join("; ", parsed.Errors.Take(3).Select(e => e.Message))}");
            }
            return WorkflowFileLoad.Loaded(new ComfyImporter(Options).Import(document.RootElement));
        }
        catch (InteropFormatException e)
        {
            return WorkflowFileLoad.Refused($"{name} could not be opened: {e.Message}");
        }
    }

    private ComfyImportOptions Options => new(registry);

    private WorkflowFileLoad OpenImage(string name, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var stream = MemoryMarshal.TryGetArray(bytes, out var array)
                ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
                : new MemoryStream(bytes.ToArray(), writable: false);
            var chunks = ImageTextReader.Read(stream);
            if (!chunks.Any(c => EmbeddedWorkflowReader.LoadOrder.Contains(c.Keyword)))
            {
                return WorkflowFileLoad.Refused($"{name} has no embedded workflow.");
            }
            var found = new EmbeddedWorkflowReader(Options).Read(chunks, out var problems);
            return found is null
                ? WorkflowFileLoad.Refused($"{name}: the embedded workflow could not be read. {string.Join(" ", problems)}")
                : WorkflowFileLoad.Loaded(found.Import);
        }
        catch (InteropFormatException e)
        {
            return WorkflowFileLoad.Refused($"{name} could not be read: {e.Message}");
        }
    }

    /// <summary>JSON text starts (after an optional BOM and white space) with an object or array.</summary>
    private static bool LooksLikeJson(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\xEF\xBB\xBF"u8))
        {
            bytes = bytes[3..];
        }
        foreach (var b in bytes)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }
            return b is (byte)'{' or (byte)'[';
        }
        return false;
    }
}

/// <summary>What opening a file gave: the imported workflow, or the sentence that says why there is none.</summary>
public sealed record WorkflowFileLoad(ComfyImportResult? Result, string? Error)
{
    public static WorkflowFileLoad Loaded(ComfyImportResult result) => new(result, null);
    public static WorkflowFileLoad Refused(string error) => new(null, error);
}
