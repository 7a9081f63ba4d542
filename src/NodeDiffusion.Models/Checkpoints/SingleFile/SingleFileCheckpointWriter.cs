using System.Runtime.InteropServices;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Ldm;

namespace NodeDiffusion.Models.Checkpoints.SingleFile;

/// <summary>
/// Writes a diffusers-folder checkpoint as one original-layout (ldm) .safetensors file, the layout A1111 and ComfyUI
/// users exchange. The diffusers configs go into the metadata, so sizes that shapes cannot tell (heads) load back exactly.
/// </summary>
public static class SingleFileCheckpointWriter
{
    /// <param name="dtype">F32, F16 or BF16.</param>
    /// <param name="extraMetadata">More <c>__metadata__</c> entries, e.g. a trainer's ss_* keys.</param>
    public static void Write(DiffusersCheckpoint checkpoint, string path, SafetensorsDType dtype = SafetensorsDType.F32, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        if (dtype is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16))
        {
            throw new ArgumentException($"dtype {dtype} is not a float format for weights", nameof(dtype));
        }
        var tensors = new List<SafetensorsTensor>();
        using (var unet = SafetensorsWeightSource.Open(checkpoint.UnetWeights))
        {
            tensors.AddRange(unet.Names.Select(n => Tensor(unet.Read(n), LdmKeyMap.UnetToLdm(n, checkpoint.Unet), null, dtype)));
        }
        using (var vae = SafetensorsWeightSource.Open(checkpoint.VaeWeights))
        {
            tensors.AddRange(vae.Names.Select(n => Tensor(vae.Read(n), LdmKeyMap.VaeToLdm(n, checkpoint.Vae), LdmKeyMap.IsVaeAttentionProjection(n) ? [1, 1] : null, dtype)));
        }
        using (var text = SafetensorsWeightSource.Open(checkpoint.TextEncoderWeights))
        {
            tensors.AddRange(text.Names.Select(n => Tensor(text.Read(n), LdmKeyMap.TextEncoderToLdm(n), null, dtype)));
        }
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [SingleFileCheckpoint.TextEncoderConfigKey] = File.ReadAllText(Path.Combine(checkpoint.Folder, "text_encoder", "config.json")),
            [SingleFileCheckpoint.UnetConfigKey] = File.ReadAllText(Path.Combine(checkpoint.Folder, "unet", "config.json")),
            [SingleFileCheckpoint.VaeConfigKey] = File.ReadAllText(Path.Combine(checkpoint.Folder, "vae", "config.json")),
        };
        foreach (var (key, value) in extraMetadata ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }
        SafetensorsWriter.WriteFile(path, tensors, metadata);
    }

    private static SafetensorsTensor Tensor(WeightTensor weight, string name, long[]? extraDims, SafetensorsDType dtype)
    {
        long[] shape = extraDims is null ? weight.Shape : [.. weight.Shape, .. extraDims];
        if (dtype == SafetensorsDType.F32)
        {
            return new SafetensorsTensor(name, dtype, shape, weight.Float32Bytes);
        }
        var values = weight.Values;
        var bytes = new byte[values.Length * 2];
        var halves = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = dtype == SafetensorsDType.F16
                ? BitConverter.HalfToUInt16Bits((Half)values[i])
                : BFloat16Bits(values[i]);
        }
        return new SafetensorsTensor(name, dtype, shape, bytes);
    }

    /// <summary>Round to nearest even, as torch's float → bfloat16.</summary>
    private static ushort BFloat16Bits(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }
}
