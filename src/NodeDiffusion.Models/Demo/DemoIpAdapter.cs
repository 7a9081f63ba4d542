using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Demo;

/// <summary>
/// A deterministic base IP-Adapter (original layout: <c>image_proj.proj/norm</c>, <c>ip_adapter.&lt;id&gt;.to_{k,v}_ip</c>) for the
/// demo checkpoint's UNet and <see cref="DemoClipVision"/>'s image embeds, 4 tokens, strong enough to change its images.
/// </summary>
public static class DemoIpAdapter
{
    public const string FileName = "nodediffusion-demo-ipadapter.safetensors";
    public const int Tokens = 4;

    /// <summary>Writes models/ipadapter/<see cref="FileName"/> for the demo checkpoint in <paramref name="checkpointFolder"/> unless present.</summary>
    public static string EnsureExists(string modelsRoot, string checkpointFolder)
    {
        DemoClipVision.EnsureExists(modelsRoot);
        var path = Path.Combine(modelsRoot, "ipadapter", FileName);
        if (File.Exists(path))
        {
            return path;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staging = path + ".partial-" + Environment.ProcessId;
        Write(staging, UNet2DConditionConfig.Load(Path.Combine(checkpointFolder, "unet", "config.json")), DemoClipVision.ProjectionDim);
        File.Move(staging, path, overwrite: true);
        return path;
    }

    public static void Write(string path, UNet2DConditionConfig unet, int clipEmbedDim)
    {
        var c = unet.CrossAttentionDim;
        var random = new SplitMix64(13);
        var tensors = new List<SafetensorsTensor>
        {
            SafetensorsTensor.FromFloat32("image_proj.proj.weight", [Tokens * c, clipEmbedDim], random.Uniform(Tokens * c * clipEmbedDim, MathF.Sqrt(3f / clipEmbedDim))),
            SafetensorsTensor.FromFloat32("image_proj.proj.bias", [Tokens * c], random.Uniform(Tokens * c, 0.02f)),
            SafetensorsTensor.FromFloat32("image_proj.norm.weight", [c], Enumerable.Repeat(1f, c).ToArray()),
            SafetensorsTensor.FromFloat32("image_proj.norm.bias", [c], new float[c]),
        };
        // The attention width of each cross-attention layer, from what the UNet asks for.
        var manifest = new WeightManifest();
        UNet2DConditionGraph.Build(unet, manifest);
        var paths = IpAdapterKeyMap.AttentionProcessorPaths(unet);
        for (var id = 1; id < paths.Count; id += 2)
        {
            var hidden = (int)manifest.Expected.First(w => w.Name == paths[id] + ".to_q.weight").Shape[0];
            foreach (var part in new[] { "to_k_ip", "to_v_ip" })
            {
                tensors.Add(SafetensorsTensor.FromFloat32($"ip_adapter.{id}.{part}.weight", [hidden, c], random.Uniform(hidden * c, 2f * MathF.Sqrt(3f / c))));
            }
        }
        SafetensorsWriter.WriteFile(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["nodediffusion"] = "demo-ipadapter" });
    }
}
