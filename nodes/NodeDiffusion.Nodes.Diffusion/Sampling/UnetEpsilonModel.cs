using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// The UNet as an ε-model for the sampler: one bound run per step over a batch of [uncond items; cond items] (or cond
/// items alone when cfg is 1), with buffers bound once so steps allocate nothing.
/// </summary>
internal sealed class UnetEpsilonModel : IDisposable
{
    private readonly BoundRunner _runner;
    private readonly float[] _sample;
    private readonly float[] _timestep;
    private readonly float[] _output;

    private readonly IpAdapterFeed? _ipAdapter;

    public UnetEpsilonModel(ModelSession unet, LatentBatch latent, ConditioningEntry cond, ConditioningEntry? uncond, IpAdapterFeed? ipAdapter = null)
    {
        var halves = uncond is null ? 1 : 2;
        var batch = halves * latent.Batch;
        var tokens = uncond is null ? cond.Tokens : CommonTokens(cond.Tokens, uncond.Tokens);
        if (cond.Dim != (uncond?.Dim ?? cond.Dim))
        {
            throw new NodeException($"positive has {cond.Dim}-wide and negative {uncond!.Dim}-wide embeddings; they must come from the same text encoder.", "negative");
        }
        var inputs = new Dictionary<string, long[]>
        {
            ["sample"] = [batch, latent.Channels, latent.Height, latent.Width],
            ["timestep"] = [batch],
            ["encoder_hidden_states"] = [batch, tokens, cond.Dim],
        };
        ipAdapter?.AddInputs(inputs, batch);
        _runner = new BoundRunner(unet, inputs,
            new Dictionary<string, long[]> { ["out_sample"] = [batch, latent.Channels, latent.Height, latent.Width] });
        _sample = _runner.Input("sample").Data;
        _timestep = _runner.Input("timestep").Data;
        _output = _runner.Output("out_sample").Data;
        var context = _runner.Input("encoder_hidden_states").Data;
        var perItem = tokens * cond.Dim;
        for (var i = 0; i < batch; i++)
        {
            var source = uncond is not null && i < latent.Batch ? uncond : cond;
            Tile(source.Embeddings, context.AsSpan(i * perItem, perItem));
        }
        ipAdapter?.Bind(_runner, batch, uncond is null ? 0 : latent.Batch);
        _ipAdapter = ipAdapter;
    }

    public void Predict(ReadOnlySpan<float> scaledInput, float timestep, Span<float> eps)
    {
        scaledInput.CopyTo(_sample);
        Array.Fill(_timestep, timestep);
        _runner.Run();
        _output.AsSpan(0, eps.Length).CopyTo(eps);
    }

    public void Dispose() => _runner.Dispose();

    /// <summary>Repeats a [T, D] embedding to fill [T·k, D], as ComfyUI repeats prompts of different lengths to their LCM.</summary>
    private static void Tile(float[] embedding, Span<float> destination)
    {
        for (var offset = 0; offset < destination.Length; offset += embedding.Length)
        {
            embedding.AsSpan(0, Math.Min(embedding.Length, destination.Length - offset)).CopyTo(destination[offset..]);
        }
    }

    private static int CommonTokens(int cond, int uncond) =>
        SlotGrouping.ContextsConcatenate(cond, uncond)
            ? SlotGrouping.CommonTokens(cond, uncond)
            : throw new InvalidOperationException($"Contexts of {cond} and {uncond} tokens do not share a batch; the conditioned denoiser runs them apart.");

    /// <summary>The sampler's view: ComfyUI's EPS model call over this UNet.</summary>
    public DenoiseFunction Denoiser(int length)
    {
        var denoiser = EpsilonDenoiser.Create(ModelSamplingDiscrete.StableDiffusion15, Predict, length);
        if (_ipAdapter is not { } ipAdapter)
        {
            return denoiser;
        }
        return (x, sigma, denoised) =>
        {
            ipAdapter.SetSigma(sigma);
            denoiser(x, sigma, denoised);
        };
    }
}
