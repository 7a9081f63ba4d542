namespace NodeDiffusion.Interop.Mapping;

/// <summary>
/// Replaces model file names on import, by model folder (checkpoints, loras, controlnet, …):
/// e.g. run a shared workflow on the demo models by mapping every checkpoint to one demo file.
/// </summary>
public sealed class ModelNameMap
{
    private readonly Dictionary<string, string> _byFolder = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Folder, string Name), string> _byName = [];

    /// <summary>Every model in <paramref name="folder"/> becomes <paramref name="replacement"/>.</summary>
    public ModelNameMap MapFolder(string folder, string replacement)
    {
        _byFolder[folder] = replacement;
        return this;
    }

    /// <summary>One model name in <paramref name="folder"/> becomes <paramref name="replacement"/>; wins over a folder-wide mapping.</summary>
    public ModelNameMap MapName(string folder, string name, string replacement)
    {
        _byName[(folder, name)] = replacement;
        return this;
    }

    public string? Replace(string folder, string name) =>
        _byName.TryGetValue((folder, name), out var exact) ? exact : _byFolder.GetValueOrDefault(folder);
}
