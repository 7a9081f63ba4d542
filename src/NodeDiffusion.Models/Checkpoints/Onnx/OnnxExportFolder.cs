using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Checkpoints.SingleFile;

namespace NodeDiffusion.Models.Checkpoints.Onnx;

/// <summary>
/// A pre-exported ONNX pipeline folder (diffusers script / Optimum / Olive layout): <c>text_encoder/model.onnx</c>,
/// <c>unet/model.onnx</c>, <c>vae_decoder/model.onnx</c>, optional <c>vae_encoder/model.onnx</c>, <c>tokenizer/</c>.
/// External weight files beside a model (weights.pb, model.onnx_data, model.onnx.data) are found by ONNX Runtime.
/// Component configs are read when the exporter saved them (Optimum does) and are SD1.5's otherwise.
/// </summary>
public sealed record OnnxExportFolder(string Folder)
{
    public const string ModelFileName = "model.onnx";

    public string TextEncoder => Path.Combine(Folder, "text_encoder", ModelFileName);

    public string Unet => Path.Combine(Folder, "unet", ModelFileName);

    public string VaeDecoder => Path.Combine(Folder, "vae_decoder", ModelFileName);

    public string VaeEncoder => Path.Combine(Folder, "vae_encoder", ModelFileName);

    public static bool IsOnnxFolder(string folder) => File.Exists(Path.Combine(folder, "unet", ModelFileName));

    /// <summary>Opens the folder as a checkpoint, or explains what is missing or why it is not an SD1.x pipeline.</summary>
    public static DiffusersCheckpoint Open(string folder)
    {
        var full = Path.GetFullPath(folder);
        var name = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar));
        var export = new OnnxExportFolder(full);
        if (Directory.Exists(Path.Combine(full, "text_encoder_2")) || Directory.Exists(Path.Combine(full, "text_encoder_3")))
        {
            throw new InvalidDataException($"\"{name}\" looks like an SDXL/SD3 ONNX export (it has text_encoder_2/); NodeDiffusion runs SD1.x-family models.");
        }
        foreach (var required in new[] { "text_encoder/model.onnx", "unet/model.onnx", "vae_decoder/model.onnx", "tokenizer/vocab.json", "tokenizer/merges.txt" })
        {
            if (!File.Exists(Path.Combine(full, required)))
            {
                throw new InvalidDataException($"The ONNX checkpoint folder \"{name}\" has no {required}; an exported SD1.x pipeline needs text_encoder/, unet/, vae_decoder/ (vae_encoder/ for image to image) and tokenizer/.");
            }
        }
        var text = Config(full, "text_encoder", ClipTextConfig.Load, Sd15Configs.TextEncoder);
        var unet = Config(full, "unet", UNet2DConditionConfig.Load, Sd15Configs.Unet);
        var vae = Config(full, "vae_decoder", AutoencoderKLConfig.Load, Sd15Configs.Vae);
        var architecture = unet.CrossAttentionDim switch
        {
            1024 => "an SD2.x",
            2048 => "an SDXL",
            _ when unet.InChannels == 9 => "an SD1.x inpainting",
            _ when unet.InChannels != 4 => $"a {unet.InChannels}-channel",
            _ => null,
        };
        if (architecture is not null)
        {
            throw new InvalidDataException($"\"{name}\" looks like {architecture} ONNX export; NodeDiffusion runs SD1.x-family models.");
        }
        return new DiffusersCheckpoint(full, text, unet, vae) { Format = CheckpointFormat.Onnx, Onnx = export };
    }

    /// <summary>Bytes of a component's model file and its external weight files, for the session memory budget.</summary>
    public static long ComponentBytes(string modelPath) =>
        Directory.EnumerateFiles(Path.GetDirectoryName(modelPath)!)
            .Where(f => !f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Sum(f => new FileInfo(f).Length);

    /// <summary>A fingerprint of every file the components consist of (names, sizes, times).</summary>
    public string Fingerprint() => string.Join(";", new[] { "text_encoder", "unet", "vae_decoder", "vae_encoder" }
        .Select(c => Path.Combine(Folder, c))
        .Where(Directory.Exists)
        .SelectMany(d => Directory.EnumerateFiles(d).Order(StringComparer.Ordinal))
        .Select(f => new FileInfo(f))
        .Select(i => $"{Path.GetFileName(i.DirectoryName)}/{i.Name}:{i.Length}:{i.LastWriteTimeUtc.Ticks}"));

    private static T Config<T>(string folder, string component, Func<string, T> load, T standard)
    {
        var path = Path.Combine(folder, component, "config.json");
        return File.Exists(path) ? load(path) : standard;
    }
}
