using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Formats.Torch;

namespace NodeDiffusion.Formats.Embeddings;

/// <summary>
/// A textual-inversion embedding: <see cref="Vectors"/> rows of <see cref="Dimension"/> floats, each taking one prompt token.
/// Reads A1111 <c>.pt</c> (<c>string_to_param.*</c>), A1111-style <c>.safetensors</c> (<c>emb_params</c>) and diffusers
/// <c>learned_embeds.bin</c>/<c>.safetensors</c> (<c>{"&lt;token&gt;": [D]}</c>), all without executing pickle code.
/// </summary>
public sealed record TextualInversionEmbedding(string? Token, int Vectors, int Dimension, float[] Data)
{
    public static TextualInversionEmbedding Load(string path)
    {
        var isSafetensors = string.Equals(Path.GetExtension(path), ".safetensors", StringComparison.OrdinalIgnoreCase);
        if (isSafetensors)
        {
            using var file = SafetensorsFile.Open(path);
            var info = Pick(path, file.Tensors.Select(t => (t.Name, t.Shape)).ToList());
            return Create(path, info.Name, info.Shape, file.ReadFloat32(info.Name));
        }
        using var checkpoint = TorchCheckpoint.Open(path);
        var chosen = Pick(path, checkpoint.Tensors.Select(t => (t.Name, t.Shape)).ToList());
        return Create(path, chosen.Name, chosen.Shape, checkpoint.ReadFloat32(chosen.Name));
    }

    private static (string Name, long[] Shape) Pick(string path, List<(string Name, long[] Shape)> tensors)
    {
        var a1111 = tensors.Where(t => t.Name.StartsWith("string_to_param.", StringComparison.Ordinal) || t.Name == "emb_params").ToList();
        var candidates = a1111.Count > 0 ? a1111 : tensors;
        return candidates.Count == 1
            ? candidates[0]
            : throw new InvalidDataException($"{path}: expected one embedding tensor, found [{string.Join(", ", tensors.Select(t => t.Name))}]");
    }

    private static TextualInversionEmbedding Create(string path, string name, long[] shape, float[] data)
    {
        var (vectors, dimension) = shape.Length switch
        {
            1 => (1, (int)shape[0]),
            2 => ((int)shape[0], (int)shape[1]),
            _ => throw new InvalidDataException($"{path}: embedding '{name}' has shape [{string.Join(", ", shape)}], expected [D] or [n, D]"),
        };
        var token = name.StartsWith("string_to_param.", StringComparison.Ordinal) || name == "emb_params" ? null : name;
        return new TextualInversionEmbedding(token, vectors, dimension, data);
    }
}
