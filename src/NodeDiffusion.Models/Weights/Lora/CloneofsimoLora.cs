using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;

namespace NodeDiffusion.Models.Weights.Lora;

/// <summary>
/// cloneofsimo/lora "safeloras" files: <c>unet:&lt;i&gt;:up/down</c>, <c>text_encoder:&lt;i&gt;:up/down</c>, no alpha (scale 1).
/// The index is the order in which that library met Linear layers while training on diffusers ~0.11, reproduced here.
/// </summary>
public static class CloneofsimoLora
{
    /// <summary>
    /// UNet order: per transformer block attn1 q/k/v/out, ff.net.0.proj, attn2 q/k/v/out (diffusers 0.11 registered ff
    /// before attn2); down blocks, up blocks, then the mid block.
    /// </summary>
    public static IReadOnlyList<string> UnetModules(UNet2DConditionConfig config)
    {
        var transformers = new List<string>();
        for (var i = 0; i < config.DownBlockTypes.Length; i++)
        {
            if (config.DownBlockTypes[i] == "CrossAttnDownBlock2D")
            {
                transformers.AddRange(Enumerable.Range(0, config.LayersPerBlock).Select(j => $"down_blocks.{i}.attentions.{j}"));
            }
        }
        for (var i = 0; i < config.UpBlockTypes.Length; i++)
        {
            if (config.UpBlockTypes[i] == "CrossAttnUpBlock2D")
            {
                transformers.AddRange(Enumerable.Range(0, config.LayersPerBlock + 1).Select(j => $"up_blocks.{i}.attentions.{j}"));
            }
        }
        transformers.Add("mid_block.attentions.0");
        string[] order = ["attn1.to_q", "attn1.to_k", "attn1.to_v", "attn1.to_out.0", "ff.net.0.proj", "attn2.to_q", "attn2.to_k", "attn2.to_v", "attn2.to_out.0"];
        return transformers.SelectMany(t => order.Select(o => $"{t}.transformer_blocks.0.{o}")).ToList();
    }

    /// <summary>Text encoder order: per layer k, v, q, out projections (CLIPAttention attribute order).</summary>
    public static IReadOnlyList<string> TextEncoderModules(ClipTextConfig config) =>
        Enumerable.Range(0, config.NumHiddenLayers)
            .SelectMany(i => new[] { "k_proj", "v_proj", "q_proj", "out_proj" }.Select(p => $"text_model.encoder.layers.{i}.self_attn.{p}"))
            .ToList();

    /// <param name="component"><c>unet</c> or <c>text_encoder</c>.</param>
    public static LoraNetwork Read(IWeightSource file, string component, IReadOnlyList<string> modules)
    {
        var result = new List<LoraModule>();
        for (var i = 0; file.Contains($"{component}:{i}:down"); i++)
        {
            if (i >= modules.Count)
            {
                throw new WeightBindingException($"{file.Description}: {component} LoRA index {i} is beyond the {modules.Count} patchable modules");
            }
            var up = $"{component}:{i}:up";
            if (!file.Contains(up))
            {
                throw new WeightBindingException($"{file.Description}: '{component}:{i}:down' has no '{up}'");
            }
            result.Add(new LoraModule(modules[i] + ".weight", file.Read($"{component}:{i}:down"), file.Read(up), 1f));
        }
        return new LoraNetwork(file.Description, result);
    }
}
