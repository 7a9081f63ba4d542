namespace NodeDiffusion.Nodes.Diffusion.IpAdapter;

/// <summary>
/// IPAdapter_plus' weight_type: the weight of each cross-attention layer from the node's weight. Layers are indexed as
/// ComfyUI's transformer_index (input blocks, then the middle block, then output blocks; 0–15 for SD1.5), and
/// <c>layers</c> is their count (16 for SD1.5). The style/composition types name SD1.5 layer indices; other layers get 0.
/// </summary>
public static class IpAdapterWeightTypes
{
    public static readonly string[] Names =
        ["linear", "ease in", "ease out", "ease in-out", "reverse in-out", "weak input", "weak output", "weak middle", "strong middle",
         "style transfer", "composition", "strong style transfer"];

    private static readonly int[] StyleLayers = [0, 1, 2, 3, 9, 10, 11, 12, 13, 14, 15];
    private static readonly int[] StrongStyleLayers = [0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    public enum Block
    {
        Input,
        Middle,
        Output,
    }

    /// <summary>The weight of the layer at <paramref name="index"/> (transformer_index) in <paramref name="block"/>.</summary>
    public static double Weight(string weightType, double weight, int index, int layers, Block block)
    {
        double half = layers / 2.0;
        return weightType switch
        {
            "linear" => weight,
            "ease in" => weight * (0.05 + (0.95 * (1 - ((double)index / layers)))),
            "ease out" => weight * (0.05 + (0.95 * ((double)index / layers))),
            "ease in-out" => weight * (0.05 + (0.95 * (1 - (Math.Abs(index - half) / half)))),
            "reverse in-out" => weight * (0.05 + (0.95 * (Math.Abs(index - half) / half))),
            "weak input" => block == Block.Input ? weight * 0.2 : weight,
            "weak middle" => block == Block.Middle ? weight * 0.2 : weight,
            "weak output" => block == Block.Output ? weight * 0.2 : weight,
            "strong middle" => block is Block.Input or Block.Output ? weight * 0.2 : weight,
            "style transfer" => StyleLayers.Contains(index) ? weight : 0,
            "composition" => index == 4 ? weight * 0.25 : index == 5 ? weight : 0,
            "strong style transfer" => StrongStyleLayers.Contains(index) ? weight : 0,
            _ => throw new ArgumentException($"Unknown weight_type '{weightType}'; expected one of: {string.Join(", ", Names)}.", nameof(weightType)),
        };
    }
}
