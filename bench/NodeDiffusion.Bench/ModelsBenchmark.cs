using System.Diagnostics;
using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Checkpoints.SingleFile;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Bench;

/// <summary>
/// The model side: compile and session-creation time per demo component, the sampler's per-step overhead over raw UNet
/// runs (same BoundRunner, same shapes; target ratio ≤ 1.03), and optionally one 64×64 step of a full-size SD1.5 UNet
/// with random weights on CPU. Prints numbers; asserts nothing.
/// </summary>
public static partial class ModelsBenchmark
{
    private const int Steps = 20;

    public static void Run(bool fullSizeUnet)
    {
        var factory = new SessionFactory(new SessionOptionsSpec());
        var folder = Path.Combine(Path.GetTempPath(), $"nd-bench-models-{Environment.ProcessId}");
        try
        {
            DemoCheckpoint.Write(folder);
            var demo = DiffusersCheckpoint.Open(folder);
            Console.WriteLine($"Demo checkpoint components (compile = C# graph + weight binding; session = ONNX Runtime creation), device {factory.Spec}:");
            using (Component("text_encoder", factory, () =>
            {
                using var w = demo.OpenTextEncoderWeights();
                return ClipTextGraph.Build(demo.TextEncoder, w);
            }))
            {
            }
            using (Component("vae_decoder", factory, () =>
            {
                using var w = demo.OpenVaeWeights();
                return AutoencoderKLGraph.BuildDecoder(demo.Vae, w);
            }))
            {
            }
            var unet = Component("unet", factory, () =>
            {
                using var w = demo.OpenUnetWeights();
                return UNet2DConditionGraph.Build(demo.Unet, w);
            });
            var single = Path.Combine(folder, "..", $"nd-bench-single-{Environment.ProcessId}.safetensors");
            SingleFileCheckpointWriter.Write(demo, single);
            using (Component("unet (single file)", factory, () =>
            {
                using var w = DiffusersCheckpoint.OpenSingleFile(single).OpenUnetWeights();
                return UNet2DConditionGraph.Build(demo.Unet, w);
            }))
            {
            }
            File.Delete(single);
            using (unet)
            {
                SamplerOverhead(unet, demo.Unet, latentSide: 32, tokens: 77);
            }
            DemoUnetFromDiskCache(factory, demo);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        MidSizeUnetPhases(factory);
        if (fullSizeUnet)
        {
            FullSizeUnet(factory);
        }
    }

    private static ModelSession Component(string name, SessionFactory factory, Func<ModelProto> compile)
    {
        PhaseMemory.Start();
        var clock = Stopwatch.StartNew();
        var model = compile();
        var compileMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var session = factory.Create(model, name);
        Console.WriteLine($"  {name,-20} compile {compileMs,8:F0} ms   session {clock.Elapsed.TotalMilliseconds,8:F0} ms   weights {OnnxModelFile.InitializerBytes(model) / 1e6,8:F2} MB ({model.Graph.Node.Count} nodes) on {session.Device}   {PhaseMemory.Describe()}");
        return session;
    }

    /// <summary>Per step: the sampler (Euler, CFG over a batch of 2, as KSampler runs it) against the bare bound UNet run.</summary>
    private static void SamplerOverhead(ModelSession unet, UNet2DConditionConfig config, int latentSide, int tokens)
    {
        var length = config.InChannels * latentSide * latentSide;
        using var runner = new BoundRunner(unet,
            new Dictionary<string, long[]>
            {
                ["sample"] = [2, config.InChannels, latentSide, latentSide],
                ["timestep"] = [2],
                ["encoder_hidden_states"] = [2, tokens, config.CrossAttentionDim],
            },
            new Dictionary<string, long[]> { ["out_sample"] = [2, config.InChannels, latentSide, latentSide] });
        var context = runner.Input("encoder_hidden_states").Data;
        for (var i = 0; i < context.Length; i++)
        {
            context[i] = MathF.Sin(i * 0.01f);
        }
        var sample = runner.Input("sample").Data;
        var timestep = runner.Input("timestep").Data;
        var output = runner.Output("out_sample").Data;
        void Predict(ReadOnlySpan<float> scaled, float t, Span<float> eps)
        {
            scaled.CopyTo(sample);
            Array.Fill(timestep, t);
            runner.Run();
            output.AsSpan(0, eps.Length).CopyTo(eps);
        }
        var denoise = ClassifierFreeGuidance.Wrap(EpsilonDenoiser.Create(ModelSamplingDiscrete.StableDiffusion15, Predict, 2 * length), 8f, length);
        var request = new KSamplerRequest
        {
            Denoise = denoise,
            LatentImage = new float[length],
            Seed = 42,
            Steps = Steps,
            Sampler = "euler",
            Scheduler = "normal",
        };
        KSampler.Sample(request);                               // warm-up
        for (var i = 0; i < 3; i++)
        {
            runner.Run();
        }

        var raw = new List<double>();
        var sampled = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Steps; i++)
            {
                runner.Run();
            }
            raw.Add(clock.Elapsed.TotalMilliseconds / Steps);
            clock.Restart();
            KSampler.Sample(request);
            sampled.Add(clock.Elapsed.TotalMilliseconds / Steps);
        }
        var rawMedian = raw.Order().ElementAt(raw.Count / 2);
        var sampledMedian = sampled.Order().ElementAt(sampled.Count / 2);
        Console.WriteLine($"Sampler per step at {latentSide * 8}×{latentSide * 8} (batch 2 with CFG, euler/normal, {Steps} steps, median of 5):");
        Console.WriteLine($"  raw UNet run {rawMedian:F2} ms   sampler step {sampledMedian:F2} ms   ratio {sampledMedian / rawMedian:F3} (target ≤ 1.03)");
    }

    /// <summary>An SD1.5-sized UNet (860 M parameters) with random weights, compiled and run once at 64×64 latents.</summary>
    private static void FullSizeUnet(SessionFactory factory)
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Console.WriteLine($"Full-size SD1.5 UNet (random weights), {available / 1e9:F1} GB memory available:");
        var clock = Stopwatch.StartNew();
        using var session = Compile(factory, clock);
        GC.Collect();
        Console.WriteLine($"  session {clock.Elapsed.TotalSeconds:F1} s on {session.Device}, working set {Environment.WorkingSet / 1e9:F1} GB");
        var feeds = new Dictionary<string, HostTensor>
        {
            ["sample"] = FloatTensor.Zeros(2, 4, 64, 64),
            ["timestep"] = new FloatTensor([2], [500f, 500f]),
            ["encoder_hidden_states"] = FloatTensor.Zeros(2, 77, 768),
        };
        for (var i = 0; i < 2; i++)
        {
            clock.Restart();
            session.Run(feeds);
            Console.WriteLine($"  {(i == 0 ? "first" : "second")} step (batch 2 = one CFG step at 512×512) {clock.Elapsed.TotalSeconds:F2} s");
        }
    }

    private static ModelSession Compile(SessionFactory factory, Stopwatch clock)
    {
        var manifest = new WeightManifest();
        UNet2DConditionGraph.Build(Sd15Configs.Unet, manifest);
        var model = UNet2DConditionGraph.Build(Sd15Configs.Unet, new RandomWeights(manifest.Expected));
        Console.WriteLine($"  compile {clock.Elapsed.TotalSeconds:F1} s, {OnnxModelFile.InitializerBytes(model) / 1e9:F2} GB of weights, working set {Environment.WorkingSet / 1e9:F1} GB");
        clock.Restart();
        return factory.Create(model, "sd15-unet-random");
    }

    /// <summary>Small deterministic pseudo-random weights, made when the builder asks for them.</summary>
    internal sealed class RandomWeights(IReadOnlyList<ExpectedWeight> expected) : IWeightSource
    {
        private readonly Dictionary<string, long[]> _shapes = expected.ToDictionary(e => e.Name, e => e.Shape);

        public IReadOnlyCollection<string> Names => _shapes.Keys;

        public string Description => "random SD1.5 UNet weights";

        public bool Contains(string name) => _shapes.ContainsKey(name);

        public long[] GetShape(string name) => _shapes[name];

        public WeightTensor Read(string name)
        {
            var shape = _shapes[name];
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            var state = (uint)name.GetHashCode(StringComparison.Ordinal) | 1u;
            var scale = name.Contains("norm", StringComparison.Ordinal) && name.EndsWith("weight", StringComparison.Ordinal) ? 0f : 0.02f;
            for (var i = 0; i < values.Length; i++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                values[i] = (scale == 0f ? 1f : ((state / (float)uint.MaxValue) - 0.5f) * scale);
            }
            return WeightTensor.FromValues(name, shape, values);
        }
    }
}
