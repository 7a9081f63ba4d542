using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Lora;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>
/// Reads the kohya modules of a LoRA file that match a component's parameters, and reports the modules that match none,
/// so callers can warn instead of failing (ComfyUI loads what it can).
/// </summary>
public static class LoraFile
{
    private const string DownSuffix = ".lora_down.weight";

    /// <summary>The network under <paramref name="prefix"/> restricted to modules that patch one of <paramref name="parameterNames"/>.</summary>
    public static LoraNetwork ReadMatching(string path, string prefix, IEnumerable<string> parameterNames)
    {
        using var file = SafetensorsWeightSource.Open(path);
        var targets = KohyaLora.ModuleNames(prefix, parameterNames);
        var kept = file.Names
            .Where(n => n.EndsWith(DownSuffix, StringComparison.Ordinal) && targets.ContainsKey(n[..^DownSuffix.Length]))
            .SelectMany(n => new[] { n, n[..^DownSuffix.Length] + ".lora_up.weight", n[..^DownSuffix.Length] + ".alpha" })
            .Where(file.Contains)
            .Select(file.Read);
        return KohyaLora.Read(new DictionaryWeightSource(kept, path), prefix, parameterNames);
    }

    /// <summary>The LoRA modules of the file that patch no parameter of any of the given components (prefix → parameter names).</summary>
    public static IReadOnlyList<string> Unmatched(string path, IReadOnlyDictionary<string, IReadOnlyCollection<string>> components)
    {
        using var file = SafetensorsWeightSource.Open(path);
        var known = components
            .SelectMany(c => KohyaLora.ModuleNames(c.Key, c.Value).Keys)
            .ToHashSet(StringComparer.Ordinal);
        var modules = file.Names.Where(n => n.EndsWith(DownSuffix, StringComparison.Ordinal)).Select(n => n[..^DownSuffix.Length]).ToList();
        if (modules.Count == 0)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} holds no kohya LoRA modules (no *{DownSuffix} tensors).");
        }
        return modules.Where(m => !known.Contains(m)).Order(StringComparer.Ordinal).ToList();
    }
}
