using NodeDiffusion.Formats.Numpy;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Previews;
using NodeDiffusion.Testing;
using NodeDiffusion.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Tests.Nodes;

/// <summary>
/// Step previews through a real TAESD decoder: TAEF2 (the only real TAESD weights small enough to share; FLUX.2's 32-channel
/// latent) installed as models/vae_approx/taef2_decoder.pth, fed the torch reference latent of the astronaut photo.
/// </summary>
public sealed class TaesdPreviewTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _base = new("nd-taesd-preview");
    private readonly SessionFactory _factory = new();

    public void Dispose() => _base.Dispose();

    private TaesdPreviewDecoders Install()
    {
        var roots = StorageRoots.Under(_base.Path);
        var folder = Path.Combine(roots.Models, TaesdPreviewDecoders.Folder);
        Directory.CreateDirectory(folder);
        File.Copy(SharedData.Require("real-data/taesd/taef2_decoder.pth"), Path.Combine(folder, "taef2_decoder.pth"));
        return new TaesdPreviewDecoders(roots, _factory);
    }

    [Fact]
    public async Task TaesdPreviewDecodesTheReferenceLatentLikeTorch()
    {
        var latent = NpyArray.ReadFloat32(SharedData.Require("real-data/reference-outputs/taef2_astronaut_latent_f32.npy"));
        using var referenceImage = Image.Load<Rgb24>(SharedData.Require("real-data/reference-outputs/taef2_astronaut_decoded.png"));
        var reference = new byte[512 * 512 * 3];
        referenceImage.CopyPixelDataTo(reference);
        using var decoders = Install();
        Assert.Null(decoders.Find(4)); // no SD1.x decoder installed
        var session = decoders.Find(32);
        Assert.NotNull(session);
        Assert.Same(session, decoders.Find(32));

        // The decode behind the preview, before JPEG: the reference PNG is torch's clamped decode quantised to 8 bits, so
        // within one level as in the TAESD model test.
        var decoded = session.Run(new Dictionary<string, HostTensor> { ["latent"] = new FloatTensor(latent.Shape, latent.Data) }, ["image"])["image"];
        using var direct = LatentPreviewer.ToImage(decoded.Data, 512, 512);
        var bytes = new byte[reference.Length];
        direct.CopyPixelDataTo(bytes);
        var maxLevels = bytes.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxLevels <= 1, $"decoded pixels differ from the reference by up to {maxLevels} levels");

        // The preview frame itself: JPEG q95 of that image at its own 512² size.
        var context = new BareNodeContext(new NodeServices().Add(decoders).Add(new PreviewOptions(PreviewMethod.Auto)));
        var previewer = new LatentPreviewer(context, 32, 64, 64);
        previewer.Offer(latent.Data, 0, 1);
        await previewer.Idle();
        var frame = Assert.Single(context.Previews);
        Assert.Equal(("image/jpeg", 512, 512, 1), (frame.MimeType, frame.Width, frame.Height, frame.Step));
        using var jpeg = Image.Load<Rgb24>(frame.Bytes);
        var preview = new byte[reference.Length];
        jpeg.CopyPixelDataTo(preview);
        var mse = preview.Zip(reference, (a, b) => (double)(a - b) * (a - b)).Average();
        var psnr = 10 * Math.Log10(255.0 * 255.0 / mse);
        output.WriteLine($"TAESD preview JPEG vs torch reference decode: PSNR {psnr:F2} dB, max level difference of the raw decode {maxLevels}");
        // JPEG q95 on a photo costs ~40 dB; a wrong decoder (or latent2rgb) is far below 25 dB.
        Assert.True(psnr >= 35, $"PSNR {psnr:F2} dB");
    }

    [Fact]
    public async Task MethodsChooseTheRendererAndNoneSendsNothing()
    {
        var latent = NpyArray.ReadFloat32(SharedData.Require("real-data/reference-outputs/taef2_astronaut_latent_f32.npy"));
        using var decoders = Install();
        var frames = new Dictionary<PreviewMethod, List<PreviewFrame>>();
        foreach (var method in new[] { PreviewMethod.Taesd, PreviewMethod.Latent2Rgb, PreviewMethod.None })
        {
            var context = new BareNodeContext(new NodeServices().Add(decoders).Add(new PreviewOptions(method)));
            var previewer = new LatentPreviewer(context, 32, 64, 64);
            previewer.Offer(latent.Data, 3, 4);
            await previewer.Idle();
            frames[method] = context.Previews;
        }
        Assert.Empty(frames[PreviewMethod.None]);
        var taesd = Assert.Single(frames[PreviewMethod.Taesd]);
        var latent2Rgb = Assert.Single(frames[PreviewMethod.Latent2Rgb]);
        Assert.Equal((512, 512, 4), (latent2Rgb.Width, latent2Rgb.Height, latent2Rgb.Step)); // 64² latent scaled ×8
        Assert.NotEqual(taesd.Bytes, latent2Rgb.Bytes);
        Assert.Equal(PreviewMethod.Latent2Rgb, PreviewOptions.Parse(" Latent2RGB "));
        Assert.Throws<ArgumentException>(() => PreviewOptions.Parse("fast"));
    }

    [Fact]
    public async Task ABrokenDecoderFileFallsBackToLatent2RgbWithAWarning()
    {
        var roots = StorageRoots.Under(_base.Path);
        var folder = Path.Combine(roots.Models, TaesdPreviewDecoders.Folder);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "taesd_decoder.pth"), "not a checkpoint");
        using var decoders = new TaesdPreviewDecoders(roots, _factory);
        var context = new BareNodeContext(new NodeServices().Add(decoders));
        var previewer = new LatentPreviewer(context, 4, 8, 8);
        previewer.Offer(new float[4 * 8 * 8], 0, 1);
        await previewer.Idle();
        var frame = Assert.Single(context.Previews);
        Assert.Equal(64, frame.Width); // latent2rgb: 8×8 scaled ×8
        Assert.Contains(context.Warnings, w => w.Contains("vae_approx", StringComparison.Ordinal));
    }
}
