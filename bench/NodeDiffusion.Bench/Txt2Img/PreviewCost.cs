using System.Diagnostics;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Previews;

namespace NodeDiffusion.Bench.Txt2Img;

/// <summary>
/// What one step preview costs through the real <see cref="LatentPreviewer"/>: the sampler thread's share (the latent
/// copy and hand-off in Offer) and the whole frame (render, resize to ≤ 512 px, JPEG) until the background task is idle.
/// Every offer is made as a last step, which the previewer never throttles.
/// </summary>
internal sealed record PreviewCost(double OfferMs, double FrameMs, int Width, int Height, int JpegBytes)
{
    public static PreviewCost Measure(NodeServices services, int channels, int side, int frames)
    {
        var context = new PreviewContext(services);
        var previewer = new LatentPreviewer(context, channels, side, side);
        var latent = new float[channels * side * side];
        for (var i = 0; i < latent.Length; i++)
        {
            latent[i] = MathF.Sin(i * 0.37f) * 1.5f;
        }
        previewer.Offer(latent, 0, 1); // warm-up: JIT, ImageSharp, the decoder session's first run
        previewer.Idle().GetAwaiter().GetResult();

        var offers = new List<double>();
        var whole = new List<double>();
        for (var i = 0; i < frames; i++)
        {
            var clock = Stopwatch.StartNew();
            previewer.Offer(latent, 0, 1);
            offers.Add(clock.Elapsed.TotalMilliseconds);
            previewer.Idle().GetAwaiter().GetResult();
            whole.Add(clock.Elapsed.TotalMilliseconds);
        }
        if (context.Warning is { } warning)
        {
            Console.WriteLine($"  preview warning: {warning}");
        }
        var frame = context.LastFrame ?? throw new InvalidOperationException("The previewer rendered no frame.");
        return new PreviewCost(Stats.Median(offers), Stats.Median(whole), frame.Width, frame.Height, frame.Bytes.Length);
    }
}
