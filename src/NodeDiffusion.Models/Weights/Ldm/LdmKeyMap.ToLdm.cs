using System.Globalization;
using System.Text.RegularExpressions;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;

namespace NodeDiffusion.Models.Weights.Ldm;

/// <summary>The inverse direction, diffusers → ldm, for writing single-file checkpoints.</summary>
public static partial class LdmKeyMap
{
    public static string UnetToLdm(string name, UNet2DConditionConfig config)
    {
        var per = config.LayersPerBlock + 1;
        Match m;
        if ((m = DiffusersTimeEmbedding().Match(name)).Success)
        {
            return $"{UnetPrefix}time_embed.{(m.Groups[1].Value == "1" ? 0 : 2)}.{m.Groups[2].Value}";
        }
        if (name.StartsWith("conv_in.", StringComparison.Ordinal))
        {
            return $"{UnetPrefix}input_blocks.0.0.{name["conv_in.".Length..]}";
        }
        if (name.StartsWith("conv_norm_out.", StringComparison.Ordinal))
        {
            return $"{UnetPrefix}out.0.{name["conv_norm_out.".Length..]}";
        }
        if (name.StartsWith("conv_out.", StringComparison.Ordinal))
        {
            return $"{UnetPrefix}out.2.{name["conv_out.".Length..]}";
        }
        if ((m = DiffusersBlockPart().Match(name)).Success)
        {
            var (kind, i, part, j, rest) = (m.Groups[1].Value, Int(m.Groups[2].Value), m.Groups[3].Value, Int(m.Groups[4].Value), m.Groups[5].Value);
            if (kind == "down_blocks")
            {
                return part switch
                {
                    "resnets" => $"{UnetPrefix}input_blocks.{1 + (i * per) + j}.0.{ResnetToLdm(rest)}",
                    "attentions" => $"{UnetPrefix}input_blocks.{1 + (i * per) + j}.1.{rest}",
                    _ => $"{UnetPrefix}input_blocks.{1 + (i * per) + config.LayersPerBlock}.0.op.{rest["conv.".Length..]}",
                };
            }
            var upsamplerPart = config.UpBlockTypes[i] == "CrossAttnUpBlock2D" ? 2 : 1;
            return part switch
            {
                "resnets" => $"{UnetPrefix}output_blocks.{(i * per) + j}.0.{ResnetToLdm(rest)}",
                "attentions" => $"{UnetPrefix}output_blocks.{(i * per) + j}.1.{rest}",
                _ => $"{UnetPrefix}output_blocks.{(i * per) + per - 1}.{upsamplerPart}.{rest}",
            };
        }
        if ((m = DiffusersMidPart().Match(name)).Success)
        {
            return m.Groups[1].Value == "attentions"
                ? $"{UnetPrefix}middle_block.1.{m.Groups[3].Value}"
                : $"{UnetPrefix}middle_block.{(m.Groups[2].Value == "0" ? 0 : 2)}.{ResnetToLdm(m.Groups[3].Value)}";
        }
        throw new ArgumentException($"'{name}' is not a UNet parameter with an ldm name");
    }

    public static string VaeToLdm(string name, AutoencoderKLConfig config)
    {
        Match m;
        if (name.StartsWith("quant_conv.", StringComparison.Ordinal) || name.StartsWith("post_quant_conv.", StringComparison.Ordinal))
        {
            return VaePrefix + name;
        }
        if ((m = DiffusersVaeTop().Match(name)).Success)
        {
            return $"{VaePrefix}{m.Groups[1].Value}.{(m.Groups[2].Value == "conv_norm_out" ? "norm_out" : m.Groups[2].Value)}.{m.Groups[3].Value}";
        }
        if ((m = DiffusersVaeBlock().Match(name)).Success)
        {
            var (coder, i, part, rest) = (m.Groups[1].Value, Int(m.Groups[2].Value), m.Groups[3].Value, m.Groups[4].Value);
            var (level, sampler) = coder == "encoder" ? ("down", "downsample") : ("up", "upsample");
            var index = coder == "encoder" ? i : config.BlockOutChannels.Length - 1 - i;
            return part == "resnets"
                ? $"{VaePrefix}{coder}.{level}.{index}.block.{VaeResnetToLdm(rest)}"
                : $"{VaePrefix}{coder}.{level}.{index}.{sampler}.{rest[(rest.IndexOf('.', StringComparison.Ordinal) + 1)..]}";
        }
        if ((m = DiffusersVaeMid().Match(name)).Success)
        {
            var (coder, part, index, rest) = (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value);
            if (part == "resnets")
            {
                return $"{VaePrefix}{coder}.mid.block_{(index == "0" ? 1 : 2)}.{VaeResnetToLdm(rest)}";
            }
            var dot = rest.StartsWith("to_out.0.", StringComparison.Ordinal) ? "to_out.0".Length : rest.IndexOf('.', StringComparison.Ordinal);
            var ldm = rest[..dot] switch
            {
                "group_norm" => "norm",
                "to_q" => "q",
                "to_k" => "k",
                "to_v" => "v",
                "to_out.0" => "proj_out",
                var other => throw new ArgumentException($"'{name}': unknown VAE attention part '{other}'"),
            };
            return $"{VaePrefix}{coder}.mid.attn_1.{ldm}{rest[dot..]}";
        }
        throw new ArgumentException($"'{name}' is not a VAE parameter with an ldm name");
    }

    public static string TextEncoderToLdm(string name) => TextPrefix + name;

    private static string ResnetToLdm(string rest)
    {
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        var ldm = rest[..dot] switch
        {
            "norm1" => "in_layers.0",
            "conv1" => "in_layers.2",
            "time_emb_proj" => "emb_layers.1",
            "norm2" => "out_layers.0",
            "conv2" => "out_layers.3",
            "conv_shortcut" => "skip_connection",
            var other => throw new ArgumentException($"unknown resnet part '{other}'"),
        };
        return ldm + rest[dot..];
    }

    private static string VaeResnetToLdm(string rest) =>
        rest.Contains(".conv_shortcut.", StringComparison.Ordinal) ? rest.Replace(".conv_shortcut.", ".nin_shortcut.", StringComparison.Ordinal) : rest;

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^time_embedding\.linear_(1|2)\.(weight|bias)$")]
    private static partial Regex DiffusersTimeEmbedding();

    [GeneratedRegex(@"^(down_blocks|up_blocks)\.(\d+)\.(resnets|attentions|downsamplers|upsamplers)\.(\d+)\.(.+)$")]
    private static partial Regex DiffusersBlockPart();

    [GeneratedRegex(@"^mid_block\.(resnets|attentions)\.(\d+)\.(.+)$")]
    private static partial Regex DiffusersMidPart();

    [GeneratedRegex(@"^(encoder|decoder)\.(conv_in|conv_out|conv_norm_out)\.(weight|bias)$")]
    private static partial Regex DiffusersVaeTop();

    [GeneratedRegex(@"^(encoder|decoder)\.(?:down_blocks|up_blocks)\.(\d+)\.(resnets|downsamplers|upsamplers)\.(.+)$")]
    private static partial Regex DiffusersVaeBlock();

    [GeneratedRegex(@"^(encoder|decoder)\.mid_block\.(resnets|attentions)\.(\d+)\.(.+)$")]
    private static partial Regex DiffusersVaeMid();
}
