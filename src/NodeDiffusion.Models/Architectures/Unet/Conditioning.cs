using NodeDiffusion.Models.Onnx;

namespace NodeDiffusion.Models.Architectures.Unet;

/// <summary>
/// What the cross-attention layers attend to: the text states and, with an IP-Adapter, the projected image tokens and
/// the adapter scale. <c>Hypernetworks</c> (if any) rewrite the K/V inputs of every attention.
/// </summary>
public sealed record Conditioning(Value Text, Value? ImageTokens = null, Value? ImageScale = null, long ImageTokenChannels = 0,
    IpAdapterLayerScales? LayerScales = null, HypernetworkGraph? Hypernetworks = null);
