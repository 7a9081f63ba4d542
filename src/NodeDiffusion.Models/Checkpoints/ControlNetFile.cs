using System.Globalization;
using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Architectures.ControlNet;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Ldm;
using Onnx;

namespace NodeDiffusion.Models.Checkpoints;

public enum ControlNetLayout
{
    Diffusers,
    Ldm,
}

/// <summary>
/// A single-file ControlNet (diffusers or ldm names) checked against the UNet it will control. Its config is inferred
/// from tensor shapes and the UNet's config; tensors of the UNet trunk that the file lacks are taken from the UNet.
/// </summary>
public sealed record ControlNetFile(string Path, ControlNetLayout Layout, ControlNetConfig Config, int HintConvs)
{
    private static readonly string[] TrunkPrefixes = ["conv_in.", "time_embedding.", "down_blocks.", "mid_block."];

    /// <summary>Reads the file's header and checks it fits <paramref name="unet"/>; InvalidDataException says what does not.</summary>
    public static ControlNetFile Open(string path, UNet2DConditionConfig unet, string unetWeightsPath)
    {
        var fileName = System.IO.Path.GetFileName(path);
        using var file = SafetensorsWeightSource.Open(path);
        var (layout, hintConvs) = Identify(fileName, file.Names);
        var weights = Renamed(file, layout, unet, hintConvs);
        var config = Infer(fileName, weights, unet, hintConvs);
        CheckTrunk(fileName, weights, unetWeightsPath);
        CheckSiblingConfig(path, unet);
        return new ControlNetFile(System.IO.Path.GetFullPath(path), layout, config, hintConvs);
    }

    /// <summary>Whether the file is a ControlNet and in which layout, from its header alone; InvalidDataException when it is not.</summary>
    public static ControlNetLayout Identify(string path)
    {
        using var file = SafetensorsWeightSource.Open(path);
        return Identify(System.IO.Path.GetFileName(path), file.Names).Layout;
    }

    private static (ControlNetLayout Layout, int HintConvs) Identify(string fileName, IReadOnlyCollection<string> names)
    {
        if (names.Contains("controlnet_cond_embedding.conv_in.weight"))
        {
            return (ControlNetLayout.Diffusers, 2 + names.Count(n => n.StartsWith("controlnet_cond_embedding.blocks.", StringComparison.Ordinal) && n.EndsWith(".weight", StringComparison.Ordinal)));
        }
        if (LdmControlNetKeyMap.IsLdmControlNet(names))
        {
            return (ControlNetLayout.Ldm, LdmControlNetKeyMap.HintConvCount(names));
        }
        var hint = names.Any(n => n.Contains("lora_", StringComparison.Ordinal) || n.Contains(".lora.", StringComparison.Ordinal))
            ? " It holds LoRA tensors; put it in models/loras and load it with Load LoRA."
            : "";
        throw new InvalidDataException($"{fileName} is not a ControlNet: expected controlnet_cond_embedding.* and controlnet_down_blocks.* (diffusers) or input_hint_block.* and zero_convs.* (ldm) tensors.{hint}");
    }

    /// <summary>The ControlNet graph with the file's tensors, and the UNet's for the trunk tensors the file does not have.</summary>
    public ModelProto Compile(string unetWeightsPath)
    {
        using var file = SafetensorsWeightSource.Open(Path);
        using var unet = SafetensorsWeightSource.Open(unetWeightsPath);
        var weights = new OverlayWeightSource(Renamed(file, Layout, Config.Trunk, HintConvs), unet, IsTrunk);
        return ControlNetGraph.Build(Config, weights);
    }

    private static bool IsTrunk(string name) => TrunkPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    private static IWeightSource Renamed(IWeightSource file, ControlNetLayout layout, UNet2DConditionConfig unet, int hintConvs) =>
        layout == ControlNetLayout.Diffusers
            ? file
            : new RenamedWeightSource(file, k => LdmControlNetKeyMap.ToDiffusers(k, unet, hintConvs), description: file.Description);

    private static ControlNetConfig Infer(string fileName, IWeightSource weights, UNet2DConditionConfig unet, int hintConvs)
    {
        if (hintConvs < 2 || hintConvs % 2 != 0)
        {
            throw new InvalidDataException($"{fileName}: the conditioning embedding has {hintConvs} convs; expected conv_in, pairs of blocks and conv_out.");
        }
        long[] Shape(string name) => weights.Contains(name)
            ? weights.GetShape(name)
            : throw new InvalidDataException($"{fileName}: missing tensor {name}.");
        var convIn = Shape("controlnet_cond_embedding.conv_in.weight");
        var channels = new List<int> { (int)convIn[0] };
        for (var i = 1; i < hintConvs - 1; i += 2)
        {
            channels.Add((int)Shape($"controlnet_cond_embedding.blocks.{i}.weight")[0]);
        }
        var convOut = Shape("controlnet_cond_embedding.conv_out.weight");
        var first = unet.BlockOutChannels[0];
        if (convOut[0] != first)
        {
            throw new InvalidDataException($"{fileName}: its conditioning embedding ends in {convOut[0]} channels but the checkpoint's UNet starts with {first}; the ControlNet was made for another model family.");
        }
        var skips = UNetSkipChannels(unet);
        var count = weights.Names.Count(n => n.StartsWith("controlnet_down_blocks.", StringComparison.Ordinal) && n.EndsWith(".weight", StringComparison.Ordinal));
        if (count != skips.Count)
        {
            throw new InvalidDataException($"{fileName}: it has {count} down-block residual convs but the checkpoint's UNet has {skips.Count} skip connections; the ControlNet was made for another model family.");
        }
        for (var i = 0; i < skips.Count; i++)
        {
            var shape = Shape($"controlnet_down_blocks.{i}.weight");
            if (shape.Length != 4 || shape[0] != skips[i] || shape[1] != skips[i])
            {
                throw new InvalidDataException($"{fileName}: residual conv {i} is [{string.Join(", ", shape)}] but the checkpoint's UNet needs [{skips[i]}, {skips[i]}, 1, 1]; the ControlNet was made for another model family.");
            }
        }
        var mid = Shape("controlnet_mid_block.weight");
        if (mid[0] != unet.BlockOutChannels[^1])
        {
            throw new InvalidDataException($"{fileName}: its mid-block residual has {mid[0]} channels but the checkpoint's UNet has {unet.BlockOutChannels[^1]}.");
        }
        return new ControlNetConfig(unet, (int)convIn[1], [.. channels]);
    }

    /// <summary>Trunk tensors the file has must have the UNet's shapes (same cross-attention width, same blocks).</summary>
    private static void CheckTrunk(string fileName, IWeightSource weights, string unetWeightsPath)
    {
        using var unet = SafetensorsWeightSource.Open(unetWeightsPath);
        foreach (var name in weights.Names.Where(IsTrunk).Order(StringComparer.Ordinal))
        {
            if (!unet.Contains(name))
            {
                throw new InvalidDataException($"{fileName}: tensor {name} has no counterpart in the checkpoint's UNet; the ControlNet was made for another model family.");
            }
            var (mine, theirs) = (weights.GetShape(name), unet.GetShape(name));
            if (!mine.SequenceEqual(theirs))
            {
                throw new InvalidDataException($"{fileName}: tensor {name} is [{string.Join(", ", mine)}] but the checkpoint's UNet has [{string.Join(", ", theirs)}]; the ControlNet was made for another model family.");
            }
        }
    }

    private static void CheckSiblingConfig(string path, UNet2DConditionConfig unet)
    {
        var configPath = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, "config.json");
        if (!File.Exists(configPath))
        {
            return;
        }
        var json = ConfigJson.Load(configPath);
        if (!json.Has("_class_name") || json.String("_class_name") != "ControlNetModel")
        {
            return;
        }
        var config = ControlNetConfig.From(json);
        if (config.Trunk.CrossAttentionDim != unet.CrossAttentionDim || !config.Trunk.BlockOutChannels.SequenceEqual(unet.BlockOutChannels))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{System.IO.Path.GetFileName(path)}: its config.json describes a {config.Trunk.CrossAttentionDim}-wide model with blocks [{string.Join(", ", config.Trunk.BlockOutChannels)}] but the checkpoint's UNet is {unet.CrossAttentionDim}-wide with [{string.Join(", ", unet.BlockOutChannels)}]."));
        }
    }

    /// <summary>The channels of the UNet's skip connections in order: conv_in, then each resnet and downsampler.</summary>
    public static IReadOnlyList<int> UNetSkipChannels(UNet2DConditionConfig unet)
    {
        var skips = new List<int> { unet.BlockOutChannels[0] };
        for (var i = 0; i < unet.BlockOutChannels.Length; i++)
        {
            skips.AddRange(Enumerable.Repeat(unet.BlockOutChannels[i], unet.LayersPerBlock));
            if (i < unet.BlockOutChannels.Length - 1)
            {
                skips.Add(unet.BlockOutChannels[i]);
            }
        }
        return skips;
    }
}
