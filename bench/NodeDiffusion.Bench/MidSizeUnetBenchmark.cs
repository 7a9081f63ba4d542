using System.Diagnostics;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Checkpoints.SingleFile;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Bench;

/// <summary>
/// A mid-size UNet (SD1.5's block layout at half the channels, random weights, ~¼ of its parameters): compile time,
/// storing it in the compiled-model disk cache, session creation from memory and from the cached file, and step time,
/// with the peak memory of each phase.
/// </summary>
public static partial class ModelsBenchmark
{
    public static UNet2DConditionConfig MidSizeUnet { get; } = Sd15Configs.Unet with { BlockOutChannels = [160, 320, 640, 640] };

    private static void MidSizeUnetPhases(SessionFactory factory)
    {
        var cacheFolder = Path.Combine(Path.GetTempPath(), $"nd-bench-compiled-{Environment.ProcessId}");
        Console.WriteLine("Mid-size UNet (SD1.5 layout, half channels, random weights):");
        try
        {
            PhaseMemory.Start();
            var clock = Stopwatch.StartNew();
            var manifest = new WeightManifest();
            UNet2DConditionGraph.Build(MidSizeUnet, manifest);
            var model = UNet2DConditionGraph.Build(MidSizeUnet, new RandomWeights(manifest.Expected));
            Console.WriteLine($"  compile            {clock.Elapsed.TotalMilliseconds,8:F0} ms   {OnnxModelFile.InitializerBytes(model) / 1e6:F0} MB of weights   {PhaseMemory.Describe()}");

            PhaseMemory.Start();
            clock.Restart();
            var cache = new CompiledModelCache(cacheFolder);
            var path = cache.GetOrCompile("mid-unet", () => model);
            Console.WriteLine($"  store on disk      {clock.Elapsed.TotalMilliseconds,8:F0} ms   {PhaseMemory.Describe()}");

            PhaseMemory.Start();
            clock.Restart();
            using (var fromMemory = factory.Create(model, "mid-unet"))
            {
                Console.WriteLine($"  session (memory)   {clock.Elapsed.TotalMilliseconds,8:F0} ms   {PhaseMemory.Describe()}");
            }
            model = null;
            GC.Collect();

            PhaseMemory.Start();
            clock.Restart();
            using var session = factory.CreateFromFile(path, "mid-unet-cached");
            Console.WriteLine($"  session (cached)   {clock.Elapsed.TotalMilliseconds,8:F0} ms   {PhaseMemory.Describe()}");

            const int side = 32;
            var feeds = new Dictionary<string, HostTensor>
            {
                ["sample"] = FloatTensor.Zeros(2, 4, side, side),
                ["timestep"] = new FloatTensor([2], [500f, 500f]),
                ["encoder_hidden_states"] = FloatTensor.Zeros(2, 77, MidSizeUnet.CrossAttentionDim),
            };
            PhaseMemory.Start();
            var steps = new List<double>();
            for (var i = 0; i < 4; i++)
            {
                clock.Restart();
                session.Run(feeds);
                steps.Add(clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"  step {side * 8}×{side * 8} b2   first {steps[0],6:F0} ms, median of next 3 {steps.Skip(1).Order().ElementAt(1),6:F0} ms on {session.Device}   {PhaseMemory.Describe()}");
        }
        finally
        {
            if (Directory.Exists(cacheFolder))
            {
                Directory.Delete(cacheFolder, recursive: true);
            }
        }
    }
}
