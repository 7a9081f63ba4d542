using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Control;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// One ControlNet of the chain shared by a batch of entries, bound once at their crop size: its hint resized to the crop
/// ×8 (for each entry's chunk of latent-batch items), its strength as conditioning_scale and the entries' contexts are
/// written at setup; a step writes x and t and runs. Active only while σ_end ≤ σ ≤ σ_start (ComfyUI's timestep_range in σ).
/// </summary>
internal sealed class ControlRunner : IDisposable
{
    private readonly BoundRunner _runner;
    private readonly float[] _sample;
    private readonly float[] _timestep;
    private readonly SigmaRange _range;

    /// <param name="latentBatch">Items per chunk: the hint's batch repeats per chunk, as each entry alone would see it.</param>
    public ControlRunner(ModelSession session, ControlNetApplication application, ResidualShapes shapes, int latentBatch, float[] context, long[] contextShape, SigmaRange range)
    {
        var (batch, channels, height, width) = shapes.Sample;
        var inputs = new Dictionary<string, long[]>
        {
            ["sample"] = [batch, channels, height, width],
            ["timestep"] = [batch],
            ["encoder_hidden_states"] = contextShape,
            ["controlnet_cond"] = [batch, 3, height * 8, width * 8],
            ["conditioning_scale"] = [1],
        };
        _runner = new BoundRunner(session, inputs, shapes.All);
        _sample = _runner.Input("sample").Data;
        _timestep = _runner.Input("timestep").Data;
        context.CopyTo(_runner.Input("encoder_hidden_states").Data, 0);
        var hint = _runner.Input("controlnet_cond").Data;
        var chunk = latentBatch * 3 * height * 8 * width * 8;
        HintImage.Write(application.Hint, latentBatch, height * 8, width * 8, hint.AsSpan(0, chunk));
        for (var offset = chunk; offset < hint.Length; offset += chunk)
        {
            hint.AsSpan(0, chunk).CopyTo(hint.AsSpan(offset, chunk));
        }
        _runner.Input("conditioning_scale").Data[0] = (float)application.Strength;
        _range = range;
    }

    public bool IsActive(float sigma) => _range.Contains(sigma);

    /// <summary>Runs on the scaled input; the residuals are then in <see cref="Output"/>.</summary>
    public void Run(ReadOnlySpan<float> scaledInput, float timestep)
    {
        scaledInput.CopyTo(_sample);
        Array.Fill(_timestep, timestep);
        _runner.Run();
    }

    public float[] Output(string name) => _runner.Output(name).Data;

    public void Dispose() => _runner.Dispose();
}
