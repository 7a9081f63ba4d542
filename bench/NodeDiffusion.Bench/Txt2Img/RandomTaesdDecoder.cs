using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Architectures.Taesd;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.Previews;

namespace NodeDiffusion.Bench.Txt2Img;

/// <summary>
/// SD1.x's TAESD decoder (4 latent channels) with small random weights, written where the previewer looks for it, for
/// timing when no real decoder is installed: the run time of its convolutions does not depend on the weight values.
/// </summary>
internal static class RandomTaesdDecoder
{
    public static string Write(string modelsRoot)
    {
        var manifest = new WeightManifest();
        TaesdGraph.BuildDecoder(new TaesdConfig(4, MidBlockGroupNorm: false), manifest);
        var random = new Random(7);
        var tensors = manifest.Expected.Select(expected =>
        {
            var values = new float[expected.Shape.Aggregate(1L, (a, b) => a * b)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (random.NextSingle() - 0.5f) * 0.05f;
            }
            return SafetensorsTensor.FromFloat32(expected.Name, expected.Shape, values);
        }).ToList();
        var folder = Path.Combine(modelsRoot, TaesdPreviewDecoders.Folder);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "taesd_decoder.safetensors");
        SafetensorsWriter.WriteFile(path, tensors);
        return path;
    }
}
