using System.Text.Json;
using NodeDiffusion.Bench.Txt2Img;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Nodes.Diffusion.Previews;
using NodeDiffusion.Nodes.Diffusion.Services;

namespace NodeDiffusion.Bench.ControlNet;

/// <summary>
/// The conditioned sampler path against the plain one, through the real engine on the demo models (20 steps, 256×256,
/// euler/normal, cfg 8, no previews): txt2img, the ControlNet pose workflow over the whole schedule and over its first
/// half, and a positive combined with itself (two cond entries, no control). Steady step times, medians over rounds
/// whose case order rotates, and each case's step over the plain step of the same round. Then what a ControlNet acting
/// over part of the schedule costs: a second UNet compiled without residual inputs, or the residual UNet fed zeros.
/// First, single guided steps of the denoisers called directly (see <see cref="DenoiserSteps"/>), which pair up better on a
/// loaded machine; <c>--no-engine</c> skips the engine runs.
/// Prints numbers; asserts nothing.
/// </summary>
public static class ControlNetBenchmark
{
    private const int Steps = 20;

    public static async Task RunAsync(int rounds, bool midSize, bool engine)
    {
        var baseDirectory = Path.Combine(Path.GetTempPath(), $"nd-bench-controlnet-{Environment.ProcessId}");
        try
        {
            var settings = EngineSettings.Under(baseDirectory);
            DemoCheckpoint.EnsureExists(settings.Roots.Models);
            var host = EngineHost.Create(settings);
            host.Services.Add(new PreviewOptions(PreviewMethod.None));
            var models = host.Services.Get<DiffusionModels>();
            DenoiserSteps.Report(models, rounds: 4 * rounds);
            if (engine)
            {
                await EngineSteps(host, models, rounds);
            }

            var checkpoint = models.Open(models.Resolve(DemoCheckpoint.Name));
            Console.WriteLine("A ControlNet over part of the schedule: a second UNet without residual inputs, or zero residuals (demo UNet, 32×32 latent, batch 2):");
            SecondUnetOrZeros.Report(models.Compiled.Factory, "demo", checkpoint.Unet, w => UnetWeights(checkpoint, w), latentSide: 32, repetitions: 30);
            if (midSize)
            {
                Console.WriteLine("The same for the mid-size UNet (SD1.5 layout, half the channels, random weights, 64×64 latent):");
                SecondUnetOrZeros.Report(models.Compiled.Factory, "mid-size", ModelsBenchmark.MidSizeUnet, null, latentSide: 64, repetitions: 3);
            }
        }
        finally
        {
            Directory.Delete(baseDirectory, recursive: true);
        }
    }

    private static async Task EngineSteps(EngineHost host, DiffusionModels models, int rounds)
    {
        var cases = Cases();
        var compilations = new Dictionary<string, long>();
        foreach (var (name, workflow) in cases)
        {
            var before = models.Compiled.Compilations;
            await Txt2ImgBenchmark.RunAsync(host, workflow, PreviewMethod.None); // warm-up: compiles, first runs
            compilations[name] = models.Compiled.Compilations - before;
        }
        var steps = cases.ToDictionary(c => c.Name, _ => new List<double>());
        var ratios = cases.ToDictionary(c => c.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            var times = new Dictionary<string, double>();
            for (var i = 0; i < cases.Count; i++)
            {
                var (name, workflow) = cases[(i + round) % cases.Count];
                times[name] = (await Txt2ImgBenchmark.RunAsync(host, workflow, PreviewMethod.None)).SteadyStepMs;
                steps[name].Add(times[name]);
            }
            foreach (var (name, _) in cases)
            {
                ratios[name].Add(times[name] / times[cases[0].Name]);
            }
        }
        Console.WriteLine($"Sampler steps at 256×256, cfg 8, on the demo models through the engine; median of {rounds} rounds after a warm-up (load avg {LoadAverage()}):");
        Console.WriteLine($"  {"case",-34}{"steady step",14}{"/ plain step",14}{"compiled at warm-up",22}");
        foreach (var (name, _) in cases)
        {
            Console.WriteLine($"  {name,-34}{Stats.Median(steps[name]),11:F2} ms{Stats.Median(ratios[name]),14:F3}{compilations[name],22}");
        }
    }

    private static Models.Weights.IWeightSource UnetWeights(Models.Checkpoints.DiffusersCheckpoint checkpoint, List<IDisposable> open)
    {
        var weights = checkpoint.OpenUnetWeights();
        open.Add(weights);
        return weights;
    }

    private static List<(string Name, Workflow Workflow)> Cases()
    {
        var plain = Load("txt2img.json");
        var controlled = Load("controlnet-pose.json");
        var firstHalf = Load("controlnet-pose.json");
        firstHalf.Nodes["12"].Inputs["end_percent"] = JsonSerializer.SerializeToElement(0.5);
        var combined = Load("txt2img.json");
        combined.Nodes["40"] = new WorkflowNode { Type = "ConditioningCombine" };
        combined.Nodes["40"].Links["conditioning_1"] = new LinkRef("6", 0);
        combined.Nodes["40"].Links["conditioning_2"] = new LinkRef("6", 0);
        combined.Nodes["3"].Links["positive"] = new LinkRef("40", 0);
        return
        [
            ("plain (txt2img)", plain),
            ("ControlNet 0–100%", controlled),
            ("ControlNet 0–50%", firstHalf),
            ("positive combined with itself", combined),
        ];
    }

    private static Workflow Load(string file)
    {
        var workflow = WorkflowJson.ParseFile(Path.Combine(Txt2ImgBenchmark.RepositoryRoot(), "workflows", file)).Workflow!;
        workflow.Nodes["3"].Inputs["steps"] = JsonSerializer.SerializeToElement(Steps);
        return workflow;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
