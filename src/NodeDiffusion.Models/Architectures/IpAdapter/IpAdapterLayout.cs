using System.Globalization;
using System.Text.RegularExpressions;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Architectures.IpAdapter;

/// <summary>
/// What an original-layout IP-Adapter file (<c>image_proj.*</c>, <c>ip_adapter.&lt;id&gt;.to_{k,v}_ip.weight</c>) holds, read
/// from its tensor names and shapes: the projection kind, the CLIP width it takes, its token count and width, and the
/// cross-attention layers it patches.
/// </summary>
public sealed partial record IpAdapterLayout(
    IpAdapterKind Kind,
    int ClipEmbedDim,
    int Tokens,
    int TokenChannels,
    IReadOnlyList<int> LayerIds,
    ResamplerConfig? Resampler)
{
    /// <summary>The attention width (to_k_ip rows) of each patched layer, in <see cref="LayerIds"/> order.</summary>
    public IReadOnlyList<int> LayerChannels { get; init; } = [];

    public const string ProjectionPrefix = "image_proj.";
    public const string LayersPrefix = "ip_adapter.";

    /// <summary>Reads the layout; throws <see cref="InvalidDataException"/> saying what was expected when the file is not one.</summary>
    public static IpAdapterLayout Detect(IWeightSource weights, string file)
    {
        var names = weights.Names;
        var layerIds = new SortedSet<int>();
        foreach (var name in names)
        {
            var m = LayerKey().Match(name);
            if (m.Success)
            {
                layerIds.Add(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }
        if (layerIds.Count == 0 || !names.Any(n => n.StartsWith(ProjectionPrefix, StringComparison.Ordinal)))
        {
            var sample = string.Join(", ", names.Order(StringComparer.Ordinal).Take(3));
            throw new InvalidDataException($"{file} is not an IP-Adapter: expected 'image_proj.*' and 'ip_adapter.<id>.to_k_ip.weight' tensors (tencent-ailab/h94 layout), found {names.Count} tensors such as {sample}.");
        }
        foreach (var id in layerIds)
        {
            foreach (var part in new[] { "to_k_ip", "to_v_ip" })
            {
                if (!weights.Contains($"ip_adapter.{id}.{part}.weight"))
                {
                    throw new InvalidDataException($"{file}: ip_adapter.{id} has no {part}.weight.");
                }
            }
        }
        var kShape = weights.GetShape($"ip_adapter.{layerIds.Min}.to_k_ip.weight");
        var tokenChannels = (int)kShape[^1];

        if (weights.Contains("image_proj.proj.weight") && weights.Contains("image_proj.norm.weight") && weights.GetShape("image_proj.proj.weight").Length == 2)
        {
            var proj = weights.GetShape("image_proj.proj.weight");
            var c = (int)weights.GetShape("image_proj.norm.weight")[0];
            if (c != tokenChannels || proj[0] % c != 0)
            {
                throw new InvalidDataException($"{file}: image_proj.proj.weight {Shape(proj)} does not give tokens of the {tokenChannels} channels ip_adapter.*.to_k_ip expects.");
            }
            return new IpAdapterLayout(IpAdapterKind.Base, (int)proj[1], (int)(proj[0] / c), c, layerIds.ToList(), null) { LayerChannels = Channels(weights, layerIds) };
        }
        if (weights.Contains("image_proj.latents") && weights.Contains("image_proj.proj_in.weight"))
        {
            var latents = weights.GetShape("image_proj.latents");
            var projIn = weights.GetShape("image_proj.proj_in.weight");
            var projOut = weights.GetShape("image_proj.proj_out.weight");
            var depth = 0;
            while (weights.Contains($"image_proj.layers.{depth}.0.to_q.weight"))
            {
                depth++;
            }
            if (latents.Length != 3 || depth == 0)
            {
                throw new InvalidDataException($"{file}: image_proj.latents {Shape(latents)} / {depth} resampler layers are not an IP-Adapter Plus resampler.");
            }
            var dim = (int)latents[2];
            var inner = (int)weights.GetShape("image_proj.layers.0.0.to_q.weight")[0];
            var ff = (int)weights.GetShape("image_proj.layers.0.1.1.weight")[0];
            if (inner % ResamplerConfig.DefaultDimHead != 0 || ff % dim != 0 || (int)projOut[0] != tokenChannels)
            {
                throw new InvalidDataException($"{file}: resampler widths (to_q {inner}, ff {ff}, proj_out {Shape(projOut)}) do not fit IP-Adapter Plus (heads of 64, ff a multiple of {dim}, output {tokenChannels}).");
            }
            var config = new ResamplerConfig(dim, depth, inner / ResamplerConfig.DefaultDimHead, ResamplerConfig.DefaultDimHead, (int)latents[1], (int)projIn[1], (int)projOut[0], ff / dim);
            return new IpAdapterLayout(IpAdapterKind.Plus, config.EmbeddingDim, config.Queries, tokenChannels, layerIds.ToList(), config) { LayerChannels = Channels(weights, layerIds) };
        }
        throw new InvalidDataException($"{file}: this IP-Adapter's image projection is not supported (only the base ImageProjModel 'image_proj.proj/norm' and the Plus resampler 'image_proj.latents/proj_in/layers'; FaceID and full-face models are not).");
    }

    private static List<int> Channels(IWeightSource weights, IEnumerable<int> ids) =>
        ids.Select(id => (int)weights.GetShape($"ip_adapter.{id}.to_k_ip.weight")[0]).ToList();

    private static string Shape(long[] shape) => "[" + string.Join(", ", shape) + "]";

    [GeneratedRegex(@"^ip_adapter\.(\d+)\.to_[kv]_ip\.weight$")]
    private static partial Regex LayerKey();
}
