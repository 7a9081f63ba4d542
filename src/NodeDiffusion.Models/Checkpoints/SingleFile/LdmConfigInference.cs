using System.Globalization;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Weights.Ldm;

namespace NodeDiffusion.Models.Checkpoints.SingleFile;

/// <summary>
/// The diffusers configs of an SD1.x single-file checkpoint, read off its tensor shapes (widths, depths, channel counts).
/// What shapes cannot tell is SD1.x's: 8 attention heads in the UNet, 64-wide heads in CLIP, 32 norm groups, quick_gelu.
/// For SD1.5-sized files the result equals <see cref="Sd15Configs"/>.
/// </summary>
public static class LdmConfigInference
{
    public static UNet2DConditionConfig Unet(IReadOnlyDictionary<string, long[]> shapes)
    {
        const string p = LdmKeyMap.UnetPrefix;
        var convIn = Require(shapes, p + "input_blocks.0.0.weight");
        var inputBlocks = Indices(shapes, p + "input_blocks.");
        var downsamplers = inputBlocks.Where(n => shapes.ContainsKey($"{p}input_blocks.{n}.0.op.weight")).Order().ToList();
        var layers = downsamplers.Count > 0 ? downsamplers[0] - 1 : inputBlocks.Max();
        var per = layers + 1;
        var levels = downsamplers.Count + 1;
        var blocks = new int[levels];
        var down = new string[levels];
        var up = new string[levels];
        for (var i = 0; i < levels; i++)
        {
            var first = 1 + (i * per);
            blocks[i] = (int)Require(shapes, $"{p}input_blocks.{first}.0.out_layers.3.weight")[0];
            down[i] = HasPrefix(shapes, $"{p}input_blocks.{first}.1.") ? "CrossAttnDownBlock2D" : "DownBlock2D";
            up[i] = HasPrefix(shapes, $"{p}output_blocks.{i * per}.1.transformer_blocks.") ? "CrossAttnUpBlock2D" : "UpBlock2D";
        }
        var context = CheckpointArchitecture.ContextDim(shapes);
        var projIn = shapes.FirstOrDefault(s => s.Key.StartsWith(p, StringComparison.Ordinal) && s.Key.EndsWith(".proj_in.weight", StringComparison.Ordinal)).Value;
        var outConv = Require(shapes, p + "out.2.weight");
        return new UNet2DConditionConfig(
            InChannels: (int)convIn[1],
            OutChannels: (int)outConv[0],
            BlockOutChannels: blocks,
            DownBlockTypes: down,
            UpBlockTypes: up,
            LayersPerBlock: layers,
            NumAttentionHeads: Enumerable.Repeat(8, levels).ToArray(),
            CrossAttentionDim: context > 0 ? (int)context : 768,
            NormNumGroups: 32,
            NormEps: 1e-5f,
            FlipSinToCos: true,
            FreqShift: 0f,
            UseLinearProjection: projIn is { Length: 2 },
            DownsamplePadding: 1);
    }

    public static AutoencoderKLConfig Vae(IReadOnlyDictionary<string, long[]> shapes)
    {
        const string p = LdmKeyMap.VaePrefix;
        var levels = Indices(shapes, p + "encoder.down.");
        var blocks = levels.Order().Select(i => (int)Require(shapes, $"{p}encoder.down.{i}.block.0.conv2.weight")[0]).ToArray();
        var layers = Indices(shapes, p + "encoder.down.0.block.").Count;
        return new AutoencoderKLConfig(
            InChannels: (int)Require(shapes, p + "encoder.conv_in.weight")[1],
            OutChannels: (int)Require(shapes, p + "decoder.conv_out.weight")[0],
            LatentChannels: (int)Require(shapes, p + "post_quant_conv.weight")[0],
            BlockOutChannels: blocks,
            LayersPerBlock: layers,
            NormNumGroups: 32,
            ScalingFactor: 0.18215f);
    }

    public static ClipTextConfig TextEncoder(IReadOnlyDictionary<string, long[]> shapes)
    {
        var p = shapes.ContainsKey(LdmKeyMap.TextPrefix + "text_model.embeddings.token_embedding.weight")
            ? LdmKeyMap.TextPrefix + "text_model."
            : LdmKeyMap.TextPrefix;
        var tokens = Require(shapes, p + "embeddings.token_embedding.weight");
        var hidden = (int)tokens[1];
        return new ClipTextConfig(
            VocabSize: (int)tokens[0],
            HiddenSize: hidden,
            IntermediateSize: (int)Require(shapes, p + "encoder.layers.0.mlp.fc1.weight")[0],
            NumHiddenLayers: Indices(shapes, p + "encoder.layers.").Count,
            NumAttentionHeads: Math.Max(1, hidden / 64),
            MaxPositionEmbeddings: (int)Require(shapes, p + "embeddings.position_embedding.weight")[0],
            HiddenAct: "quick_gelu",
            LayerNormEps: 1e-5f,
            EosTokenId: 2);
    }

    private static long[] Require(IReadOnlyDictionary<string, long[]> shapes, string key) =>
        shapes.TryGetValue(key, out var shape) && shape.Length > 0
            ? shape
            : throw new InvalidDataException($"has no tensor '{key}', which every SD1.x checkpoint holds");

    private static bool HasPrefix(IReadOnlyDictionary<string, long[]> shapes, string prefix) =>
        shapes.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The distinct integers N in keys "prefixN.…".</summary>
    private static HashSet<int> Indices(IReadOnlyDictionary<string, long[]> shapes, string prefix)
    {
        var result = new HashSet<int>();
        foreach (var key in shapes.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }
            var rest = key.AsSpan(prefix.Length);
            var dot = rest.IndexOf('.');
            if (dot > 0 && int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                result.Add(n);
            }
        }
        if (result.Count == 0)
        {
            throw new InvalidDataException($"has no '{prefix}N.*' tensors, which every SD1.x checkpoint holds");
        }
        return result;
    }
}
