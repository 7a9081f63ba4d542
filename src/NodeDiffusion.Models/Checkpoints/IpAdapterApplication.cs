using NodeDiffusion.Models.Architectures.IpAdapter;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Ldm;
using Onnx;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>An original-layout IP-Adapter file compiled into a UNet: its path, fingerprint (for the session key) and layout.</summary>
public sealed record IpAdapterApplication(string Path, string Fingerprint, IpAdapterLayout Layout)
{
    /// <summary>Compiles in the <c>ip_attn_mask</c> input (see <see cref="IpAdapterOptions.AttentionMask"/>).</summary>
    public bool AttentionMask { get; init; }

    /// <summary>
    /// The UNet with the file's to_k_ip/to_v_ip bound under diffusers' names, taking projected tokens and per-layer scales
    /// (with the other variants of <paramref name="options"/>: ControlNet residual inputs, hypernetworks).
    /// </summary>
    public ModelProto BuildUnet(UNet2DConditionConfig config, IWeightSource unetWeights, IWeightSource adapterFile, UNetGraphOptions? options = null)
    {
        if (Layout.TokenChannels != config.CrossAttentionDim)
        {
            throw new WeightBindingException($"{System.IO.Path.GetFileName(Path)} makes {Layout.TokenChannels}-wide image tokens but this UNet's cross-attention is {config.CrossAttentionDim} wide; it is for another model family.");
        }
        var layers = new RenamedWeightSource(adapterFile,
            n => n.StartsWith(IpAdapterLayout.LayersPrefix, StringComparison.Ordinal) ? IpAdapterKeyMap.ToDiffusers(n, config) : null);
        options = (options ?? new UNetGraphOptions()) with { IpAdapter = new IpAdapterOptions(Layout.TokenChannels, Layout.Tokens) { ProjectedTokens = true, AttentionMask = AttentionMask } };
        return UNet2DConditionGraph.Build(config, new UnionWeightSource(unetWeights, layers), options);
    }

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)}@{Fingerprint}{(AttentionMask ? "+mask" : "")}";
}
