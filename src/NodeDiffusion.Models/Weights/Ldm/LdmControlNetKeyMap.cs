using System.Globalization;
using NodeDiffusion.Models.Architectures.Unet;

namespace NodeDiffusion.Models.Weights.Ldm;

/// <summary>
/// Parameter names of original (lllyasviel "cldm") ControlNet files → diffusers ControlNetModel names. The trunk
/// (<c>input_blocks</c>, <c>middle_block</c>, <c>time_embed</c>) is named as in an ldm UNet; the hint block is a
/// Sequential of convs and SiLUs (even indices are convs, the last one is the zero conv); <c>zero_convs.i.0</c> and
/// <c>middle_block_out.0</c> are the residual projections. Keys may or may not carry the <c>control_model.</c> prefix.
/// </summary>
public static class LdmControlNetKeyMap
{
    public const string Prefix = "control_model.";

    /// <summary>Whether the names look like an ldm ControlNet (its hint block and zero convs).</summary>
    public static bool IsLdmControlNet(IEnumerable<string> names) =>
        names.Any(n => Strip(n).StartsWith("input_hint_block.", StringComparison.Ordinal)) &&
        names.Any(n => Strip(n).StartsWith("zero_convs.", StringComparison.Ordinal));

    /// <param name="hintConvs">How many convs the hint block has (its last one is the embedding's conv_out).</param>
    public static string? ToDiffusers(string key, UNet2DConditionConfig trunk, int hintConvs)
    {
        var k = Strip(key);
        if (k.StartsWith("input_hint_block.", StringComparison.Ordinal))
        {
            var parts = k.Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index % 2 != 0)
            {
                return null;
            }
            var conv = index / 2;
            var name = conv == 0 ? "conv_in" : conv == hintConvs - 1 ? "conv_out" : $"blocks.{conv - 1}";
            return $"controlnet_cond_embedding.{name}.{parts[2]}";
        }
        if (k.StartsWith("zero_convs.", StringComparison.Ordinal))
        {
            var parts = k.Split('.');
            return parts.Length == 4 && parts[2] == "0" ? $"controlnet_down_blocks.{parts[1]}.{parts[3]}" : null;
        }
        if (k.StartsWith("middle_block_out.0.", StringComparison.Ordinal))
        {
            return "controlnet_mid_block." + k["middle_block_out.0.".Length..];
        }
        return LdmKeyMap.Unet(LdmKeyMap.UnetPrefix + k, trunk);
    }

    /// <summary>The number of convs in the hint block (tensors <c>input_hint_block.{2i}.weight</c>).</summary>
    public static int HintConvCount(IEnumerable<string> names) =>
        names.Select(Strip).Count(n => n.StartsWith("input_hint_block.", StringComparison.Ordinal) && n.EndsWith(".weight", StringComparison.Ordinal));

    private static string Strip(string key) => key.StartsWith(Prefix, StringComparison.Ordinal) ? key[Prefix.Length..] : key;
}
