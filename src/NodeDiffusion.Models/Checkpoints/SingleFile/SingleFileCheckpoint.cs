using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Formats.Torch;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Ldm;

namespace NodeDiffusion.Models.Checkpoints.SingleFile;

/// <summary>
/// An original-layout (ldm / A1111) single-file checkpoint: <c>.safetensors</c>, or a torch zip <c>.ckpt</c> read by the
/// restricted pickle reader. Opening reads only the header; tensors are read (and fp16/bf16 converted) when a component
/// is compiled.
/// </summary>
public sealed class SingleFileCheckpoint : IDisposable
{
    /// <summary>Metadata keys under which <see cref="SingleFileCheckpointWriter"/> stores the diffusers configs.</summary>
    public const string TextEncoderConfigKey = "nodediffusion.config.text_encoder";
    public const string UnetConfigKey = "nodediffusion.config.unet";
    public const string VaeConfigKey = "nodediffusion.config.vae";

    private const string StateDictPrefix = "state_dict.";

    private readonly IDisposable _file;

    private SingleFileCheckpoint(string path, IWeightSource weights, IDisposable file, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        Weights = weights;
        _file = file;
        Metadata = metadata;
        Shapes = weights.Names.ToDictionary(n => n, weights.GetShape, StringComparer.Ordinal);
        Architecture = CheckpointArchitecture.Detect(Shapes);
    }

    public string Path { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>All tensors under their ldm names (a .ckpt's "state_dict." level removed).</summary>
    public IWeightSource Weights { get; }

    public IReadOnlyDictionary<string, long[]> Shapes { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public CheckpointArchitecture Architecture { get; }

    public static bool IsSupportedExtension(string path) =>
        System.IO.Path.GetExtension(path).ToLowerInvariant() is ".safetensors" or ".sft" or ".ckpt" or ".pt" or ".pth";

    public static SingleFileCheckpoint Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var name = System.IO.Path.GetFileName(full);
        if (System.IO.Path.GetExtension(full).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"\"{name}\" is a lone ONNX model; a pre-exported pipeline is a folder with text_encoder/, unet/, vae_decoder/ and tokenizer/ (each model as model.onnx).");
        }
        try
        {
            if (System.IO.Path.GetExtension(full).ToLowerInvariant() is ".safetensors" or ".sft")
            {
                var file = SafetensorsFile.Open(full);
                var source = new SafetensorsWeightSource([file], ownsFiles: true);
                return new SingleFileCheckpoint(full, source, source, file.Metadata);
            }
            var torch = TorchCheckpointWeightSource.Open(full);
            var nested = torch.Names.Any(n => n.StartsWith(StateDictPrefix, StringComparison.Ordinal));
            IWeightSource weights = nested
                ? new RenamedWeightSource(torch, n => n.StartsWith(StateDictPrefix, StringComparison.Ordinal) ? n[StateDictPrefix.Length..] : null)
                : torch;
            return new SingleFileCheckpoint(full, weights, torch, new Dictionary<string, string>());
        }
        catch (Exception e) when (e is SafetensorsFormatException or TorchFormatException or NotSupportedException)
        {
            throw new InvalidDataException($"\"{name}\" cannot be read as a checkpoint: {e.Message}", e);
        }
    }

    /// <summary>Throws when this is not an SD1.x checkpoint, naming the file and what it looks like.</summary>
    public void RequireSd1()
    {
        if (!Architecture.IsSd1)
        {
            throw new InvalidDataException($"\"{FileName}\" looks like {Architecture.Name}; NodeDiffusion runs SD1.x-family models (SD1.4, SD1.5 and their fine-tunes).");
        }
    }

    /// <summary>The configs stored by NodeDiffusion in the metadata, else read off the tensor shapes.</summary>
    public (ClipTextConfig TextEncoder, UNet2DConditionConfig Unet, AutoencoderKLConfig Vae) Configs()
    {
        RequireSd1();
        try
        {
            return (
                Metadata.TryGetValue(TextEncoderConfigKey, out var text) ? ClipTextConfig.From(ConfigJson.Parse(text, $"{FileName} [{TextEncoderConfigKey}]")) : LdmConfigInference.TextEncoder(Shapes),
                Metadata.TryGetValue(UnetConfigKey, out var unet) ? UNet2DConditionConfig.From(ConfigJson.Parse(unet, $"{FileName} [{UnetConfigKey}]")) : LdmConfigInference.Unet(Shapes),
                Metadata.TryGetValue(VaeConfigKey, out var vae) ? AutoencoderKLConfig.From(ConfigJson.Parse(vae, $"{FileName} [{VaeConfigKey}]")) : LdmConfigInference.Vae(Shapes));
        }
        catch (InvalidDataException e) when (!e.Message.Contains(FileName, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"\"{FileName}\" {e.Message}", e);
        }
    }

    public IWeightSource Unet(UNet2DConditionConfig config) => StableDiffusionCheckpoint.Unet(Weights, config);

    public IWeightSource Vae(AutoencoderKLConfig config) => StableDiffusionCheckpoint.Vae(Weights, config);

    public IWeightSource TextEncoder() => StableDiffusionCheckpoint.TextEncoder(Weights);

    public void Dispose() => _file.Dispose();
}
