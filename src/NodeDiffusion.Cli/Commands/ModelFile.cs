using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Formats.Torch;

namespace NodeDiffusion.Cli.Commands;

/// <summary>One tensor's name, element type and shape as a model file declares them.</summary>
internal sealed record TensorEntry(string Name, SafetensorsDType DType, long[] Shape);

/// <summary>The tensor table and metadata of a model file or diffusers folder, read without loading tensor data.</summary>
internal sealed record ModelFile(string Path, string Format, IReadOnlyList<TensorEntry> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    public const string DiffusersFolder = "diffusers folder";

    public static ModelFile Read(string path)
    {
        if (Directory.Exists(path))
        {
            return ReadFolder(path);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"File not found: {System.IO.Path.GetFullPath(path)}", path);
        }
        var head = Head(path);
        if (head is [(byte)'P', (byte)'K', ..])
        {
            return ReadTorch(path);
        }
        // 0x80 is the pickle PROTO opcode: a pre-1.6 torch.save file, which cannot be read without running pickle code.
        if (head is [0x80, ..])
        {
            throw new InvalidDataException($"{path} is a legacy (non-zip) torch pickle; re-save it with torch ≥ 1.6 or convert it to safetensors.");
        }
        return ReadSafetensors(path);
    }

    // Sniff the content, not the extension: .ckpt/.pt/.bin are zip pickles, and safetensors are sometimes renamed.
    private static byte[] Head(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[2];
        return head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
    }

    private static ModelFile ReadSafetensors(string path)
    {
        using var file = SafetensorsFile.Open(path);
        return new ModelFile(path, "safetensors", [.. file.Tensors.Select(t => new TensorEntry(t.Name, t.DType, t.Shape))], file.Metadata);
    }

    private static ModelFile ReadTorch(string path)
    {
        using var checkpoint = TorchCheckpoint.Open(path);
        return new ModelFile(path, "torch zip (pickle, read without executing code)",
            [.. checkpoint.Tensors.Select(t => new TensorEntry(t.Name, t.DType, t.Shape))], new Dictionary<string, string>());
    }

    private static ModelFile ReadFolder(string path)
    {
        var index = System.IO.Path.Combine(path, "model_index.json");
        if (!File.Exists(index))
        {
            throw new InvalidDataException($"{path} is a folder without model_index.json, so not a diffusers checkpoint.");
        }
        var tensors = new List<TensorEntry>();
        foreach (var weights in Directory.EnumerateFiles(path, "*.safetensors", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var component = System.IO.Path.GetRelativePath(path, System.IO.Path.GetDirectoryName(weights)!);
            using var file = SafetensorsFile.Open(weights);
            tensors.AddRange(file.Tensors.Select(t => new TensorEntry(component + "/" + t.Name, t.DType, t.Shape)));
        }
        return new ModelFile(path, DiffusersFolder, tensors, new Dictionary<string, string> { ["model_index.json"] = File.ReadAllText(index) });
    }
}
