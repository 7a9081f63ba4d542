namespace NodeDiffusion.Models.Weights.Lora;

/// <summary>
/// kohya-ss sd-scripts LoRA files: <c>&lt;prefix&gt;_&lt;module path with '.'→'_'&gt;.lora_down.weight</c>, <c>.lora_up.weight</c>,
/// optional <c>.alpha</c> (scale = alpha / rank; rank when absent). Module paths are resolved against the parameter names
/// of the architecture they patch, so no per-model table is needed.
/// </summary>
public static class KohyaLora
{
    public const string UnetPrefix = "lora_unet";
    public const string TextEncoderPrefix = "lora_te";

    /// <summary>The kohya module name of each patchable parameter (weights of Linear/Conv layers).</summary>
    public static Dictionary<string, string> ModuleNames(string prefix, IEnumerable<string> parameterNames) =>
        parameterNames
            .Where(n => n.EndsWith(".weight", StringComparison.Ordinal))
            .ToDictionary(n => prefix + "_" + n[..^".weight".Length].Replace('.', '_'), n => n, StringComparer.Ordinal);

    /// <summary>
    /// The modules under <paramref name="prefix"/>; keys with other prefixes are left for other components.
    /// Throws naming every module that matches no parameter.
    /// </summary>
    public static LoraNetwork Read(IWeightSource file, string prefix, IEnumerable<string> parameterNames)
    {
        var targets = ModuleNames(prefix, parameterNames);
        var modules = new List<LoraModule>();
        var unknown = new List<string>();
        foreach (var downKey in file.Names.Where(n => n.StartsWith(prefix + "_", StringComparison.Ordinal) && n.EndsWith(".lora_down.weight", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var module = downKey[..^".lora_down.weight".Length];
            if (!targets.TryGetValue(module, out var target))
            {
                unknown.Add(module);
                continue;
            }
            var upKey = module + ".lora_up.weight";
            if (!file.Contains(upKey))
            {
                throw new WeightBindingException($"{file.Description}: LoRA module '{module}' has lora_down but no lora_up");
            }
            var down = file.Read(downKey);
            var rank = down.Shape[0];
            var alphaKey = module + ".alpha";
            var scale = file.Contains(alphaKey) ? file.Read(alphaKey).Values[0] / rank : 1f;
            modules.Add(new LoraModule(target, down, file.Read(upKey), scale));
        }
        if (unknown.Count > 0)
        {
            throw new WeightBindingException($"{file.Description}: {unknown.Count} LoRA modules match no parameter of the model: {string.Join(", ", unknown.Take(20))}");
        }
        return new LoraNetwork(file.Description, modules);
    }
}
