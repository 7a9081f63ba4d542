namespace NodeDiffusion.Models.Onnx;

/// <summary>ONNX operators as typed methods (opset 17 semantics).</summary>
public sealed partial class GraphBuilder
{
    public Value Add(Value a, Value b) => Node("Add", [a, b], outputShape: Broadcast(a, b));

    public Value Sub(Value a, Value b) => Node("Sub", [a, b], outputShape: Broadcast(a, b));

    public Value Mul(Value a, Value b) => Node("Mul", [a, b], outputShape: Broadcast(a, b));

    public Value Div(Value a, Value b) => Node("Div", [a, b], outputShape: Broadcast(a, b));

    public Value Mul(Value a, float b) => Mul(a, ScalarFloat(b));

    public Value Add(Value a, float b) => Add(a, ScalarFloat(b));

    public Value Div(Value a, float b) => Div(a, ScalarFloat(b));

    public Value MatMul(Value a, Value b) => Node("MatMul", [a, b]);

    /// <summary>Y = A·op(B) + C for 2-D A, with op(B) = Bᵀ when <paramref name="transposeB"/> (a Linear on [N, in]).</summary>
    public Value Gemm(Value a, Value b, Value? c, bool transposeB = false)
    {
        Value[] inputs = c is null ? [a, b] : [a, b, c];
        return Node("Gemm", inputs, attributes: ("transB", transposeB ? 1 : 0));
    }

    public Value Sigmoid(Value x) => Node("Sigmoid", [x], outputShape: x.Shape);

    public Value Tanh(Value x) => Node("Tanh", [x], outputShape: x.Shape);

    public Value Relu(Value x) => Node("Relu", [x], outputShape: x.Shape);

    public Value LeakyRelu(Value x, float alpha) => Node("LeakyRelu", [x], outputShape: x.Shape, attributes: ("alpha", alpha));

    public Value Erf(Value x) => Node("Erf", [x], outputShape: x.Shape);

    public Value Exp(Value x) => Node("Exp", [x], outputShape: x.Shape);

    public Value Sin(Value x) => Node("Sin", [x], outputShape: x.Shape);

    public Value Cos(Value x) => Node("Cos", [x], outputShape: x.Shape);

    public Value Identity(Value x) => Node("Identity", [x], outputShape: x.Shape);

    /// <summary>x·sigmoid(x) (torch SiLU).</summary>
    public Value Silu(Value x) => Mul(x, Sigmoid(x));

    /// <summary>Exact GELU as torch computes it: x·0.5·(1 + erf(x/√2)).</summary>
    public Value GeluErf(Value x) => Mul(Mul(x, 0.5f), Add(Erf(Mul(x, 0.70710678118654752f)), 1f));

    /// <summary>x·sigmoid(1.702·x) (CLIP's quick_gelu).</summary>
    public Value QuickGelu(Value x) => Mul(x, Sigmoid(Mul(x, 1.702f)));

    public Value Softmax(Value x, int axis = -1) => Node("Softmax", [x], outputShape: x.Shape, attributes: ("axis", axis));

    public Value Cast(Value x, ElementType to) => Node("Cast", [x], to, x.Shape, ("to", (int)to));

    public Value Clip(Value x, float min, float max) => Node("Clip", [x, ScalarFloat(min), ScalarFloat(max)], outputShape: x.Shape);

    public Value Conv(Value x, Value weight, Value? bias, int[] strides, int[] pads, int group = 1)
    {
        Value[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Node("Conv", inputs, attributes:
        [
            ("strides", strides), ("pads", pads), ("group", group), ("dilations", new[] { 1, 1 }),
            ("kernel_shape", new[] { (int)weight.Shape![2], (int)weight.Shape![3] }),
        ]);
    }

    public Value Transpose(Value x, params int[] perm) =>
        Node("Transpose", [x], outputShape: x.Shape is null ? null : perm.Select(p => x.Shape[p]).ToArray(), attributes: ("perm", perm));

    /// <summary>Reshape; 0 keeps the input's size, -1 is inferred.</summary>
    public Value Reshape(Value x, params long[] shape) => Node("Reshape", [x, Ints(shape)], outputShape: shape.Select(s => s == 0 ? -1 : s).ToArray());

    public Value Reshape(Value x, Value shape, int? rank = null) => Node("Reshape", [x, shape], outputShape: rank is null ? null : Enumerable.Repeat(-1L, rank.Value).ToArray());

    public Value Concat(int axis, params Value[] values) => Node("Concat", values, attributes: ("axis", axis));

    public Value Shape(Value x, int? start = null, int? end = null)
    {
        var attributes = new List<(string, object)>();
        if (start is not null)
        {
            attributes.Add(("start", start.Value));
        }
        if (end is not null)
        {
            attributes.Add(("end", end.Value));
        }
        return Node("Shape", [x], ElementType.Int64, null, [.. attributes]);
    }

    public Value Gather(Value data, Value indices, int axis = 0) => Node("Gather", [data, indices], attributes: ("axis", axis));

    public Value GatherElements(Value data, Value indices, int axis) => Node("GatherElements", [data, indices], attributes: ("axis", axis));

    public Value Unsqueeze(Value x, params long[] axes) => Node("Unsqueeze", [x, Ints(axes)]);

    public Value Squeeze(Value x, params long[] axes) => Node("Squeeze", [x, Ints(axes)]);

    public Value Expand(Value x, Value shape) => Node("Expand", [x, shape]);

    public Value Slice(Value x, long[] starts, long[] ends, long[] axes) => Node("Slice", [x, Ints(starts), Ints(ends), Ints(axes)]);

    public Value Slice(Value x, Value starts, Value ends, Value axes) => Node("Slice", [x, starts, ends, axes]);

    public Value Equal(Value a, Value b) => Node("Equal", [a, b], ElementType.Bool);

    public Value ArgMax(Value x, int axis, bool keepDims = false) =>
        Node("ArgMax", [x], ElementType.Int64, null, ("axis", axis), ("keepdims", keepDims ? 1 : 0), ("select_last_index", 0));

    /// <summary>Zero padding; <paramref name="pads"/> in ONNX order (all begins, then all ends).</summary>
    public Value Pad(Value x, params long[] pads) => Node("Pad", [x, Ints(pads)], attributes: ("mode", "constant"));

    /// <summary>Nearest-neighbour resize to explicit sizes, with torch's index rule floor(dst·in/out).</summary>
    public Value ResizeNearest(Value x, Value sizes) =>
        Node("Resize", [x, null!, null!, sizes], attributes:
        [
            ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"),
        ]);

    /// <summary>Nearest-neighbour upsampling by an integer factor (torch Upsample(scale_factor)).</summary>
    public Value UpsampleNearest(Value x, float factor)
    {
        var scales = Floats([4], 1f, 1f, factor, factor);
        return Node("Resize", [x, null!, scales], attributes:
        [
            ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"),
        ]);
    }

    public Value LayerNormalization(Value x, Value scale, Value bias, float epsilon, int axis = -1) =>
        Node("LayerNormalization", [x, scale, bias], outputShape: x.Shape, attributes: [("axis", axis), ("epsilon", epsilon)]);

    /// <summary>
    /// torch GroupNorm on NCHW: reshape to [N, groups, -1], InstanceNormalization with unit scale, reshape back, then the
    /// per-channel affine. Avoids depending on GroupNormalization, whose opset-18 definition was wrong.
    /// </summary>
    public Value GroupNorm(Value x, int groups, Value gamma, Value beta, float epsilon)
    {
        var ones = new float[groups];
        Array.Fill(ones, 1f);
        var scale = Floats([groups], ones);
        var zero = Floats([groups], new float[groups]);
        var grouped = Reshape(x, 0, groups, -1);
        var normed = Node("InstanceNormalization", [grouped, scale, zero], attributes: ("epsilon", epsilon));
        var back = Reshape(normed, Shape(x), x.Rank);
        var channels = gamma.Shape![0];
        return Add(Mul(back, Reshape(gamma, channels, 1, 1)), Reshape(beta, channels, 1, 1));
    }

    private static long[]? Broadcast(Value a, Value b)
    {
        if (a.Shape is null || b.Shape is null)
        {
            return null;
        }
        var rank = Math.Max(a.Shape.Length, b.Shape.Length);
        var result = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Shape.Length) >= 0 ? a.Shape[i - (rank - a.Shape.Length)] : 1;
            var db = i - (rank - b.Shape.Length) >= 0 ? b.Shape[i - (rank - b.Shape.Length)] : 1;
            result[i] = da == 1 ? db : db == 1 ? da : da == db ? da : -1;
        }
        return result;
    }
}
