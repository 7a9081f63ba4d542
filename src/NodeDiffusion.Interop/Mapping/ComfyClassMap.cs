namespace NodeDiffusion.Interop.Mapping;

/// <summary>
/// The table of ComfyUI class names that differ from our type ids. A class not listed maps to the type of the same name
/// (or a registry alias). The table is data: callers may build their own or extend <see cref="Default"/>.
/// </summary>
public sealed class ComfyClassMap
{
    private readonly Dictionary<string, ClassMapping> _byClass = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClassMapping> _exportByType = new(StringComparer.Ordinal);

    public ComfyClassMap(IEnumerable<ClassMapping> mappings)
    {
        foreach (var mapping in mappings)
        {
            if (!_byClass.TryAdd(mapping.ComfyClass, mapping))
            {
                throw new ArgumentException($"The ComfyUI class '{mapping.ComfyClass}' is mapped twice.", nameof(mappings));
            }
            if (mapping.IsExportName && !_exportByType.TryAdd(mapping.TypeId, mapping))
            {
                throw new ArgumentException($"Two ComfyUI classes are marked as the export name of '{mapping.TypeId}'.", nameof(mappings));
            }
        }
    }

    public IReadOnlyCollection<ClassMapping> Mappings => _byClass.Values;

    /// <summary>The mapping of a ComfyUI class, or null when it maps by identical name.</summary>
    public ClassMapping? FindByClass(string comfyClass) => _byClass.GetValueOrDefault(comfyClass);

    /// <summary>Our type id for a ComfyUI class.</summary>
    public string ToTypeId(string comfyClass) => FindByClass(comfyClass)?.TypeId ?? comfyClass;

    /// <summary>The mapping used to write our type as a ComfyUI class, or null when the class name equals the type id.</summary>
    public ClassMapping? FindExport(string typeId) => _exportByType.GetValueOrDefault(typeId);

    public ComfyClassMap With(params ClassMapping[] more) =>
        new(_byClass.Values.Where(m => more.All(n => n.ComfyClass != m.ComfyClass)).Concat(more));

    private static readonly Dictionary<string, string> LegacyControlNetApply = new() { ["conditioning"] = "positive" };

    /// <summary>ComfyUI core and IPAdapter_plus classes whose names differ from ours.</summary>
    public static ComfyClassMap Default { get; } = new(
    [
        new("CheckpointLoaderSimple", "LoadCheckpoint"),
        new("CheckpointLoader", "LoadCheckpoint", ComfyWidgets: ["config_name", "ckpt_name"], IsExportName: false),
        new("CLIPTextEncode", "TextEncode"),
        new("LoraLoader", "LoadLora"),
        new("LoraLoaderModelOnly", "LoadLoraModelOnly"),
        new("ControlNetLoader", "LoadControlNet"),
        new("ControlNetApplyAdvanced", "ApplyControlNet"),
        new("ControlNetApply", "ApplyControlNet", LegacyControlNetApply, ["strength"], IsExportName: false),
        new("IPAdapterAdvanced", "IpAdapterApply"),
        new("IPAdapter", "IpAdapterApply", ComfyWidgets: ["weight", "start_at", "end_at", "weight_type"], IsExportName: false),
        new("IPAdapterApply", "IpAdapterApply", ComfyWidgets: ["weight", "noise", "weight_type", "start_at", "end_at", "unfold_batch"], IsExportName: false,
            Note: "IPAdapterApply was removed from IPAdapter_plus in 2024; it was imported as IpAdapterApply and its 'noise' and 'unfold_batch' have no equivalent."),
        new("IPAdapterModelLoader", "LoadIpAdapter"),
        new("CLIPVisionLoader", "LoadClipVision"),
        new("CLIPVisionEncode", "ClipVisionEncode"),
        new("HypernetworkLoader", "LoadHypernetwork"),
        new("Reroute", "Reroute", new Dictionary<string, string> { [""] = "input" }, IsExportName: false),
    ]);
}
