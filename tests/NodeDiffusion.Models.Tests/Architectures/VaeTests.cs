using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;

namespace NodeDiffusion.Models.Tests.Architectures;

public sealed class VaeTests
{
    private const double Tolerance = 5e-5;

    [Fact]
    public void EncoderMatchesDiffusersSquareAndNonSquare()
    {
        using var reference = Reference.Open("vae-tiny");
        var config = AutoencoderKLConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        using var session = Sessions.CpuFactory.Create(AutoencoderKLGraph.BuildEncoder(config, weights), "vae-tiny-encoder");

        foreach (var prefix in new[] { "", "ns_" })
        {
            var outputs = session.Run(new Dictionary<string, HostTensor> { ["sample"] = reference.Float(prefix + "image") });
            Compare.MaxAbs(prefix + "enc_moments", reference.Float(prefix + "enc_moments"), outputs["latent_parameters"], Tolerance);
            Compare.MaxAbs(prefix + "enc_mean", reference.Float(prefix + "enc_mean"), outputs["latent_mean"], Tolerance);
            Compare.MaxAbs(prefix + "enc_logvar", reference.Float(prefix + "enc_logvar"), outputs["latent_logvar"], Tolerance);
            Compare.MaxAbs(prefix + "enc_std", reference.Float(prefix + "enc_std"), outputs["latent_std"], Tolerance);
        }
    }

    [Fact]
    public void DecoderMatchesDiffusersSquareAndNonSquare()
    {
        using var reference = Reference.Open("vae-tiny");
        var config = AutoencoderKLConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        using var session = Sessions.CpuFactory.Create(AutoencoderKLGraph.BuildDecoder(config, weights), "vae-tiny-decoder");

        foreach (var prefix in new[] { "", "ns_" })
        {
            var outputs = session.Run(new Dictionary<string, HostTensor> { ["latent_sample"] = reference.Float(prefix + "latent") });
            Compare.MaxAbs(prefix + "dec_sample", reference.Float(prefix + "dec_sample"), outputs["sample"], Tolerance);
        }
    }
}
