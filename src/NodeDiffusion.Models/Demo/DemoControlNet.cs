using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Architectures.ControlNet;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Demo;

/// <summary>
/// A deterministic ControlNet for the demo checkpoint, made as diffusers' <c>ControlNetModel.from_unet</c> makes one:
/// the trunk (conv_in, time embedding, down and mid blocks) copied from the demo UNet, a fresh conditioning embedding,
/// and the zero convs re-randomised (small) so that the hint visibly steers the image. Diffusers layout, full state dict.
/// </summary>
public static class DemoControlNet
{
    public const string FileName = "nodediffusion-demo-controlnet.safetensors";

    private static readonly int[] EmbeddingChannels = [16, 32, 64, 128];

    /// <summary>Writes models/controlnet/<see cref="FileName"/> for the demo checkpoint in <paramref name="checkpointFolder"/> unless present.</summary>
    public static string EnsureExists(string modelsRoot, string checkpointFolder)
    {
        var path = Path.Combine(modelsRoot, "controlnet", FileName);
        if (File.Exists(path))
        {
            return path;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staging = path + ".partial-" + Environment.ProcessId;
        Write(staging, Path.Combine(checkpointFolder, "unet"));
        File.Move(staging, path, overwrite: true);
        return path;
    }

    public static void Write(string path, string unetFolder)
    {
        var config = new ControlNetConfig(UNet2DConditionConfig.Load(Path.Combine(unetFolder, "config.json")), 3, EmbeddingChannels);
        var manifest = new WeightManifest();
        ControlNetGraph.Build(config, manifest);
        using var unet = SafetensorsWeightSource.Open(Path.Combine(unetFolder, "diffusion_pytorch_model.safetensors"));
        var own = manifest.Expected.Where(w => !unet.Contains(w.Name)).ToList();
        var tensors = DemoWeights.For(own, seed: 11).Select(t => IsZeroConv(t.Name) ? ReRandomised(t) : t).ToList();
        foreach (var name in manifest.Expected.Select(w => w.Name).Where(unet.Contains).Distinct().Order(StringComparer.Ordinal))
        {
            var weight = unet.Read(name);
            tensors.Add(SafetensorsTensor.FromFloat32(name, weight.Shape, weight.Values.ToArray()));
        }
        SafetensorsWriter.WriteFile(path, tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList(),
            new Dictionary<string, string> { ["format"] = "pt", ["nodediffusion"] = "demo-controlnet" });
    }

    private static bool IsZeroConv(string name) =>
        name.StartsWith("controlnet_down_blocks.", StringComparison.Ordinal) ||
        name.StartsWith("controlnet_mid_block.", StringComparison.Ordinal) ||
        name.StartsWith("controlnet_cond_embedding.conv_out.", StringComparison.Ordinal);

    /// <summary>from_unet zero-initialises these; half the usual scale keeps the control visible but not overwhelming.</summary>
    private static SafetensorsTensor ReRandomised(SafetensorsTensor tensor)
    {
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tensor.Data.Span).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= 0.5f;
        }
        return SafetensorsTensor.FromFloat32(tensor.Name, tensor.Shape, values);
    }
}
