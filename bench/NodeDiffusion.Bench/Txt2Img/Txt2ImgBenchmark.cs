using System.Text.Json;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Nodes.Diffusion.Previews;
using NodeDiffusion.Nodes.Diffusion.Services;

namespace NodeDiffusion.Bench.Txt2Img;

/// <summary>
/// workflows/txt2img.json (20 steps, 256×256, euler/normal, cfg 8) on the demo checkpoint through the real engine: the
/// wall-time split from the engine's events, the sampler loop against the same UNet session run bare (target ratio
/// ≤ 1.05), the loop with previews on and off, and what one preview frame costs against one UNet step. Prints numbers;
/// asserts nothing.
/// </summary>
public static class Txt2ImgBenchmark
{
    private const int Steps = 20;
    private const int LatentSide = 256 / 8;
    private const int Tokens = 77;

    public static async Task RunAsync(int rounds)
    {
        var baseDirectory = Path.Combine(Path.GetTempPath(), $"nd-bench-txt2img-{Environment.ProcessId}");
        try
        {
            DemoCheckpoint.EnsureExists(Path.Combine(baseDirectory, "models"));
            var host = EngineHost.Create(EngineSettings.Under(baseDirectory));
            var workflow = WorkflowJson.ParseFile(Path.Combine(RepositoryRoot(), "workflows", "txt2img.json")).Workflow!;
            workflow.Nodes["3"].Inputs["steps"] = JsonSerializer.SerializeToElement(Steps);

            var models = host.Services.Get<DiffusionModels>();
            var checkpoint = models.Open(models.Resolve(DemoCheckpoint.Name));
            await RunAsync(host, workflow, PreviewMethod.Auto); // warm-up: compiles every session, first runs
            var compilations = models.Compiled.Compilations;
            using var unet = new PureUnet(models.Compiled.Unet(checkpoint), checkpoint.Unet, LatentSide, Tokens);
            unet.StepMs(3);

            // Each engine run is paired with a bare-UNet measurement just before it, and the order of the preview
            // settings alternates, so load from other processes and drift hit both sides of each ratio alike.
            var pure = new List<double>();
            var withPreviews = new List<(RunTimings Run, double PureStep)>();
            var withoutPreviews = new List<(RunTimings Run, double PureStep)>();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var previews in round % 2 == 0 ? new[] { PreviewMethod.Auto, PreviewMethod.None } : [PreviewMethod.None, PreviewMethod.Auto])
                {
                    var pureStep = unet.StepMs(Steps);
                    pure.Add(pureStep);
                    (previews == PreviewMethod.Auto ? withPreviews : withoutPreviews).Add((await RunAsync(host, workflow, previews), pureStep));
                }
            }
            var sessionsReused = models.Compiled.Compilations == compilations;
            Report(rounds, Stats.Median(pure), withPreviews, withoutPreviews, sessionsReused, models.Compiled.Unet(checkpoint).Device.ToString());
            PreviewCosts(host, models, baseDirectory, Stats.Median(pure));
        }
        finally
        {
            Directory.Delete(baseDirectory, recursive: true);
        }
    }

    private static async Task<RunTimings> RunAsync(EngineHost host, Workflow workflow, PreviewMethod previews)
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
            var stamp = System.Diagnostics.Stopwatch.GetTimestamp();
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

    private static void Report(int rounds, double pureStep, List<(RunTimings Run, double PureStep)> on, List<(RunTimings Run, double PureStep)> off, bool sessionsReused, string device)
    {
        double M(List<(RunTimings Run, double PureStep)> runs, Func<RunTimings, double> pick) => Stats.Median(runs.Select(r => pick(r.Run)));
        double Ratio(List<(RunTimings Run, double PureStep)> runs, Func<RunTimings, double> pick, int steps) => Stats.Median(runs.Select(r => pick(r.Run) / (steps * r.PureStep)));
        var pureLoop = pureStep * Steps;
        Console.WriteLine($"txt2img {Steps} steps at 256×256 on the demo checkpoint (workflows/txt2img.json through the engine) on {device}, median of {rounds} runs each after a warm-up:");
        Console.WriteLine($"  {"",-36}{"previews auto",14}{"previews none",14}");
        void Row(string name, Func<RunTimings, double> pick, string unit = "ms") =>
            Console.WriteLine($"  {name,-36}{M(on, pick),11:F2} {unit}{M(off, pick),11:F2} {unit}");
        Row("text encoding (2 × TextEncode)", r => r.TextEncodeMs);
        Row("KSampler node", r => r.SamplerNodeMs);
        Row("  sampler loop (start → step 20)", r => r.SamplerLoopMs);
        Row("  steady step (step 1 → 20) / 19", r => r.SteadyStepMs);
        Console.WriteLine($"  {"  UNet inside the loop (20 × bare)",-36}{pureLoop,11:F2} ms{pureLoop,11:F2} ms");
        Row("VAE decode", r => r.VaeDecodeMs);
        Row("whole run", r => r.TotalMs);
        Row("previews sent", r => r.Previews, "  ");
        Console.WriteLine($"  bare UNet step (batch 2, same session): {pureStep:F2} ms; sessions reused by the measured runs: {(sessionsReused ? "yes" : "NO (recompiled)")}");
        Console.WriteLine($"  ratio sampler loop / UNet (paired): {Ratio(on, r => r.SamplerLoopMs, Steps):F3} previews auto   {Ratio(off, r => r.SamplerLoopMs, Steps):F3} previews none   target ≤ 1.05");
        Console.WriteLine($"  ratio steady step / UNet (paired):  {Ratio(on, r => r.SteadyStepMs, 1):F3} previews auto   {Ratio(off, r => r.SteadyStepMs, 1):F3} previews none");
        Console.WriteLine($"  previews' cost in the loop: {M(on, r => r.SamplerLoopMs) - M(off, r => r.SamplerLoopMs):F2} ms over {M(on, r => r.Previews):F0} frames (difference of medians)");
    }

    private static void PreviewCosts(EngineHost host, DiffusionModels models, string baseDirectory, double pureStep)
    {
        const int frames = 20;
        Console.WriteLine($"Preview frame cost (LatentPreviewer, JPEG ≤ 512 px, median of {frames}) against the {pureStep:F2} ms UNet step:");
        var latent2Rgb = PreviewCost.Measure(new NodeServices().Add(new PreviewOptions(PreviewMethod.Latent2Rgb)), 4, LatentSide, frames);
        Print("latent2rgb (4 ch)", latent2Rgb, pureStep);

        var installed = host.Services.Get<TaesdPreviewDecoders>();
        if (installed.Find(4) is not null)
        {
            var services = new NodeServices().Add(installed).Add(new PreviewOptions(PreviewMethod.Taesd));
            Print("TAESD (taesd_decoder, 4 ch)", PreviewCost.Measure(services, 4, LatentSide, frames), pureStep);
            return;
        }
        Console.WriteLine($"  TAESD: no taesd_decoder in models/{TaesdPreviewDecoders.Folder}; SD1.x TAESD previews not measured.");
        var taef2 = Path.Combine(RepositoryRoot(), "..", "shared", "real-data", "taesd", "taef2_decoder.pth");
        if (!File.Exists(taef2))
        {
            Console.WriteLine("  TAEF2 stand-in: shared/real-data/taesd/taef2_decoder.pth not found; skipped.");
            return;
        }
        // The same TAESD decoder architecture with FLUX.2's 32 input channels, at the same 32×32 latent: an upper bound for SD1.x's.
        var roots = StorageRoots.Under(Path.Combine(baseDirectory, "taef2"));
        Directory.CreateDirectory(Path.Combine(roots.Models, TaesdPreviewDecoders.Folder));
        File.Copy(taef2, Path.Combine(roots.Models, TaesdPreviewDecoders.Folder, "taef2_decoder.pth"));
        using var decoders = new TaesdPreviewDecoders(roots, models.Compiled.Factory);
        var standIn = new NodeServices().Add(decoders).Add(new PreviewOptions(PreviewMethod.Taesd));
        Print("TAESD arch. (taef2, 32 ch)", PreviewCost.Measure(standIn, 32, LatentSide, frames), pureStep);
    }

    private static void Print(string name, PreviewCost cost, double pureStep) =>
        Console.WriteLine($"  {name,-28} frame {cost.FrameMs,7:F2} ms = {cost.FrameMs / pureStep,5:F2} UNet steps   on the sampler thread {cost.OfferMs * 1000,7:F1} µs   {cost.Width}×{cost.Height} JPEG {cost.JpegBytes / 1024.0:F1} KiB");

    private static string RepositoryRoot()
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
}
