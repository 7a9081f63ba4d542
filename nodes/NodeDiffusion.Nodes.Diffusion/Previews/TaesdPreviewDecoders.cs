using System.Collections.Concurrent;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Models.Architectures.Taesd;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Nodes.Diffusion.Previews;

/// <summary>
/// TAESD decoder sessions for step previews, found in models/vae_approx under ComfyUI's names for each latent format
/// (taesd_decoder for SD1.x's 4 channels, taef2_decoder for FLUX.2's 32), as .safetensors or .pth (restricted pickle reader).
/// A file whose weights do not fit the latent is ignored. Sessions are compiled once per file version and kept.
/// </summary>
public sealed class TaesdPreviewDecoders(StorageRoots roots, SessionFactory factory) : IDisposable
{
    public const string Folder = "vae_approx";

    private static readonly Dictionary<int, string[]> NamesByChannels = new()
    {
        [4] = ["taesd_decoder"],
        [16] = ["taesd3_decoder", "taef1_decoder"],
        [32] = ["taef2_decoder"],
    };

    private readonly ConcurrentDictionary<string, Lazy<ModelSession?>> _sessions = new(StringComparer.Ordinal);

    /// <summary>The decoder session for latents with <paramref name="latentChannels"/> channels, or null when none is installed.</summary>
    public ModelSession? Find(int latentChannels)
    {
        if (!NamesByChannels.TryGetValue(latentChannels, out var names))
        {
            return null;
        }
        var folder = Path.Combine(roots.Models, Folder);
        foreach (var name in names)
        {
            foreach (var extension in new[] { ".safetensors", ".pth" })
            {
                var file = new FileInfo(Path.Combine(folder, name + extension));
                if (!file.Exists)
                {
                    continue;
                }
                var key = $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}";
                var session = _sessions.GetOrAdd(key, _ => new Lazy<ModelSession?>(() => Compile(file.FullName, latentChannels))).Value;
                if (session is not null)
                {
                    return session;
                }
            }
        }
        return null;
    }

    private ModelSession? Compile(string path, int latentChannels)
    {
        var weights = path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase)
            ? (IWeightSource)TorchCheckpointWeightSource.Open(path)
            : SafetensorsWeightSource.Open(path);
        try
        {
            var config = TaesdConfig.FromDecoderWeights(weights);
            return config.LatentChannels == latentChannels
                ? factory.Create(TaesdGraph.BuildDecoder(config, weights), "preview/" + Path.GetFileName(path))
                : null;
        }
        finally
        {
            (weights as IDisposable)?.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var session in _sessions.Values)
        {
            if (session.IsValueCreated)
            {
                session.Value?.Dispose();
            }
        }
        _sessions.Clear();
    }
}
