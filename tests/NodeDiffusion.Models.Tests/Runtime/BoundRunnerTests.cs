using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;

namespace NodeDiffusion.Models.Tests.Runtime;

public sealed class BoundRunnerTests
{
    [Fact]
    public void RepeatedBoundRunsMatchPlainRuns()
    {
        using var reference = Reference.Open("vae-tiny");
        var config = AutoencoderKLConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        using var session = Sessions.CpuFactory.Create(AutoencoderKLGraph.BuildDecoder(config, weights), "vae-tiny-decoder");
        var latent = reference.Float("latent");
        using var runner = new BoundRunner(session,
            new Dictionary<string, long[]> { ["latent_sample"] = latent.Shape },
            new Dictionary<string, long[]> { ["sample"] = [1, 3, 64, 64] });

        latent.Data.CopyTo(runner.Input("latent_sample").Data, 0);
        runner.Run();
        Compare.MaxAbs("bound run 1 dec_sample", reference.Float("dec_sample"), runner.Output("sample"), 5e-5);

        // Second step with a different latent writes the same buffers in place.
        var scaled = latent.Data.Select(v => v * 0.5f).ToArray();
        scaled.CopyTo(runner.Input("latent_sample").Data, 0);
        runner.Run();
        var plain = session.Run(new Dictionary<string, HostTensor> { ["latent_sample"] = new FloatTensor(latent.Shape, scaled) })["sample"];
        Assert.Equal(plain.Data, runner.Output("sample").Data);
    }
}
