using System.Diagnostics;
using Microsoft.Extensions.Logging;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Runtime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NodeDiffusion.Nodes.Diffusion.Previews;

/// <summary>
/// Step previews of the first batch item's x0 prediction, by TAESD when its decoder is installed (models/vae_approx) or
/// ComfyUI's latent2rgb for SD1.5 otherwise, scaled to at most 512 px and sent as JPEG. At most four a second plus the
/// last step; the sampler only copies the latent, a background task renders, and a newer step replaces one not yet rendered.
/// </summary>
public sealed class LatentPreviewer
{
    private static readonly float[,] Sd15Factors =
    {
        { 0.3512f, 0.2297f, 0.3227f },
        { 0.3250f, 0.4974f, 0.2350f },
        { -0.2829f, 0.1762f, 0.2721f },
        { -0.2120f, -0.2616f, -0.7177f },
    };

    private const int MaxSide = 512;
    private static readonly long Interval = Stopwatch.Frequency / 4;

    private readonly INodeContext _context;
    private readonly int _channels;
    private readonly int _height;
    private readonly int _width;
    private readonly PreviewMethod _method;
    private readonly Lock _lock = new();
    private float[] _pending;
    private float[] _rendering;
    private int _pendingStep = -1;
    private Task _worker = Task.CompletedTask;
    private long _lastSent = long.MinValue / 2;
    private long _gap = Interval;
    private ModelSession? _taesd;
    private bool _taesdLooked;

    public LatentPreviewer(INodeContext context, int channels, int height, int width)
    {
        (_context, _channels, _height, _width) = (context, channels, height, width);
        _method = PreviewOptions.For(context.Services);
        _pending = new float[channels * height * width];
        _rendering = new float[_pending.Length];
    }

    public void Offer(ReadOnlySpan<float> denoised, int step, int totalSteps)
    {
        if (_method == PreviewMethod.None)
        {
            return;
        }
        var now = Stopwatch.GetTimestamp();
        if (now - _lastSent < Volatile.Read(ref _gap) && step + 1 < totalSteps)
        {
            return;
        }
        _lastSent = now;
        lock (_lock)
        {
            denoised[.._pending.Length].CopyTo(_pending);
            _pendingStep = step;
            if (_worker.IsCompleted)
            {
                _worker = Task.Run(Drain);
            }
        }
    }

    /// <summary>Waits until every offered step has been rendered and sent.</summary>
    public Task Idle()
    {
        lock (_lock)
        {
            return _worker;
        }
    }

    private void Drain()
    {
        while (true)
        {
            int step;
            lock (_lock)
            {
                if (_pendingStep < 0)
                {
                    return;
                }
                (step, _pendingStep) = (_pendingStep, -1);
                (_pending, _rendering) = (_rendering, _pending);
            }
            try
            {
                var started = Stopwatch.GetTimestamp();
                _context.Preview(Render(_rendering, step));
                // A slow decoder (TAESD on CPU) competes with the sampler for the cores: keep previews under ~20% of the time.
                Volatile.Write(ref _gap, Math.Max(Interval, 4 * (Stopwatch.GetTimestamp() - started)));
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // A preview must never fail the run; the logger says why previews stopped.
                _context.Logger.LogWarning("Step preview failed: {Message}", error.Message);
                return;
            }
        }
    }

    private PreviewFrame Render(float[] x0, int step)
    {
        using var image = Taesd() is { } session ? Decode(session, x0) : Latent2Rgb(x0);
        var scale = Math.Max(1, Math.Min(8, MaxSide / Math.Max(image.Width, image.Height)));
        if (scale > 1)
        {
            image.Mutate(i => i.Resize(image.Width * scale, image.Height * scale, KnownResamplers.Bicubic));
        }
        else if (Math.Max(image.Width, image.Height) > MaxSide)
        {
            var shrink = MaxSide / (double)Math.Max(image.Width, image.Height);
            image.Mutate(i => i.Resize(Math.Max(1, (int)(image.Width * shrink)), Math.Max(1, (int)(image.Height * shrink)), KnownResamplers.Triangle));
        }
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 95 });
        return new PreviewFrame(stream.ToArray(), "image/jpeg", image.Width, image.Height, step + 1);
    }

    private ModelSession? Taesd()
    {
        if (_method is PreviewMethod.Latent2Rgb || _taesdLooked)
        {
            return _taesd;
        }
        _taesdLooked = true;
        var decoders = _context.Services.GetService(typeof(TaesdPreviewDecoders)) as TaesdPreviewDecoders;
        try
        {
            _taesd = decoders?.Find(_channels);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            _context.Warn($"The TAESD preview decoder in models/{TaesdPreviewDecoders.Folder} could not be loaded ({error.Message}); previews use latent2rgb.");
        }
        return _taesd;
    }

    /// <summary>TAESD's decoder takes the model-space x0 directly and returns [0, 1] RGB at 8× the size.</summary>
    private Image<Rgb24> Decode(ModelSession session, float[] x0)
    {
        var output = session.Run(new Dictionary<string, HostTensor> { ["latent"] = new FloatTensor([1, _channels, _height, _width], x0) }, ["image"])["image"];
        var (height, width) = ((int)output.Shape[2], (int)output.Shape[3]);
        return ToImage(output.Data, height, width);
    }

    /// <summary>The [0, 1] planar RGB output of a decoder as an image, each value rounded to the nearest byte.</summary>
    public static Image<Rgb24> ToImage(ReadOnlySpan<float> planar, int height, int width)
    {
        var image = new Image<Rgb24>(width, height);
        var plane = height * width;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                image[x, y] = new Rgb24(Unit(planar[i]), Unit(planar[plane + i]), Unit(planar[(2 * plane) + i]));
            }
        }
        return image;
    }

    private Image<Rgb24> Latent2Rgb(float[] x0)
    {
        var plane = _height * _width;
        var image = new Image<Rgb24>(_width, _height);
        for (var y = 0; y < _height; y++)
        {
            for (var x = 0; x < _width; x++)
            {
                var index = (y * _width) + x;
                float r = 0, g = 0, b = 0;
                for (var c = 0; c < Math.Min(_channels, 4); c++)
                {
                    var v = x0[(c * plane) + index];
                    r += v * Sd15Factors[c, 0];
                    g += v * Sd15Factors[c, 1];
                    b += v * Sd15Factors[c, 2];
                }
                image[x, y] = new Rgb24(ToByte(r), ToByte(g), ToByte(b));
            }
        }
        return image;
    }

    private static byte Unit(float value) => (byte)Math.Clamp(MathF.Round(value * 255f), 0f, 255f);

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round((value + 1f) / 2f * 255f), 0f, 255f);
}
