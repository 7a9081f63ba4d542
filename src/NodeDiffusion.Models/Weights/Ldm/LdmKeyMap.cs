using System.Text.RegularExpressions;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;

namespace NodeDiffusion.Models.Weights.Ldm;

/// <summary>
/// Parameter names of original (CompVis "ldm") single-file SD checkpoints → diffusers names. Each function returns null
/// for keys that are not parameters of that component (EMA copies, schedule buffers, other components).
/// </summary>
public static partial class LdmKeyMap
{
    public const string UnetPrefix = "model.diffusion_model.";
    public const string VaePrefix = "first_stage_model.";
    public const string TextPrefix = "cond_stage_model.transformer.";

    public static string? Unet(string key, UNet2DConditionConfig config)
    {
        if (!key.StartsWith(UnetPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var k = key[UnetPrefix.Length..];
        var per = config.LayersPerBlock + 1;
        Match m;
        if ((m = TimeEmbed().Match(k)).Success)
        {
            return $"time_embedding.linear_{(m.Groups[1].Value == "0" ? 1 : 2)}.{m.Groups[2].Value}";
        }
        if ((m = InputBlock().Match(k)).Success)
        {
            var n = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var part = m.Groups[2].Value;
            var rest = m.Groups[3].Value;
            if (n == 0)
            {
                return part == "0" ? "conv_in." + rest : null;
            }
            var (i, j) = ((n - 1) / per, (n - 1) % per);
            if (i >= config.BlockOutChannels.Length)
            {
                return null;
            }
            if (j < config.LayersPerBlock)
            {
                return part switch
                {
                    "0" => $"down_blocks.{i}.resnets.{j}.{Resnet(rest)}",
                    "1" => $"down_blocks.{i}.attentions.{j}.{rest}",
                    _ => null,
                };
            }
            return part == "0" && rest.StartsWith("op.", StringComparison.Ordinal) ? $"down_blocks.{i}.downsamplers.0.conv.{rest[3..]}" : null;
        }
        if ((m = MiddleBlock().Match(k)).Success)
        {
            return m.Groups[1].Value switch
            {
                "0" => $"mid_block.resnets.0.{Resnet(m.Groups[2].Value)}",
                "1" => $"mid_block.attentions.0.{m.Groups[2].Value}",
                "2" => $"mid_block.resnets.1.{Resnet(m.Groups[2].Value)}",
                _ => null,
            };
        }
        if ((m = OutputBlock().Match(k)).Success)
        {
            var n = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var part = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            var rest = m.Groups[3].Value;
            var (i, j) = (n / per, n % per);
            if (i >= config.BlockOutChannels.Length)
            {
                return null;
            }
            var hasAttention = config.UpBlockTypes[i] == "CrossAttnUpBlock2D";
            if (part == 0)
            {
                return $"up_blocks.{i}.resnets.{j}.{Resnet(rest)}";
            }
            if (part == 1 && hasAttention)
            {
                return $"up_blocks.{i}.attentions.{j}.{rest}";
            }
            var upsamplerPart = hasAttention ? 2 : 1;
            return part == upsamplerPart && j == per - 1 && rest.StartsWith("conv.", StringComparison.Ordinal) ? $"up_blocks.{i}.upsamplers.0.{rest}" : null;
        }
        if ((m = Out().Match(k)).Success)
        {
            return (m.Groups[1].Value == "0" ? "conv_norm_out." : "conv_out.") + m.Groups[2].Value;
        }
        return null;
    }

    public static string? Vae(string key, AutoencoderKLConfig config)
    {
        if (!key.StartsWith(VaePrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var k = key[VaePrefix.Length..];
        if (k.StartsWith("quant_conv.", StringComparison.Ordinal) || k.StartsWith("post_quant_conv.", StringComparison.Ordinal))
        {
            return k;
        }
        Match m;
        if ((m = VaeTop().Match(k)).Success)
        {
            var name = m.Groups[2].Value == "norm_out" ? "conv_norm_out" : m.Groups[2].Value;
            return $"{m.Groups[1].Value}.{name}.{m.Groups[3].Value}";
        }
        if ((m = VaeDown().Match(k)).Success)
        {
            return m.Groups[2].Value == "block"
                ? $"encoder.down_blocks.{m.Groups[1].Value}.resnets.{m.Groups[3].Value}.{VaeResnet(m.Groups[4].Value)}"
                : $"encoder.down_blocks.{m.Groups[1].Value}.downsamplers.0.conv.{m.Groups[4].Value}";
        }
        if ((m = VaeUp().Match(k)).Success)
        {
            var i = config.BlockOutChannels.Length - 1 - int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            return m.Groups[2].Value == "block"
                ? $"decoder.up_blocks.{i}.resnets.{m.Groups[3].Value}.{VaeResnet(m.Groups[4].Value)}"
                : $"decoder.up_blocks.{i}.upsamplers.0.conv.{m.Groups[4].Value}";
        }
        if ((m = VaeMid().Match(k)).Success)
        {
            var part = m.Groups[2].Value;
            var rest = m.Groups[3].Value;
            return part switch
            {
                "block_1" => $"{m.Groups[1].Value}.mid_block.resnets.0.{VaeResnet(rest)}",
                "block_2" => $"{m.Groups[1].Value}.mid_block.resnets.1.{VaeResnet(rest)}",
                _ => VaeAttention(rest) is { } a ? $"{m.Groups[1].Value}.mid_block.attentions.0.{a}" : null,
            };
        }
        return null;
    }

    /// <summary>LDM keeps the VAE attention projections as 1×1 convs [C, C, 1, 1]; diffusers has Linear [C, C].</summary>
    public static bool IsVaeAttentionProjection(string diffusersName) =>
        VaeAttentionProjection().IsMatch(diffusersName);

    public static string? TextEncoder(string key)
    {
        if (!key.StartsWith(TextPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var k = key[TextPrefix.Length..];
        if (k.StartsWith("text_model.", StringComparison.Ordinal))
        {
            return k;
        }
        // Some early checkpoints omit the text_model level.
        return k.StartsWith("embeddings.", StringComparison.Ordinal) || k.StartsWith("encoder.", StringComparison.Ordinal) || k.StartsWith("final_layer_norm.", StringComparison.Ordinal)
            ? "text_model." + k
            : null;
    }

    private static string Resnet(string rest)
    {
        var m = ResnetPart().Match(rest);
        if (!m.Success)
        {
            return rest;
        }
        var name = m.Groups[1].Value switch
        {
            "in_layers.0" => "norm1",
            "in_layers.2" => "conv1",
            "emb_layers.1" => "time_emb_proj",
            "out_layers.0" => "norm2",
            "out_layers.3" => "conv2",
            _ => "conv_shortcut",
        };
        return name + "." + m.Groups[2].Value;
    }

    private static string VaeResnet(string rest) =>
        rest.StartsWith("nin_shortcut.", StringComparison.Ordinal) ? "conv_shortcut." + rest["nin_shortcut.".Length..] : rest;

    private static string? VaeAttention(string rest)
    {
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return null;
        }
        var name = rest[..dot] switch
        {
            "norm" => "group_norm",
            "q" => "to_q",
            "k" => "to_k",
            "v" => "to_v",
            "proj_out" => "to_out.0",
            _ => null,
        };
        return name is null ? null : name + rest[dot..];
    }

    [GeneratedRegex(@"^time_embed\.(0|2)\.(weight|bias)$")]
    private static partial Regex TimeEmbed();

    [GeneratedRegex(@"^input_blocks\.(\d+)\.(\d+)\.(.+)$")]
    private static partial Regex InputBlock();

    [GeneratedRegex(@"^middle_block\.(\d+)\.(.+)$")]
    private static partial Regex MiddleBlock();

    [GeneratedRegex(@"^output_blocks\.(\d+)\.(\d+)\.(.+)$")]
    private static partial Regex OutputBlock();

    [GeneratedRegex(@"^out\.(0|2)\.(weight|bias)$")]
    private static partial Regex Out();

    [GeneratedRegex(@"^(in_layers\.0|in_layers\.2|emb_layers\.1|out_layers\.0|out_layers\.3|skip_connection)\.(.+)$")]
    private static partial Regex ResnetPart();

    [GeneratedRegex(@"^(encoder|decoder)\.(conv_in|conv_out|norm_out)\.(weight|bias)$")]
    private static partial Regex VaeTop();

    [GeneratedRegex(@"^encoder\.down\.(\d+)\.(block|downsample)\.(?:(\d+)\.|conv\.)(.+)$")]
    private static partial Regex VaeDown();

    [GeneratedRegex(@"^decoder\.up\.(\d+)\.(block|upsample)\.(?:(\d+)\.|conv\.)(.+)$")]
    private static partial Regex VaeUp();

    [GeneratedRegex(@"^(encoder|decoder)\.mid\.(block_1|block_2|attn_1)\.(.+)$")]
    private static partial Regex VaeMid();

    [GeneratedRegex(@"^(encoder|decoder)\.mid_block\.attentions\.0\.(to_q|to_k|to_v|to_out\.0)\.weight$")]
    private static partial Regex VaeAttentionProjection();
}
