using Google.Protobuf;
using Onnx;

namespace NodeDiffusion.Models.Onnx;

/// <summary>Serialises compiled models; weights go to a side file when the protobuf would pass its 2 GB limit.</summary>
public static class OnnxModelFile
{
    /// <summary>Protobuf messages cannot exceed 2 GiB; stay well below it.</summary>
    public const long InlineLimitBytes = 1_800_000_000;

    public static long InitializerBytes(ModelProto model) => model.Graph.Initializer.Sum(t => (long)t.RawData.Length);

    public static bool NeedsExternalData(ModelProto model) => InitializerBytes(model) > InlineLimitBytes;

    /// <summary>
    /// Writes <paramref name="path"/>; if the weights are too large for one protobuf (or <paramref name="forceExternal"/>),
    /// every initializer of at least 1 KiB is written to <c>&lt;file name&gt;.data</c> beside it with ONNX external-data entries.
    /// </summary>
    /// <param name="dataFileName">The side file's name when not <c>&lt;file name&gt;.data</c> (Optimum writes model.onnx_data).</param>
    public static void Save(ModelProto model, string path, bool forceExternal = false, string? dataFileName = null)
    {
        if (!forceExternal && !NeedsExternalData(model))
        {
            using var stream = File.Create(path);
            model.WriteTo(stream);
            return;
        }

        var dataName = dataFileName ?? Path.GetFileName(path) + ".data";
        var copy = model.Clone();
        using (var data = File.Create(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, dataName)))
        {
            foreach (var tensor in copy.Graph.Initializer)
            {
                if (tensor.RawData.Length < 1024)
                {
                    continue;
                }
                // ORT maps external data; aligning each tensor keeps that cheap.
                var padding = (4096 - data.Position % 4096) % 4096;
                data.Write(new byte[padding]);
                var offset = data.Position;
                tensor.RawData.WriteTo(data);
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataName });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = tensor.RawData.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                tensor.DataLocation = TensorProto.Types.DataLocation.External;
                tensor.RawData = ByteString.Empty;
            }
        }
        using var output = File.Create(path);
        copy.WriteTo(output);
    }
}
