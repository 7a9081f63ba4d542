using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Lora;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>
/// Reads the modules of a LoRA file (any layout <see cref="LoraFormats"/> knows) that match a component's parameters,
/// and reports the modules that match none, so callers can warn instead of failing (ComfyUI loads what it can).
/// Components are named by their kohya prefix (<see cref="KohyaLora.UnetPrefix"/>, <see cref="KohyaLora.TextEncoderPrefix"/>).
/// </summary>
public static class LoraFile
{
    /// <summary>The network for the component of <paramref name="prefix"/> restricted to modules that patch one of <paramref name="parameterNames"/>.</summary>
    public static LoraNetwork ReadMatching(string path, string prefix, IEnumerable<string> parameterNames)
    {
        using var file = SafetensorsWeightSource.Open(path);
        var component = Component(prefix);
        var network = LoraFormats.Read(file, component, new Dictionary<string, IReadOnlyCollection<string>> { [component] = parameterNames.ToList() }).Network;
        // The file closes here: keep the tensors in memory.
        return network with { Source = path };
    }

    /// <summary>The LoRA modules of the file that patch no parameter of any of the given components (prefix → parameter names).</summary>
    public static IReadOnlyList<string> Unmatched(string path, IReadOnlyDictionary<string, IReadOnlyCollection<string>> components)
    {
        using var file = SafetensorsWeightSource.Open(path);
        var byComponent = components.ToDictionary(c => Component(c.Key), c => c.Value, StringComparer.Ordinal);
        return LoraFormats.Unmatched(file, byComponent);
    }

    private static string Component(string prefix) => prefix switch
    {
        KohyaLora.UnetPrefix => LoraFormats.Unet,
        KohyaLora.TextEncoderPrefix => LoraFormats.TextEncoder,
        _ => throw new ArgumentException($"unknown LoRA component prefix '{prefix}'", nameof(prefix)),
    };
}
