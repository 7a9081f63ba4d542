using System.Diagnostics;
using System.Text.Json;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Nodes.Diffusion.Previews;
using NodeDiffusion.Nodes.Diffusion.Services;

namespace NodeDiffusion.Bench.Txt2Img;

/// <summary>
/// workflows/txt2img.json (20 steps, 256×256, euler/normal, cfg 8) on the demo checkpoint through the real engine: the
/// wall-time split from the engine's events, the sampler loop against the same UNet session run bare (target ratio
/// ≤ 1.05), the loop with latent2rgb, TAESD and no previews, and what one preview frame costs against one UNet step.
/// Prints numbers; asserts nothing.
/// </summary>
public static class Txt2ImgBenchmark
{
    private const int Steps = 20;
    private const int LatentSide = 256 / 8;
    private const int Tokens = 77;
    private const int PreviewFrames = 20;

    private static readonly PreviewMethod[] Methods = [PreviewMethod.Latent2Rgb, PreviewMethod.Taesd, PreviewMethod.None];

    public static async Task RunAsync(int rounds)
    {
        var baseDirectory = Path.Combine(Path.GetTempPath(), $"nd-bench-txt2img-{Environment.ProcessId}");
        try
        {
            var settings = EngineSettings.Under(baseDirectory);
            DemoCheckpoint.EnsureExists(settings.Roots.Models);
            var host = EngineHost.Create(settings);
            var workflow = WorkflowJson.ParseFile(Path.Combine(RepositoryRoot(), "workflows", "txt2img.json")).Workflow!;
            workflow.Nodes["3"].Inputs["steps"] = JsonSerializer.SerializeToElement(Steps);
            var models = host.Services.Get<DiffusionModels>();
            var checkpoint = models.Open(models.Resolve(DemoCheckpoint.Name));

            var decoders = host.Services.Get<TaesdPreviewDecoders>();
            var taesdName = "taesd_decoder (installed)";
            if (decoders.Find(4) is null)
            {
                Console.WriteLine($"No taesd_decoder in models/{TaesdPreviewDecoders.Folder}: TAESD previews are timed with SD1.x's TAESD decoder architecture and random weights.");
                RandomTaesdDecoder.Write(settings.Roots.Models);
                taesdName = "taesd_decoder (random weights)";
            }

            foreach (var method in Methods)
            {
                await RunAsync(host, workflow, method); // warm-up: compiles every session (TAESD's too), first runs
            }
            var compilations = models.Compiled.Compilations;
            var session = models.Compiled.Unet(checkpoint);
            using var unet = new PureUnet(session, checkpoint.Unet, LatentSide, Tokens);
            unet.StepMs(3);

            // Each engine run is paired with a bare-UNet measurement just before it, and the order of the preview
            // methods rotates, so load from other processes and drift hit both sides of each ratio alike.
            var runs = Methods.ToDictionary(m => m, _ => new List<PairedRun>());
            var pure = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < Methods.Length; i++)
                {
                    var method = Methods[(i + round) % Methods.Length];
                    var pureStep = unet.StepMs(Steps);
                    pure.Add(pureStep);
                    runs[method].Add(new PairedRun(await RunAsync(host, workflow, method), pureStep));
                }
            }
            var reused = models.Compiled.Compilations == compilations;
            var pureStepMs = Stats.Median(pure);
            Report(rounds, pureStepMs, runs, reused, session.Device.ToString());

            Console.WriteLine($"Preview frame cost (LatentPreviewer: render, ≤ 512 px, JPEG q95; median of {PreviewFrames}) against the {pureStepMs:F2} ms UNet step:");
            Print("latent2rgb", PreviewCost.Measure(new NodeServices().Add(new PreviewOptions(PreviewMethod.Latent2Rgb)), 4, LatentSide, PreviewFrames), pureStepMs);
            var taesd = new NodeServices().Add(decoders).Add(new PreviewOptions(PreviewMethod.Taesd));
            Print(taesdName, PreviewCost.Measure(taesd, 4, LatentSide, PreviewFrames), pureStepMs);
        }
        finally
        {
            Directory.Delete(baseDirectory, recursive: true);
        }
    }

    internal static async Task<RunTimings> RunAsync(EngineHost host, Workflow workflow, PreviewMethod previews)
    {
        host.Services.Add(new PreviewOptions(previews));
        host.Cache.Clear(); // every node runs each time; compiled sessions stay
        var validation = host.Validator.Validate(workflow);
        if (!validation.IsValid)
        {
            throw new InvalidOperationException(string.Join("\n", validation.Errors));
        }
        var events = new List<StampedEvent>();
        var sink = new EventFanOut();
        using var subscription = sink.Subscribe(e =>
        {
            var stamp = Stopwatch.GetTimestamp();
            lock (events)
            {
                events.Add(new StampedEvent(stamp, e));
            }
        });
        var result = await host.Executor.RunAsync(Guid.NewGuid().ToString(), validation.Workflow!, sink);
        lock (events)
        {
            return RunTimings.From(events, result);
        }
    }

    private static void Report(int rounds, double pureStep, Dictionary<PreviewMethod, List<PairedRun>> runs, bool sessionsReused, string device)
    {
        var pureLoop = pureStep * Steps;
        Console.WriteLine($"txt2img {Steps} steps at 256×256 on the demo checkpoint (workflows/txt2img.json through the engine) on {device}, median of {rounds} runs per preview method after a warm-up:");
        Console.WriteLine($"  {"previews:",-36}{string.Concat(Methods.Select(m => $"{m.ToString().ToLowerInvariant(),14}"))}");
        void Row(string name, Func<RunTimings, double> pick, string unit = "ms") =>
            Console.WriteLine($"  {name,-36}{string.Concat(Methods.Select(m => $"{Stats.Median(runs[m].Select(r => pick(r.Run))),11:F2} {unit}"))}");
        void RatioRow(string name, Func<PairedRun, double> ratio) =>
            Console.WriteLine($"  {name,-36}{string.Concat(Methods.Select(m => $"{Stats.Median(runs[m].Select(ratio)),14:F3}"))}");
        Row("text encoding (2 × TextEncode)", r => r.TextEncodeMs);
        Row("KSampler node", r => r.SamplerNodeMs);
        Row("  sampler loop (start → step 20)", r => r.SamplerLoopMs);
        Row("  steady step (step 1 → 20) / 19", r => r.SteadyStepMs);
        Console.WriteLine($"  {"  UNet inside the loop (20 × bare)",-36}{string.Concat(Methods.Select(_ => $"{pureLoop,11:F2} ms"))}");
        Row("VAE decode", r => r.VaeDecodeMs);
        Row("whole run", r => r.TotalMs);
        Row("previews sent", r => r.Previews, "  ");
        RatioRow("ratio loop / UNet (paired)", p => p.Run.SamplerLoopMs / (Steps * p.PureStep));
        RatioRow("ratio steady step / UNet (paired)", p => p.Run.SteadyStepMs / p.PureStep);
        Console.WriteLine($"  bare UNet step (batch 2, same session): {pureStep:F2} ms; target loop / UNet ≤ 1.05; sessions reused by the measured runs: {(sessionsReused ? "yes" : "NO (recompiled)")}");
    }

    private static void Print(string name, PreviewCost cost, double pureStep) =>
        Console.WriteLine($"  {name,-32} frame {cost.FrameMs,7:F2} ms = {cost.FrameMs / pureStep,5:F3} UNet steps   on the sampler thread {cost.OfferMs * 1000,6:F1} µs   {cost.Width}×{cost.Height} JPEG {cost.JpegBytes / 1024.0:F1} KiB");

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NodeDiffusion.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No NodeDiffusion.sln above {AppContext.BaseDirectory}.");
    }

    private sealed record PairedRun(RunTimings Run, double PureStep);
}
