using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.IpAdapter;

/// <summary>
/// The per-layer UNet inputs for an IP-Adapter patch (see <c>IpAdapterLayerScales</c>): IPAdapter_plus' embeds_scaling
/// as out/k/v/v-mean factors. 'V only': out = w; 'K+V': k = v = w; 'K+V w/ C penalty': k = v = w·C/1280;
/// 'K+mean(V) w/ C penalty': k = w·C/1280 and v − mean(v) + w·C/1280·mean(v); C = the layer's attention width. A layer of
/// weight 0 contributes exactly nothing (IPAdapter_plus returns 0 for it).
/// </summary>
public sealed record IpAdapterScales(float[] Out, float[] K, float[] V, float[] VMean)
{
    /// <summary>IPAdapter_plus' "C penalty" divides by the width of SD1.5's deepest attention.</summary>
    private const double PenaltyWidth = 1280.0;

    public static IpAdapterScales From(IpAdapterPatch patch)
    {
        var layers = patch.LayerWeights.Count;
        var scales = new IpAdapterScales(new float[layers], new float[layers], new float[layers], new float[layers]);
        var channels = patch.Adapter.Layout.LayerChannels;
        for (var i = 0; i < layers; i++)
        {
            var w = patch.LayerWeights[i];
            var penalised = w * (channels[i] / PenaltyWidth);
            (scales.Out[i], scales.K[i], scales.V[i], scales.VMean[i]) = patch.EmbedsScaling switch
            {
                "K+V" => (w == 0 ? 0f : 1f, (float)w, (float)w, 0f),
                "K+V w/ C penalty" => (penalised == 0 ? 0f : 1f, (float)penalised, (float)penalised, 0f),
                "K+mean(V) w/ C penalty" => (penalised == 0 ? 0f : 1f, (float)penalised, 1f, (float)(penalised - 1)),
                _ => ((float)w, 1f, 1f, 0f),
            };
        }
        return scales;
    }
}
