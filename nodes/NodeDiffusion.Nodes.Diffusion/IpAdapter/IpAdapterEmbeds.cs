using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Models.Architectures.IpAdapter;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;
using NodeDiffusion.Nodes.Diffusion.Vision;

namespace NodeDiffusion.Nodes.Diffusion.IpAdapter;

/// <summary>
/// IPAdapter_plus' embedding step: CLIP-encode the reference images (base: image_embeds; Plus: penultimate hidden states),
/// the unconditional ones (base: zeros or image_negative's embeds; Plus: image_negative or a black image), combine several
/// images, and run the adapter's image projection. Several images' tokens are concatenated.
/// </summary>
internal static class IpAdapterEmbeds
{
    public static ModelSession Projection(DiffusionModels models, IpAdapterHandle adapter) =>
        models.Compiled.Standalone(adapter.Path, adapter.Fingerprint, "image_proj", () =>
        {
            using var weights = SafetensorsWeightSource.Open(adapter.Path);
            return IpAdapterProjectionGraph.Build(adapter.Layout, weights);
        });

    public static IpAdapterTokens Project(DiffusionModels models, IpAdapterHandle adapter, ClipVisionHandle clipVision, ImageBatch image,
        ImageBatch? negative, string combine, CancellationToken cancellation)
    {
        var plus = adapter.Layout.Kind == IpAdapterKind.Plus;
        var encoded = ClipVisionEncoder.Encode(models, clipVision, image, centerCrop: true, cancellation);
        var (rows, width) = plus ? (encoded.Tokens, encoded.Hidden) : (1, encoded.ProjectionDim);
        var per = rows * width;
        var count = encoded.Batch;
        var cond = plus ? encoded.PenultimateHiddenStates : encoded.ImageEmbeds;
        float[] uncond;
        if (plus)
        {
            var size = clipVision.Config.ImageSize;
            uncond = ClipVisionEncoder.Encode(models, clipVision, negative ?? ImageBatch.Filled(1, size, size, 0f, 0f, 0f), centerCrop: true, cancellation).PenultimateHiddenStates;
        }
        else
        {
            uncond = negative is null ? new float[cond.Length] : ClipVisionEncoder.Encode(models, clipVision, negative, centerCrop: true, cancellation).ImageEmbeds;
        }
        uncond = ToSize(uncond, per, count);
        if (combine != "concat" && count > 1)
        {
            cond = Combine(cond, per, count, combine);
            uncond = uncond[..per];
            count = 1;
        }
        var session = Projection(models, adapter);
        long[] shape = plus ? [count, rows, width] : [count, width];
        var condTokens = session.Run(new Dictionary<string, HostTensor> { [IpAdapterProjectionGraph.Input] = new FloatTensor(shape, cond) })[IpAdapterProjectionGraph.Output].Data;
        var uncondTokens = session.Run(new Dictionary<string, HostTensor> { [IpAdapterProjectionGraph.Input] = new FloatTensor(shape, uncond) })[IpAdapterProjectionGraph.Output].Data;
        return new IpAdapterTokens(count * adapter.Layout.Tokens, adapter.Layout.TokenChannels, condTokens, uncondTokens);
    }

    /// <summary>IPAdapter_plus' tensor_to_size: repeat the last item or drop items to get <paramref name="count"/>.</summary>
    private static float[] ToSize(float[] items, int per, int count)
    {
        var have = items.Length / per;
        if (have == count)
        {
            return items;
        }
        var result = new float[count * per];
        for (var i = 0; i < count; i++)
        {
            items.AsSpan(Math.Min(i, have - 1) * per, per).CopyTo(result.AsSpan(i * per));
        }
        return result;
    }

    /// <summary>combine_embeds over the image dimension: add (sum), subtract (first − mean of the rest), average, norm average (mean of x / ‖x‖ over images, per element).</summary>
    private static float[] Combine(float[] items, int per, int count, string mode)
    {
        var result = new float[per];
        for (var j = 0; j < per; j++)
        {
            double sum = 0, rest = 0, squares = 0;
            for (var i = 0; i < count; i++)
            {
                var v = items[(i * per) + j];
                sum += v;
                rest += i > 0 ? v : 0;
                squares += (double)v * v;
            }
            var norm = Math.Sqrt(squares);
            result[j] = mode switch
            {
                "add" => (float)sum,
                "subtract" => (float)(items[j] - (rest / (count - 1))),
                "average" => (float)(sum / count),
                "norm average" => (float)(norm == 0 ? 0 : sum / norm / count),
                _ => throw new NodeException($"Unknown combine_embeds '{mode}'; expected concat, add, subtract, average or norm average.", "combine_embeds"),
            };
        }
        return result;
    }
}
