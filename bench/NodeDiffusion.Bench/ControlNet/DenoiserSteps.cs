using System.Diagnostics;
using NodeDiffusion.Bench.Txt2Img;
using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Nodes.Diffusion.Control;
using NodeDiffusion.Nodes.Diffusion.Sampling;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Bench.ControlNet;

/// <summary>
/// Single guided steps (256×256, cfg 8) of the sampler's denoisers on the demo models, each case one step at a time in
/// rotating order so that load from other processes hits every case of a round alike: the plain single-pass step, and
/// the conditioned path batched (one call per group of compatible entries) and one call per entry (the path before
/// batching). Wall time and process CPU time per step, and each over the plain step of its round; medians.
/// </summary>
internal static class DenoiserSteps
{
    private const float Cfg = 8f;
    private const int Side = 32;

    public static void Report(DiffusionModels models, int rounds)
    {
        var reference = models.Resolve(DemoCheckpoint.Name);
        var checkpoint = models.Open(reference);
        var model = new ModelHandle(reference);
        var latent = new LatentBatch(1, 4, Side, Side, Values(4 * Side * Side, seed: 1, scale: 2f));
        var dim = checkpoint.Unet.CrossAttentionDim;
        var cond = new ConditioningEntry(Values(77 * dim, seed: 2, scale: 1f), 77, dim, new float[dim]);
        var uncond = new ConditioningEntry(Values(77 * dim, seed: 3, scale: 1f), 77, dim, new float[dim]);
        var net = ControlNetFolder.Resolve(models, DemoControlNet.FileName);
        var hint = ImageBatch.Filled(1, 256, 256, 1f, 1f, 1f);
        var always = EquatableList<ControlNetApplication>.Empty.Add(new ControlNetApplication(net, hint, 1.0, 0.0, 1.0));
        var late = EquatableList<ControlNetApplication>.Empty.Add(new ControlNetApplication(net, hint, 1.0, 0.5, 1.0));

        var disposables = new List<IDisposable>();
        try
        {
            var plain = new UnetEpsilonModel(models.Compiled.Unet(checkpoint), latent, cond, uncond);
            disposables.Add(plain);
            var length = latent.Samples.Length;
            var cases = new List<(string Name, DenoiseFunction Denoise, float Sigma)>
            {
                ("plain single pass", ClassifierFreeGuidance.Wrap(plain.Denoiser(2 * length), Cfg, length), 1f),
            };
            void Add(string name, ConditioningList positive, ConditioningList negative, float sigma)
            {
                foreach (var batched in new[] { false, true })
                {
                    var denoiser = new ConditionedDenoiser(models, checkpoint, model, latent, positive, negative, Cfg, batched);
                    disposables.Add(denoiser);
                    cases.Add(($"{name}, {(batched ? "batched" : "per entry")} ({denoiser.CallsPerStep} calls)", denoiser.Denoiser, sigma));
                }
            }
            Add("ControlNet acting", List(cond with { Control = always }), List(uncond with { Control = always }), 1f);
            Add("ControlNet outside range", List(cond with { Control = late }), List(uncond with { Control = late }), 8f);
            Add("positive combined w/ itself", List(cond, cond), List(uncond), 1f);

            var output = new float[length];
            foreach (var (_, denoise, sigma) in cases)
            {
                denoise(latent.Samples, sigma, output); // warm-up: sessions, first runs
                denoise(latent.Samples, sigma, output);
            }
            var wall = cases.ToDictionary(c => c.Name, _ => new List<double>());
            var cpu = cases.ToDictionary(c => c.Name, _ => new List<double>());
            var wallRatio = cases.ToDictionary(c => c.Name, _ => new List<double>());
            var cpuRatio = cases.ToDictionary(c => c.Name, _ => new List<double>());
            using var process = Process.GetCurrentProcess();
            for (var round = 0; round < rounds; round++)
            {
                var times = new Dictionary<string, (double Wall, double Cpu)>();
                for (var i = 0; i < cases.Count; i++)
                {
                    var (name, denoise, sigma) = cases[(i + round) % cases.Count];
                    process.Refresh();
                    var cpuStart = process.TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    denoise(latent.Samples, sigma, output);
                    var elapsed = clock.Elapsed.TotalMilliseconds;
                    process.Refresh();
                    times[name] = (elapsed, (process.TotalProcessorTime - cpuStart).TotalMilliseconds);
                    wall[name].Add(times[name].Wall);
                    cpu[name].Add(times[name].Cpu);
                }
                foreach (var (name, _, _) in cases)
                {
                    wallRatio[name].Add(times[name].Wall / times[cases[0].Name].Wall);
                    cpuRatio[name].Add(times[name].Cpu / times[cases[0].Name].Cpu);
                }
            }
            Console.WriteLine($"One guided step (256×256, cfg 8, demo models, denoisers called directly), median of {rounds} rotating rounds:");
            Console.WriteLine($"  {"case",-52}{"wall",11}{"/ plain",9}{"CPU",11}{"/ plain",9}");
            foreach (var (name, _, _) in cases)
            {
                Console.WriteLine($"  {name,-52}{Stats.Median(wall[name]),8:F1} ms{Stats.Median(wallRatio[name]),9:F3}{Stats.Median(cpu[name]),8:F1} ms{Stats.Median(cpuRatio[name]),9:F3}");
            }
        }
        finally
        {
            disposables.ForEach(d => d.Dispose());
        }
    }

    private static ConditioningList List(params ConditioningEntry[] entries) => new([.. entries]);

    private static float[] Values(int length, int seed, float scale)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5) * scale;
        }
        return values;
    }
}
