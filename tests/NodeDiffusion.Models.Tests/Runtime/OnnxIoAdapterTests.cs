using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Runtime;

/// <summary>The adapter on tiny hand-made UNet-shaped graphs with the timestep conventions exporters use.</summary>
public sealed class OnnxIoAdapterTests
{
    /// <summary>out_sample = sample · timestep + encoder_hidden_states[..., 0] summed: enough to see which t arrived.</summary>
    private static global::Onnx.ModelProto Unet(ElementType timestepType, params Dim[] timestepDims)
    {
        var g = new GraphBuilder("tiny-unet");
        var sample = g.Input("sample", ElementType.Float, "batch", 1, 2, 2);
        var timestep = g.Input("timestep", timestepType, timestepDims);
        g.Input("encoder_hidden_states", ElementType.Float, "batch", 3, 4);
        var t = timestepType == ElementType.Float ? timestep : g.Node("Cast", [timestep], ElementType.Float, attributes: [("to", 1L)]);
        g.Output(g.Mul(sample, t), "out_sample");
        return g.Build();
    }

    [Fact]
    public void ATimestepOfFixedLengthOneTakesTheBatchsSharedValue()
    {
        using var dir = new TempDirectory("nd-adapter");
        var path = dir.Combine("model.onnx");
        OnnxModelFile.Save(Unet(ElementType.Float, 1), path);
        using var session = Sessions.CpuFactory.CreateExported(path, OnnxComponent.Unet, "olive-style");
        var outputs = session.Run(new Dictionary<string, HostTensor>
        {
            ["sample"] = new FloatTensor([2, 1, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
            ["timestep"] = new FloatTensor([2], [3f, 3f]),
            ["encoder_hidden_states"] = FloatTensor.Zeros(2, 3, 4),
        });
        Assert.Equal([3f, 6, 9, 12, 15, 18, 21, 24], outputs["out_sample"].Data);
    }

    [Fact]
    public void AnInt64TimestepIsRoundedToTheNearestInteger()
    {
        using var dir = new TempDirectory("nd-adapter");
        var path = dir.Combine("model.onnx");
        OnnxModelFile.Save(Unet(ElementType.Int64, "batch"), path);
        using var session = Sessions.CpuFactory.CreateExported(path, OnnxComponent.Unet, "int64");
        var outputs = session.Run(new Dictionary<string, HostTensor>
        {
            ["sample"] = new FloatTensor([2, 1, 2, 2], [1, 1, 1, 1, 1, 1, 1, 1]),
            ["timestep"] = new FloatTensor([2], [2.6f, 2.6f]),
            ["encoder_hidden_states"] = FloatTensor.Zeros(2, 3, 4),
        });
        Assert.All(outputs["out_sample"].Data, v => Assert.Equal(3f, v));
    }
}
