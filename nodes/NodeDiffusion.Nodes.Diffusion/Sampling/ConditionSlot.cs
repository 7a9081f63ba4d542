using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// One conditioning entry of one side as ComfyUI's <c>get_area_and_mult</c> sees it: its area of x, its feathered
/// weights, and where its chunk of the batch it runs in keeps the crop and D = x − σ·ε̂. After the batch ran, its D·weights
/// go into the side's running sum. Buffers are bound once; a step allocates nothing.
/// </summary>
internal sealed class ConditionSlot
{
    private readonly (int Channels, int Height, int Width) _latent;
    private readonly bool _isFull;
    private readonly float[] _weights;
    private Memory<float> _crop;
    private Memory<float> _denoised;

    public ConditionSlot(ConditioningEntry entry, LatentBatch latent, (int Height, int Width, int Y, int X) area, bool unconditional)
    {
        Entry = entry;
        Area = area;
        Unconditional = unconditional;
        _latent = (latent.Channels, latent.Height, latent.Width);
        _isFull = area.Height == latent.Height && area.Width == latent.Width;
        _weights = AreaWeights.Feathered(area.Height, area.Width, area.Y, area.X, latent.Height, latent.Width, (float)entry.Strength, entry.Area is not null);
        Length = latent.Batch * latent.Channels * area.Height * area.Width;
    }

    public ConditioningEntry Entry { get; }

    public (int Height, int Width, int Y, int X) Area { get; }

    public bool Unconditional { get; }

    /// <summary>Values of the entry's crop of the whole latent batch: its chunk of a batched model call.</summary>
    public int Length { get; }

    /// <summary>Binds the entry to its chunk of the batch's crop and D buffers (<see cref="Length"/> values each).</summary>
    public void Attach(Memory<float> crop, Memory<float> denoised) => (_crop, _denoised) = (crop, denoised);

    /// <summary>Copies the entry's area of x ([B, C, H, W]) into its chunk of the batch's crop.</summary>
    public void CopyCrop(ReadOnlySpan<float> x)
    {
        var crop = _crop.Span;
        if (_isFull)
        {
            x.CopyTo(crop);
            return;
        }
        var (_, height, width) = _latent;
        var rows = crop.Length / Area.Width;
        for (var r = 0; r < rows; r++)
        {
            var plane = r / Area.Height;
            var source = (plane * height * width) + ((Area.Y + (r % Area.Height)) * width) + Area.X;
            x.Slice(source, Area.Width).CopyTo(crop.Slice(r * Area.Width, Area.Width));
        }
    }

    /// <summary>Adds this entry's D·weights into <paramref name="sum"/> and its weights into <paramref name="counts"/> (both [B, C, H, W]).</summary>
    public void Accumulate(Span<float> sum, Span<float> counts)
    {
        var denoised = _denoised.Span;
        var (_, height, width) = _latent;
        var plane = Area.Height * Area.Width;
        for (var i = 0; i < denoised.Length; i++)
        {
            var local = i % plane;
            var (row, column) = (local / Area.Width, local % Area.Width);
            var target = ((i / plane) * height * width) + ((Area.Y + row) * width) + Area.X + column;
            var weight = _weights[local];
            sum[target] += denoised[i] * weight;
            counts[target] += weight;
        }
    }
}
