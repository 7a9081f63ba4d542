using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Lora;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Loaders;

/// <summary>What LoadLora and LoadLoraModelOnly share: resolving and checking the file against the checkpoint.</summary>
internal static class LoraPatching
{
    /// <summary>The resolved LoRA, after checking it is a kohya LoRA and warning about modules that patch nothing.</summary>
    public static LoraPatch Resolve(INodeContext context, CheckpointRef checkpointRef, string name)
    {
        var models = context.Models();
        var lora = models.ResolveLora(name);
        var checkpoint = models.Open(checkpointRef);
        if (!checkpoint.HasWeights)
        {
            throw new NodeException(checkpoint.NeedsWeights("LoRA").Message, "model");
        }
        try
        {
            var unmatched = LoraFile.Unmatched(lora.Path, new Dictionary<string, IReadOnlyCollection<string>>
            {
                [KohyaLora.UnetPrefix] = ParameterNames(checkpoint.OpenUnetWeights()),
                [KohyaLora.TextEncoderPrefix] = ParameterNames(checkpoint.OpenTextEncoderWeights()),
            });
            if (unmatched.Count > 0)
            {
                context.Warn($"LoRA \"{name}\": {unmatched.Count} modules match nothing in {checkpointRef.Name} and are ignored: {string.Join(", ", unmatched.Take(20))}{(unmatched.Count > 20 ? ", …" : "")}");
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or WeightBindingException or SafetensorsFormatException or NotSupportedException)
        {
            throw new NodeException($"Cannot load LoRA \"{name}\": {e.Message}", e, "lora_name");
        }
        return lora;
    }

    private static IReadOnlyCollection<string> ParameterNames(ComponentWeights component)
    {
        using var weights = component;
        return weights.Names.ToList();
    }
}
