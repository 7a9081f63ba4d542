using NodeDiffusion.Formats.Numpy;
using NodeDiffusion.Models.Architectures.Taesd;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Architectures;

/// <summary>
/// TAESD on real weights (TAEF2, fp16 .pth) against outputs of madebyollin's taesd.py in torch fp32
/// (real-data/reference-outputs; see real-data-notes.md §1). One test, so the 512² photo is encoded once and both
/// latents are decoded in one batch.
/// </summary>
public sealed class TaesdTests
{
    // No tolerance is stated for these files; torch-vs-ORT fp32 differences through ~20 convs on |x| ≤ 4.6 are ~1e-4,
    // while a wrong layer (missing pool branch, wrong GroupNorm, wrong padding) moves latents by ≥ 1e-1.
    private const double LatentTolerance = 5e-4;

    [Fact]
    public void Taef2MatchesTorchAndRoundTripsTheAstronautPhoto()
    {
        var photo = Images.LoadRgb(SharedData.Require("real-data/photos/skimage_astronaut.png"));
        var reference = NpyArray.ReadFloat32(SharedData.Require("real-data/reference-outputs/taef2_astronaut_latent_f32.npy"));
        var referencePng = Images.LoadRgb(SharedData.Require("real-data/reference-outputs/taef2_astronaut_decoded.png"));
        using var encoderWeights = TorchCheckpointWeightSource.Open(SharedData.Require("real-data/taesd/taef2_encoder.pth"));
        using var decoderWeights = TorchCheckpointWeightSource.Open(SharedData.Require("real-data/taesd/taef2_decoder.pth"));
        var config = TaesdConfig.FromEncoderWeights(encoderWeights);
        Assert.Equal(new TaesdConfig(32, true), config);
        Assert.Equal(config, TaesdConfig.FromDecoderWeights(decoderWeights));
        using var encoder = Sessions.CpuFactory.Create(TaesdGraph.BuildEncoder(config, encoderWeights), "taef2-encoder");
        using var decoder = Sessions.CpuFactory.Create(TaesdGraph.BuildDecoder(config, decoderWeights), "taef2-decoder");

        var latent = encoder.Run(new Dictionary<string, HostTensor> { ["sample"] = photo })["latent"];
        Compare.MaxAbs("taef2 astronaut latent", new FloatTensor(reference.Shape, reference.Data), latent, LatentTolerance);

        long[] batchShape = [2, .. latent.Shape[1..]];
        var decoded = decoder.Run(new Dictionary<string, HostTensor> { ["latent"] = new FloatTensor(batchShape, [.. reference.Data, .. latent.Data]) });
        var size = (int)photo.ElementCount;
        var fromReference = decoded["image"].Data[..size];
        var fromOurs = decoded["image"].Data[size..];

        // The reference PNG holds the clamped decode of the reference latent quantised to 8 bits: within one step of ours.
        var quantised = new FloatTensor(photo.Shape, fromReference.Select(v => MathF.Round(v * 255f) / 255f).ToArray());
        Compare.MaxAbs("taef2 decode(reference latent) vs reference png", referencePng, quantised, (1.0 / 255) + 1e-6);
        float[] first8 = [0.5373458862304688f, 0.28345370292663574f, 0.28043612837791443f, 0.2912452816963196f, 0.262844055891037f, 0.3318425118923187f, 0.4751182198524475f, 0.568674623966217f];
        Compare.MaxAbs("taef2 decoded_first8_raw", new FloatTensor([8], first8), new FloatTensor([8], decoded["sample"].Data[..8]), 1e-4);

        var psnr = Images.Psnr(photo.Data, fromOurs);
        Report.Line($"taef2 astronaut encode→decode PSNR: {psnr:F2} dB (torch reference 31.19 dB)");
        Assert.True(psnr >= 30, $"PSNR {psnr:F2} dB < 30 dB");
    }
}
