using NodeDiffusion.Formats.Numpy;
using NodeDiffusion.Models.Architectures.VaeApprox;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Architectures;

public sealed class VaeApproxTests
{
    [Fact]
    public void MatchesA1111OnRealWeights()
    {
        // The real A1111 model.pt (fp32 storages tagged "cuda:0") against its torch output for torch.randn(seed 1234).
        using var weights = TorchCheckpointWeightSource.Open(SharedData.Require("real-data/vae-approx/model.pt"));
        var input = NpyArray.ReadFloat32(SharedData.Require("real-data/reference-outputs/vaeapprox_input_latent_f32.npy"));
        var expected = NpyArray.ReadFloat32(SharedData.Require("real-data/reference-outputs/vaeapprox_output_f32.npy"));
        using var session = Sessions.CpuFactory.Create(VaeApproxGraph.Build(weights), "vae-approx");

        var outputs = session.Run(new Dictionary<string, HostTensor> { ["latent_sample"] = new FloatTensor(input.Shape, input.Data) });
        Compare.MaxAbs("vae approx sample", new FloatTensor(expected.Shape, expected.Data), outputs["sample"], 2e-5);
        Assert.All(outputs["image"].Data, v => Assert.InRange(v, 0f, 1f));
    }
}
