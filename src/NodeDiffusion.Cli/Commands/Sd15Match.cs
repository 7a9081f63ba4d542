using NodeDiffusion.Models.Weights.Lora;

namespace NodeDiffusion.Cli.Commands;

/// <summary>How many of an adapter's modules (LoRA), vectors (embedding) or layers (hypernetwork) fit SD1.5.</summary>
internal sealed record Sd15Match(int Matched, int Total, string Unit)
{
    public static Sd15Match? For(ModelFile file, ModelIdentity identity) => (identity.Kind, identity.Variant) switch
    {
        ("lora", "kohya" or "LyCORIS") => Kohya(file),
        ("lora", "cloneofsimo") => Cloneofsimo(file),
        ("lora", "diffusers-PEFT") => Peft(file),
        ("embedding", _) => Embedding(file),
        ("hypernetwork", _) => Hypernetwork(file),
        _ => null,
    };

    private static Sd15Match Kohya(ModelFile file)
    {
        var targets = KohyaLora.ModuleNames(KohyaLora.UnetPrefix, Sd15Parameters.Unet.Keys)
            .Concat(KohyaLora.ModuleNames(KohyaLora.TextEncoderPrefix, Sd15Parameters.TextEncoder.Keys))
            .Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var modules = file.Tensors.Select(t => t.Name[..Math.Max(0, t.Name.IndexOf('.', StringComparison.Ordinal))])
            .Where(m => m.Length > 0).Distinct().ToList();
        return new Sd15Match(modules.Count(targets.Contains), modules.Count, "modules");
    }

    // safeloras index modules in SD1.5's patchable order; a module matches when its down/up factors fit the layer shape.
    private static Sd15Match Cloneofsimo(ModelFile file)
    {
        var shapes = file.Tensors.ToDictionary(t => t.Name, t => t.Shape);
        var matched = 0;
        var total = 0;
        foreach (var (component, modules, parameters) in new[]
        {
            ("unet", CloneofsimoLora.UnetModules(Sd15Parameters.UnetConfiguration), Sd15Parameters.Unet),
            ("text_encoder", CloneofsimoLora.TextEncoderModules(Sd15Parameters.TextConfiguration), Sd15Parameters.TextEncoder),
        })
        {
            for (var i = 0; shapes.TryGetValue($"{component}:{i}:down", out var down); i++)
            {
                total++;
                if (i < modules.Count && shapes.TryGetValue($"{component}:{i}:up", out var up)
                    && parameters.TryGetValue(modules[i] + ".weight", out var weight)
                    && up[0] == weight[0] && down[1] == weight[1])
                {
                    matched++;
                }
            }
        }
        return new Sd15Match(matched, total, "modules");
    }

    private static Sd15Match Peft(ModelFile file)
    {
        var modules = file.Tensors.Select(t => PeftModule(t.Name)).OfType<string>().Distinct().ToList();
        var matched = modules.Count(m =>
            (m.StartsWith("unet.", StringComparison.Ordinal) && Sd15Parameters.Unet.ContainsKey(m["unet.".Length..] + ".weight"))
            || (m.StartsWith("text_encoder.", StringComparison.Ordinal) && Sd15Parameters.TextEncoder.ContainsKey(m["text_encoder.".Length..] + ".weight")));
        return new Sd15Match(matched, modules.Count, "modules");
    }

    private static string? PeftModule(string key)
    {
        foreach (var suffix in new[] { ".lora_A.weight", ".lora_B.weight", ".lora_linear_layer.down.weight", ".lora_linear_layer.up.weight" })
        {
            if (key.EndsWith(suffix, StringComparison.Ordinal))
            {
                return key[..^suffix.Length];
            }
        }
        // Older diffusers attention-processor files: <block>.processor.to_q_lora.down.weight patches <block>.to_q.
        foreach (var (from, to) in new[] { ("to_q_lora", "to_q"), ("to_k_lora", "to_k"), ("to_v_lora", "to_v"), ("to_out_lora", "to_out.0") })
        {
            foreach (var end in new[] { $".processor.{from}.down.weight", $".processor.{from}.up.weight" })
            {
                if (key.EndsWith(end, StringComparison.Ordinal))
                {
                    var module = key[..^end.Length] + "." + to;
                    return module.StartsWith("unet.", StringComparison.Ordinal) ? module : "unet." + module;
                }
            }
        }
        return null;
    }

    private static Sd15Match Embedding(ModelFile file)
    {
        var vectors = file.Tensors.Select(t => (Rows: t.Shape.Length == 2 ? t.Shape[0] : 1, Width: t.Shape[^1])).ToList();
        return new Sd15Match((int)vectors.Where(v => v.Width == Sd15Parameters.TextHiddenSize).Sum(v => v.Rows), (int)vectors.Sum(v => v.Rows),
            $"vectors of width {Sd15Parameters.TextHiddenSize}");
    }

    // A1111 hypernetworks key layers by the attention context width they patch: SD1.5 uses 320, 640, 1280 and 768.
    private static Sd15Match Hypernetwork(ModelFile file)
    {
        var widths = new HashSet<string> { "320", "640", "768", "1280" };
        return new Sd15Match(file.Tensors.Count(t => widths.Contains(t.Name[..t.Name.IndexOf('.', StringComparison.Ordinal)])), file.Tensors.Count, "tensors");
    }
}
