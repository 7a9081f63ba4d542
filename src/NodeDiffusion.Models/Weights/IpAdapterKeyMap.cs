using System.Text.RegularExpressions;
using NodeDiffusion.Models.Architectures.Unet;

namespace NodeDiffusion.Models.Weights;

/// <summary>
/// Original IP-Adapter checkpoints (tencent-ailab/h94 layout: <c>image_proj.*</c>, <c>ip_adapter.&lt;id&gt;.to_k_ip.weight</c>)
/// → the diffusers names <see cref="UNet2DConditionGraph"/> binds. <c>id</c> is the position of the attention processor in
/// diffusers' <c>unet.attn_processors</c>: attn1/attn2 interleaved, down blocks, then up blocks, then the mid block.
/// </summary>
public static partial class IpAdapterKeyMap
{
    /// <summary>The attention module paths in diffusers' processor order.</summary>
    public static IReadOnlyList<string> AttentionProcessorPaths(UNet2DConditionConfig config)
    {
        var paths = new List<string>();
        void Add(string transformer)
        {
            paths.Add(transformer + ".transformer_blocks.0.attn1");
            paths.Add(transformer + ".transformer_blocks.0.attn2");
        }
        for (var i = 0; i < config.DownBlockTypes.Length; i++)
        {
            if (config.DownBlockTypes[i] == "CrossAttnDownBlock2D")
            {
                for (var j = 0; j < config.LayersPerBlock; j++)
                {
                    Add($"down_blocks.{i}.attentions.{j}");
                }
            }
        }
        for (var i = 0; i < config.UpBlockTypes.Length; i++)
        {
            if (config.UpBlockTypes[i] == "CrossAttnUpBlock2D")
            {
                for (var j = 0; j <= config.LayersPerBlock; j++)
                {
                    Add($"up_blocks.{i}.attentions.{j}");
                }
            }
        }
        Add("mid_block.attentions.0");
        return paths;
    }

    /// <summary>The diffusers name of an original-layout key, or null if the key is not part of an IP-Adapter.</summary>
    public static string? ToDiffusers(string key, UNet2DConditionConfig config)
    {
        if (key.StartsWith("image_proj.proj.", StringComparison.Ordinal))
        {
            return "encoder_hid_proj.image_projection_layers.0.image_embeds." + key["image_proj.proj.".Length..];
        }
        if (key.StartsWith("image_proj.norm.", StringComparison.Ordinal))
        {
            return "encoder_hid_proj.image_projection_layers.0.norm." + key["image_proj.norm.".Length..];
        }
        var m = AdapterKey().Match(key);
        if (!m.Success)
        {
            return null;
        }
        var id = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var paths = AttentionProcessorPaths(config);
        if (id >= paths.Count || !paths[id].EndsWith(".attn2", StringComparison.Ordinal))
        {
            throw new WeightBindingException($"IP-Adapter key '{key}': processor id {id} is not a cross-attention layer of this UNet ({paths.Count} processors)");
        }
        return $"{paths[id]}.processor.{m.Groups[2].Value}.0.weight";
    }

    [GeneratedRegex(@"^ip_adapter\.(\d+)\.(to_k_ip|to_v_ip)\.weight$")]
    private static partial Regex AdapterKey();
}
