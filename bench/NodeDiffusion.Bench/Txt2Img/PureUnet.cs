using System.Diagnostics;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Runtime;

namespace NodeDiffusion.Bench.Txt2Img;

/// <summary>
/// The UNet session the sampler uses, run bare through a <see cref="BoundRunner"/> at the sampler's shapes (batch 2 for
/// CFG: [uncond; cond]): the floor the sampler loop is compared against.
/// </summary>
internal sealed class PureUnet : IDisposable
{
    private readonly BoundRunner _runner;

    public PureUnet(ModelSession unet, UNet2DConditionConfig config, int latentSide, int tokens)
    {
        _runner = new BoundRunner(unet,
            new Dictionary<string, long[]>
            {
                ["sample"] = [2, config.InChannels, latentSide, latentSide],
                ["timestep"] = [2],
                ["encoder_hidden_states"] = [2, tokens, config.CrossAttentionDim],
            },
            new Dictionary<string, long[]> { ["out_sample"] = [2, config.InChannels, latentSide, latentSide] });
        var context = _runner.Input("encoder_hidden_states").Data;
        for (var i = 0; i < context.Length; i++)
        {
            context[i] = MathF.Sin(i * 0.01f);
        }
        var sample = _runner.Input("sample").Data;
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = MathF.Cos(i * 0.013f);
        }
        Array.Fill(_runner.Input("timestep").Data, 500f);
    }

    /// <summary>Milliseconds per UNet run over <paramref name="steps"/> consecutive runs.</summary>
    public double StepMs(int steps)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
        {
            _runner.Run();
        }
        return clock.Elapsed.TotalMilliseconds / steps;
    }

    public void Dispose() => _runner.Dispose();
}
