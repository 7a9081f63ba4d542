using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Json;

namespace NodeDiffusion.Interop.Import;

/// <summary>The document-level parts of a UI workflow: groups, the viewport, model references and notes.</summary>
internal static class UiDocumentReader
{
    private const int MaxGroups = 10_000;

    public static void ReadDocument(JsonElement root, Workflow workflow, List<JsonElement> notes)
    {
        if (JsonRead.Property(root, "groups") is { ValueKind: JsonValueKind.Array } groups)
        {
            foreach (var group in groups.EnumerateArray().Take(MaxGroups))
            {
                if (JsonRead.Numbers(JsonRead.Property(group, "bounding"), 4) is { Length: 4 } bounding)
                {
                    workflow.Groups.Add(new WorkflowGroup(JsonRead.String(group, "title") ?? "Group", bounding,
                        JsonRead.String(group, "color"), JsonRead.Double(JsonRead.Property(group, "font_size"))));
                }
            }
        }
        var ds = JsonRead.Property(JsonRead.Property(root, "extra"), "ds");
        if (JsonRead.Numbers(JsonRead.Property(ds, "offset"), 2) is { Length: 2 } offset)
        {
            workflow.Viewport = new Viewport(offset[0], offset[1], JsonRead.Double(JsonRead.Property(ds, "scale")) ?? 1);
        }
        if (JsonRead.Property(root, "models") is { ValueKind: JsonValueKind.Array } models)
        {
            foreach (var model in models.EnumerateArray().Take(MaxGroups))
            {
                if (JsonRead.String(model, "name") is { } name && JsonRead.String(model, "directory") is { } directory)
                {
                    var sha = JsonRead.String(model, "hash_type") is "sha256" or "SHA256" ? JsonRead.String(model, "hash") : null;
                    workflow.Models.Add(new ModelReference(name, directory, sha, JsonRead.String(model, "url")));
                }
            }
        }
        if (notes.Count > 0)
        {
            workflow.Extra[InteropKeys.Notes] = JsonSerializer.SerializeToElement(notes);
        }
    }
}
