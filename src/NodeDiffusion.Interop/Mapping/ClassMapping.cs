namespace NodeDiffusion.Interop.Mapping;

/// <summary>
/// How one ComfyUI class becomes one of our node types.
/// <paramref name="InputRenames"/> maps ComfyUI input names to ours where they differ.
/// <paramref name="ComfyWidgets"/> is the class's own widget order in ComfyUI, given where it differs from our type's schema
/// (a legacy class mapped onto a newer node); null means "the same as our schema".
/// <paramref name="IsExportName"/> marks the class that our type is written back as.
/// <paramref name="Note"/> explains a semantic difference the user should hear about on import.
/// </summary>
public sealed record ClassMapping(
    string ComfyClass,
    string TypeId,
    IReadOnlyDictionary<string, string>? InputRenames = null,
    IReadOnlyList<string>? ComfyWidgets = null,
    bool IsExportName = true,
    string? Note = null)
{
    public string ToOurInput(string comfyInput) =>
        InputRenames is not null && InputRenames.TryGetValue(comfyInput, out var ours) ? ours : comfyInput;

    public string ToComfyInput(string ourInput) =>
        InputRenames?.FirstOrDefault(r => r.Value == ourInput) is { Key: { } comfy } ? comfy : ourInput;
}
