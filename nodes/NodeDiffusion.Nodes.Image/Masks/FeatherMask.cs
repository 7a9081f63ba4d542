using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Masks;

[NodeType("FeatherMask", Category = "mask", DisplayName = "FeatherMask",
    Description = "Fades the mask linearly towards each edge over the given number of pixels.")]
public sealed class FeatherMask : Node<FeatherMask.In, FeatherMask.Out>
{
    public sealed record In(
        MaskBatch Mask,
        [Int(0, Min = 0, Max = ImageLimits.MaxSide, Step = 1)] int Left,
        [Int(0, Min = 0, Max = ImageLimits.MaxSide, Step = 1)] int Top,
        [Int(0, Min = 0, Max = ImageLimits.MaxSide, Step = 1)] int Right,
        [Int(0, Min = 0, Max = ImageLimits.MaxSide, Step = 1)] int Bottom);

    public sealed record Out(MaskBatch Mask);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var mask = inputs.Mask;
        var (height, width) = (mask.Height, mask.Width);
        var values = (float[])mask.Values.Clone();
        var (left, right) = (Math.Min(inputs.Left, width), Math.Min(inputs.Right, width));
        var (top, bottom) = (Math.Min(inputs.Top, height), Math.Min(inputs.Bottom, height));
        for (var b = 0; b < mask.Batch; b++)
        {
            var plane = values.AsSpan(b * height * width, height * width);
            for (var x = 0; x < left; x++)
            {
                ScaleColumn(plane, x, (x + 1f) / left);
            }
            // ComfyUI indexes the right edge as -x, so its first step (x = 0) lands on column 0, not the last column.
            for (var x = 0; x < right; x++)
            {
                ScaleColumn(plane, x == 0 ? 0 : width - x, (x + 1f) / right);
            }
            for (var y = 0; y < top; y++)
            {
                ScaleRow(plane, y, (y + 1f) / top);
            }
            for (var y = 0; y < bottom; y++)
            {
                ScaleRow(plane, y == 0 ? 0 : height - y, (y + 1f) / bottom);
            }
        }
        return ValueTask.FromResult(new Out(new MaskBatch(mask.Batch, height, width, values)));

        void ScaleColumn(Span<float> plane, int column, float rate)
        {
            for (var y = 0; y < height; y++)
            {
                plane[(y * width) + column] *= rate;
            }
        }

        void ScaleRow(Span<float> plane, int row, float rate)
        {
            foreach (ref var v in plane.Slice(row * width, width))
            {
                v *= rate;
            }
        }
    }
}
