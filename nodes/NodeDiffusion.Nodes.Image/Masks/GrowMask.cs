using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Masks;

[NodeType("GrowMask", Category = "mask", DisplayName = "GrowMask",
    Description = "Grows (expand > 0) or shrinks (< 0) the mask one pixel per step with a 3×3 max/min; tapered corners use a plus-shaped neighbourhood.")]
public sealed class GrowMask : Node<GrowMask.In, GrowMask.Out>
{
    public sealed record In(
        MaskBatch Mask,
        [Int(0, Min = -ImageLimits.MaxSide, Max = ImageLimits.MaxSide, Step = 1)] int Expand,
        [Boolean(true)] bool TaperedCorners);

    public sealed record Out(MaskBatch Mask);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var mask = inputs.Mask;
        var (height, width) = (mask.Height, mask.Width);
        var plane = height * width;
        var current = (float[])mask.Values.Clone();
        var next = new float[current.Length];
        var grow = inputs.Expand > 0;
        // Out-of-image neighbours are ignored, which is what scipy's grey morphology with 'reflect' borders amounts to for 3×3.
        for (var step = 0; step < Math.Abs(inputs.Expand); step++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            for (var b = 0; b < mask.Batch; b++)
            {
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        var v = current[(b * plane) + (y * width) + x];
                        for (var dy = -1; dy <= 1; dy++)
                        {
                            for (var dx = -1; dx <= 1; dx++)
                            {
                                var (ny, nx) = (y + dy, x + dx);
                                if ((inputs.TaperedCorners && dy != 0 && dx != 0) || ny < 0 || ny >= height || nx < 0 || nx >= width)
                                {
                                    continue;
                                }
                                var n = current[(b * plane) + (ny * width) + nx];
                                v = grow ? Math.Max(v, n) : Math.Min(v, n);
                            }
                        }
                        next[(b * plane) + (y * width) + x] = v;
                    }
                }
            }
            (current, next) = (next, current);
        }
        return ValueTask.FromResult(new Out(new MaskBatch(mask.Batch, height, width, current)));
    }
}
