using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>
/// A checkpoint in diffusers folder layout: configs and safetensors weights per component, and its tokenizer.
/// Opening it reads only the configs; weights are read when a component is compiled.
/// </summary>
public sealed record DiffusersCheckpoint(
    string Folder,
    ClipTextConfig TextEncoder,
    UNet2DConditionConfig Unet,
    AutoencoderKLConfig Vae)
{
    public string TokenizerFolder => Path.Combine(Folder, "tokenizer");

    public string TextEncoderWeights => WeightsOf("text_encoder", "model");

    public string UnetWeights => WeightsOf("unet", "diffusion_pytorch_model");

    public string VaeWeights => WeightsOf("vae", "diffusion_pytorch_model");

    /// <summary>Opens a diffusers folder, or explains what is missing.</summary>
    public static DiffusersCheckpoint Open(string folder)
    {
        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        if (!Directory.Exists(folder))
        {
            throw new InvalidDataException($"The checkpoint \"{name}\" does not exist.");
        }
        foreach (var required in new[] { "model_index.json", "text_encoder/config.json", "unet/config.json", "vae/config.json", "tokenizer/vocab.json", "tokenizer/merges.txt" })
        {
            if (!File.Exists(Path.Combine(folder, required)))
            {
                throw new InvalidDataException($"The checkpoint folder \"{name}\" has no {required}; a diffusers-layout checkpoint needs text_encoder/, unet/, vae/ and tokenizer/.");
            }
        }
        var unetConfig = Path.Combine(folder, "unet", "config.json");
        var unet = UNet2DConditionConfig.Load(unetConfig);
        if (unet.CrossAttentionDim != 768 && unet.CrossAttentionDim > 1024)
        {
            throw new InvalidDataException($"The checkpoint \"{name}\" has cross-attention dimension {unet.CrossAttentionDim}; only SD1.x-architecture models are supported.");
        }
        return new DiffusersCheckpoint(
            Path.GetFullPath(folder),
            ClipTextConfig.Load(Path.Combine(folder, "text_encoder", "config.json")),
            unet,
            AutoencoderKLConfig.Load(Path.Combine(folder, "vae", "config.json")));
    }

    /// <summary>A fingerprint of the weight files (sizes and times), so a replaced checkpoint is not served from caches.</summary>
    public string Fingerprint() => string.Join(";", new[] { TextEncoderWeights, UnetWeights, VaeWeights }
        .Select(path => new FileInfo(path))
        .Select(info => $"{info.Name}:{info.Length}:{info.LastWriteTimeUtc.Ticks}"));

    private string WeightsOf(string component, string stem)
    {
        var path = Path.Combine(Folder, component, stem + ".safetensors");
        return File.Exists(path)
            ? path
            : throw new InvalidDataException($"The checkpoint \"{Path.GetFileName(Folder)}\" has no {component}/{stem}.safetensors.");
    }
}
