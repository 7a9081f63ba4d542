using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Checkpoints.Onnx;
using NodeDiffusion.Models.Checkpoints.SingleFile;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>
/// A checkpoint in diffusers folder layout: configs and safetensors weights per component, and its tokenizer.
/// Opening it reads only the configs; weights are read when a component is compiled.
/// The same record describes a single-file (ldm) checkpoint (<see cref="Folder"/> is then the file) and a pre-exported
/// ONNX folder (<see cref="Onnx"/>); see <see cref="Format"/>. Read weights through <see cref="OpenUnetWeights"/> and
/// its siblings, which give diffusers names for every format.
/// </summary>
public sealed record DiffusersCheckpoint(
    string Folder,
    ClipTextConfig TextEncoder,
    UNet2DConditionConfig Unet,
    AutoencoderKLConfig Vae)
{
    public CheckpointFormat Format { get; init; } = CheckpointFormat.Diffusers;

    /// <summary>The pre-exported ONNX components when <see cref="Format"/> is <see cref="CheckpointFormat.Onnx"/>.</summary>
    public OnnxExportFolder? Onnx { get; init; }

    /// <summary>Where the tokenizer is when it is not the checkpoint's own tokenizer/ (single files carry none).</summary>
    public string? TokenizerLocation { get; init; }

    /// <summary>The folder or file name, for messages.</summary>
    public string DisplayName => Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar));

    public bool HasWeights => Format != CheckpointFormat.Onnx;

    public string TokenizerFolder => TokenizerLocation ?? Path.Combine(Folder, "tokenizer");

    /// <summary>The file holding the text encoder's weights (for a single file: the checkpoint, in ldm names).</summary>
    public string TextEncoderWeights => WeightsOf("text_encoder", "model");

    /// <summary>The file holding the UNet's weights (for a single file: the checkpoint, in ldm names).</summary>
    public string UnetWeights => WeightsOf("unet", "diffusion_pytorch_model");

    /// <summary>The file holding the VAE's weights (for a single file: the checkpoint, in ldm names).</summary>
    public string VaeWeights => WeightsOf("vae", "diffusion_pytorch_model");

    /// <summary>The text encoder's weights under transformers names, whatever the format.</summary>
    public ComponentWeights OpenTextEncoderWeights() => OpenComponent("text_encoder", "model", file => file.TextEncoder());

    /// <summary>The UNet's weights under diffusers names, whatever the format.</summary>
    public ComponentWeights OpenUnetWeights() => OpenComponent("unet", "diffusion_pytorch_model", file => file.Unet(Unet));

    /// <summary>The VAE's weights under diffusers names, whatever the format.</summary>
    public ComponentWeights OpenVaeWeights() => OpenComponent("vae", "diffusion_pytorch_model", file => file.Vae(Vae));

    /// <summary>The error for a feature that patches weights (LoRA, ControlNet, IP-Adapter ...) on a pre-exported ONNX model.</summary>
    public InvalidDataException NeedsWeights(string feature) =>
        new($"\"{DisplayName}\" is a pre-exported ONNX model; {feature} needs a safetensors checkpoint (a diffusers folder or a single .safetensors file).");

    /// <summary>Opens a diffusers folder, a pre-exported ONNX folder or a single-file checkpoint.</summary>
    public static DiffusersCheckpoint OpenAny(string path, string? tokenizerLocation = null)
    {
        if (File.Exists(path))
        {
            return OpenSingleFile(path, tokenizerLocation);
        }
        return Directory.Exists(path) && OnnxExportFolder.IsOnnxFolder(path) ? OnnxExportFolder.Open(path) : Open(path);
    }

    /// <summary>
    /// Opens an original-layout (ldm/A1111) single-file checkpoint: checks it is SD1.x, reads its configs from the tensor
    /// shapes. It has no tokenizer; <paramref name="tokenizerLocation"/> says where the CLIP tokenizer files are.
    /// </summary>
    public static DiffusersCheckpoint OpenSingleFile(string path, string? tokenizerLocation = null)
    {
        using var file = SingleFileCheckpoint.Open(path);
        var (text, unet, vae) = file.Configs();
        return new DiffusersCheckpoint(file.Path, text, unet, vae) { Format = CheckpointFormat.SingleFile, TokenizerLocation = tokenizerLocation };
    }

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
    public string Fingerprint() => Format switch
    {
        CheckpointFormat.Onnx => Onnx!.Fingerprint(),
        CheckpointFormat.SingleFile => FileFingerprint(Folder),
        _ => string.Join(";", new[] { TextEncoderWeights, UnetWeights, VaeWeights }.Select(FileFingerprint)),
    };

    private static string FileFingerprint(string path)
    {
        var info = new FileInfo(path);
        return $"{info.Name}:{info.Length}:{info.LastWriteTimeUtc.Ticks}";
    }

    private ComponentWeights OpenComponent(string component, string stem, Func<SingleFileCheckpoint, IWeightSource> view)
    {
        if (Format == CheckpointFormat.SingleFile)
        {
            var file = SingleFileCheckpoint.Open(Folder);
            return new ComponentWeights(view(file), file);
        }
        var weights = SafetensorsWeightSource.Open(WeightsOf(component, stem));
        return new ComponentWeights(weights, weights);
    }

    private string WeightsOf(string component, string stem)
    {
        if (Format == CheckpointFormat.SingleFile)
        {
            return Folder;
        }
        if (Format == CheckpointFormat.Onnx)
        {
            throw NeedsWeights($"reading {component} weights");
        }
        var path = Path.Combine(Folder, component, stem + ".safetensors");
        return File.Exists(path)
            ? path
            : throw new InvalidDataException($"The checkpoint \"{Path.GetFileName(Folder)}\" has no {component}/{stem}.safetensors.");
    }
}
