namespace NodeDiffusion.Diffusion.Noise;

/// <summary>ComfyUI's starting noise for a latent batch (comfy/sample.py <c>prepare_noise</c>), drawn on the CPU.</summary>
public static class ComfyNoise
{
    /// <summary>
    /// Without <paramref name="batchIndex"/>: one <c>randn</c> over the whole batch. With it (a LATENT's batch_index, one
    /// entry per item): item-sized draws 0…max(batchIndex) from one generator, item j taking draw batchIndex[j], so an image
    /// split out of a batch gets the noise it had inside the batch.
    /// </summary>
    public static float[] Prepare(ulong seed, int totalLength, IReadOnlyList<int>? batchIndex = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        var generator = new TorchCpuGenerator(seed);
        if (batchIndex is null)
        {
            return generator.Randn(totalLength);
        }
        if (batchIndex.Count == 0 || totalLength % batchIndex.Count != 0)
        {
            throw new ArgumentException(
                $"batch_index has {batchIndex.Count} entries, which does not divide the latent's {totalLength} values.", nameof(batchIndex));
        }
        if (batchIndex.Any(i => i < 0))
        {
            throw new ArgumentException("batch_index entries must not be negative.", nameof(batchIndex));
        }
        var itemLength = totalLength / batchIndex.Count;
        var wanted = batchIndex.ToHashSet();
        var draws = new Dictionary<int, float[]>();
        for (var i = 0; i <= batchIndex.Max(); i++)
        {
            var draw = generator.Randn(itemLength);
            if (wanted.Contains(i))
            {
                draws[i] = draw;
            }
        }
        var result = new float[totalLength];
        for (var j = 0; j < batchIndex.Count; j++)
        {
            draws[batchIndex[j]].CopyTo(result, j * itemLength);
        }
        return result;
    }
}
