using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeDiffusion.Interop.Export;

/// <summary>An exported ComfyUI document and what could not be expressed in it.</summary>
public sealed record ComfyExportResult(JsonObject Document, IReadOnlyList<InteropIssue> Issues)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The document as JSON text; ASCII-only like Python's json.dumps, so it fits a PNG tEXt chunk unchanged.</summary>
    public string ToJson(bool indented = false) => Document.ToJsonString(indented ? Indented : null);
}
