using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Lora;

namespace NodeDiffusion.Models.Demo;

/// <summary>
/// A deterministic kohya-format LoRA for the demo checkpoint: rank <see cref="Rank"/> updates of every attention
/// projection of its UNet and text encoder, strong enough to visibly change the demo's images at strength 1.
/// </summary>
public static class DemoLora
{
    public const string FileName = "nodediffusion-demo-lora.safetensors";
    public const int Rank = 4;
    public const float Alpha = 2f;

    private static readonly string[] UnetProjections = ["to_q", "to_k", "to_v", "to_out.0"];
    private static readonly string[] TextProjections = ["q_proj", "k_proj", "v_proj", "out_proj"];

    /// <summary>Writes models/loras/<see cref="FileName"/> for the demo checkpoint in <paramref name="checkpointFolder"/> unless present.</summary>
    public static string EnsureExists(string modelsRoot, string checkpointFolder)
    {
        var path = Path.Combine(modelsRoot, "loras", FileName);
        if (File.Exists(path))
        {
            return path;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var staging = path + ".partial-" + Environment.ProcessId;
        Write(staging, Path.Combine(checkpointFolder, "unet", "diffusion_pytorch_model.safetensors"), Path.Combine(checkpointFolder, "text_encoder", "model.safetensors"));
        File.Move(staging, path, overwrite: true);
        return path;
    }

    public static void Write(string path, string unetWeights, string textEncoderWeights)
    {
        var tensors = new List<SafetensorsTensor>();
        var random = new SplitMix64(7);
        Add(tensors, random, unetWeights, KohyaLora.UnetPrefix, n => n.Contains(".attn", StringComparison.Ordinal) && UnetProjections.Any(p => n.EndsWith("." + p + ".weight", StringComparison.Ordinal)));
        Add(tensors, random, textEncoderWeights, KohyaLora.TextEncoderPrefix, n => n.Contains(".self_attn.", StringComparison.Ordinal) && TextProjections.Any(p => n.EndsWith("." + p + ".weight", StringComparison.Ordinal)));
        SafetensorsWriter.WriteFile(path, tensors, new Dictionary<string, string> { ["format"] = "pt", ["nodediffusion"] = "demo-lora" });
    }

    private static void Add(List<SafetensorsTensor> tensors, SplitMix64 random, string weightsFile, string prefix, Func<string, bool> patched)
    {
        using var weights = SafetensorsWeightSource.Open(weightsFile);
        foreach (var name in weights.Names.Where(patched).Order(StringComparer.Ordinal))
        {
            var shape = weights.GetShape(name);
            var module = prefix + "_" + name[..^".weight".Length].Replace('.', '_');
            var (outFeatures, inFeatures) = ((int)shape[0], (int)shape[1]);
            tensors.Add(SafetensorsTensor.FromFloat32(module + ".lora_down.weight", [Rank, inFeatures], random.Uniform(Rank * inFeatures, MathF.Sqrt(3f / inFeatures))));
            tensors.Add(SafetensorsTensor.FromFloat32(module + ".lora_up.weight", [outFeatures, Rank], random.Uniform(outFeatures * Rank, 0.5f)));
            tensors.Add(SafetensorsTensor.FromFloat32(module + ".alpha", [], [Alpha]));
        }
    }
}
