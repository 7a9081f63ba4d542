using System.Diagnostics;
using NodeDiffusion.Bench.Txt2Img;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.Sampling;

namespace NodeDiffusion.Bench.ControlNet;

/// <summary>
/// The two ways to run the UNet at steps outside a ControlNet's range: compile (and keep) a second session without
/// residual inputs, or run the residual session with zero residuals. Times both compilations (C# graph, weight binding,
/// ONNX Runtime session) and the two step times, interleaved, at batch 2.
/// </summary>
internal static class SecondUnetOrZeros
{
    /// <param name="weights">The checkpoint's weights (opened objects go to the list for disposal); null for random weights.</param>
    public static void Report(SessionFactory factory, string name, UNet2DConditionConfig config, Func<List<IDisposable>, IWeightSource>? weights, int latentSide, int repetitions)
    {
        var open = new List<IDisposable>();
        try
        {
            var (plain, plainMs) = Compile(factory, config, residuals: false, weights, open, name);
            var (controlled, controlledMs) = Compile(factory, config, residuals: true, weights, open, name);
            using (plain)
            using (controlled)
            {
                using var plainRunner = Runner(plain, config, latentSide, residuals: false);
                using var zeroRunner = Runner(controlled, config, latentSide, residuals: true);
                plainRunner.Run();
                zeroRunner.Run();
                var (plainSteps, zeroSteps) = (new List<double>(), new List<double>());
                for (var i = 0; i < repetitions; i++)
                {
                    plainSteps.Add(Time(plainRunner));
                    zeroSteps.Add(Time(zeroRunner));
                }
                var same = plainRunner.Output("out_sample").Data.AsSpan().SequenceEqual(zeroRunner.Output("out_sample").Data);
                var (plainStep, zeroStep) = (Stats.Median(plainSteps), Stats.Median(zeroSteps));
                Console.WriteLine($"  compile + session: without residual inputs {plainMs,8:F0} ms, with {controlledMs,8:F0} ms");
                Console.WriteLine($"  step (median of {repetitions}): plain UNet {plainStep,8:F2} ms, residual UNet with zero residuals {zeroStep,8:F2} ms ({(zeroStep / plainStep) - 1:+0.0%;-0.0%}); outputs bit-identical: {(same ? "yes" : "NO")}");
                var extra = zeroStep - plainStep;
                Console.WriteLine(extra > 0
                    ? $"  the second UNet pays for itself after {plainMs / extra:F0} out-of-range steps"
                    : "  zero residuals cost nothing measurable per step");
            }
        }
        finally
        {
            open.ForEach(o => o.Dispose());
        }
    }

    private static (ModelSession Session, double Ms) Compile(SessionFactory factory, UNet2DConditionConfig config, bool residuals, Func<List<IDisposable>, IWeightSource>? weights, List<IDisposable> open, string name)
    {
        var clock = Stopwatch.StartNew();
        IWeightSource source;
        if (weights is null)
        {
            var manifest = new WeightManifest();
            UNet2DConditionGraph.Build(config, manifest);
            source = new ModelsBenchmark.RandomWeights(manifest.Expected);
        }
        else
        {
            source = weights(open);
        }
        var model = UNet2DConditionGraph.Build(config, source, new UNetGraphOptions(ControlNetResiduals: residuals));
        var session = factory.Create(model, $"{name}-unet{(residuals ? "+controlnet" : "")}");
        return (session, clock.Elapsed.TotalMilliseconds);
    }

    private static BoundRunner Runner(ModelSession session, UNet2DConditionConfig config, int latentSide, bool residuals)
    {
        var inputs = new Dictionary<string, long[]>
        {
            ["sample"] = [2, config.InChannels, latentSide, latentSide],
            ["timestep"] = [2],
            ["encoder_hidden_states"] = [2, 77, config.CrossAttentionDim],
        };
        if (residuals)
        {
            foreach (var (input, shape) in ResidualShapes.For(config, 2, latentSide, latentSide).All)
            {
                inputs[input] = shape;
            }
        }
        var runner = new BoundRunner(session, inputs, new Dictionary<string, long[]> { ["out_sample"] = [2, config.InChannels, latentSide, latentSide] });
        var context = runner.Input("encoder_hidden_states").Data;
        for (var i = 0; i < context.Length; i++)
        {
            context[i] = MathF.Sin(i * 0.01f);
        }
        var sample = runner.Input("sample").Data;
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = MathF.Cos(i * 0.013f);
        }
        Array.Fill(runner.Input("timestep").Data, 500f);
        return runner;
    }

    private static double Time(BoundRunner runner)
    {
        var clock = Stopwatch.StartNew();
        runner.Run();
        return clock.Elapsed.TotalMilliseconds;
    }
}
