using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.IpAdapter;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// Feeds an IP-Adapter patch to the UNet compiled with it: image tokens per batch item (unconditional tokens for the
/// unconditional half, as IPAdapter_plus does) and per-layer scales, switched per step to zero outside
/// [percent_to_sigma(end_at), percent_to_sigma(start_at)] — the same session serves every weight and range.
/// </summary>
internal sealed class IpAdapterFeed
{
    private readonly IpAdapterPatch _patch;
    private readonly float[] _out, _k, _v, _vMean;
    private readonly SigmaRange _range;
    private float[]? _outInput, _kInput, _vInput, _vMeanInput;
    private bool? _active;

    public IpAdapterFeed(IpAdapterPatch patch)
    {
        _patch = patch;
        var scales = IpAdapterScales.From(patch);
        (_out, _k, _v, _vMean) = (scales.Out, scales.K, scales.V, scales.VMean);
        _range = SigmaRange.FromPercents(patch.StartAt, patch.EndAt);
    }

    /// <summary>
    /// The UNet session for <paramref name="model"/>: its LoRAs, hypernetworks and IP-Adapter compiled in, and with ControlNet
    /// residual inputs when <paramref name="controlNetResiduals"/>.
    /// </summary>
    public static ModelSession Session(DiffusionModels models, DiffusersCheckpoint checkpoint, ModelHandle model, bool controlNetResiduals = false)
    {
        if (model.IpAdapters.Count > 0 && !checkpoint.HasWeights)
        {
            throw new NodeException(checkpoint.NeedsWeights("an IP-Adapter").Message, "model");
        }
        if (model.Hypernetworks.Count > 0 && !checkpoint.HasWeights)
        {
            throw new NodeException(checkpoint.NeedsWeights("a hypernetwork").Message, "model");
        }
        var ipAdapter = model.IpAdapters.Count == 0
            ? null
            : model.IpAdapters[0].Adapter.ToApplication() with { AttentionMask = model.IpAdapters[0].AttnMask is not null };
        return models.Compiled.Unet(checkpoint, new UnetVariant(model.LoraApplications, model.HypernetworkApplications, ipAdapter, controlNetResiduals));
    }

    public static IpAdapterFeed? For(ModelHandle model) => model.IpAdapters.Count == 0 ? null : new IpAdapterFeed(model.IpAdapters[0]);

    public void AddInputs(Dictionary<string, long[]> inputs, int batch)
    {
        inputs[IpAdapterLayerScales.TokensInput] = [batch, _patch.Tokens.Count, _patch.Tokens.Channels];
        foreach (var name in new[] { IpAdapterLayerScales.OutScaleInput, IpAdapterLayerScales.KScaleInput, IpAdapterLayerScales.VScaleInput, IpAdapterLayerScales.VMeanScaleInput })
        {
            inputs[name] = [_out.Length];
        }
        if (_patch.AttnMask is { } mask)
        {
            inputs[IpAdapterLayerScales.MaskInput] = [batch, 1, mask.Height, mask.Width];
        }
    }

    /// <summary>Writes the tokens of each batch item: the first <paramref name="uncondItems"/> get the unconditional tokens.</summary>
    public void Bind(BoundRunner runner, int batch, int uncondItems)
    {
        var latentBatch = uncondItems > 0 ? uncondItems : batch;
        var chunks = new bool[batch / latentBatch];
        chunks[0] = uncondItems > 0;
        Bind(runner, latentBatch, chunks);
    }

    /// <summary>
    /// Writes the tokens of a batch of chunks of <paramref name="latentBatch"/> items each (ComfyUI's cond_or_uncond):
    /// the unconditional tokens for the chunks marked in <paramref name="unconditionalChunks"/>, the image's for the others.
    /// </summary>
    public void Bind(BoundRunner runner, int latentBatch, IReadOnlyList<bool> unconditionalChunks)
    {
        var tokens = runner.Input(IpAdapterLayerScales.TokensInput).Data;
        var per = _patch.Tokens.Cond.Length;
        var batch = latentBatch * unconditionalChunks.Count;
        for (var i = 0; i < batch; i++)
        {
            (unconditionalChunks[i / latentBatch] ? _patch.Tokens.Uncond : _patch.Tokens.Cond).CopyTo(tokens, i * per);
        }
        if (_patch.AttnMask is { } mask)
        {
            // Each chunk gets the masks of its items; a shorter mask batch repeats its last mask (IPAdapter_plus' tensor_to_size).
            var masks = runner.Input(IpAdapterLayerScales.MaskInput).Data;
            var plane = mask.Height * mask.Width;
            for (var i = 0; i < batch; i++)
            {
                mask.Values.AsSpan(Math.Min(i % latentBatch, mask.Batch - 1) * plane, plane).CopyTo(masks.AsSpan(i * plane));
            }
        }
        _outInput = runner.Input(IpAdapterLayerScales.OutScaleInput).Data;
        _kInput = runner.Input(IpAdapterLayerScales.KScaleInput).Data;
        _vInput = runner.Input(IpAdapterLayerScales.VScaleInput).Data;
        _vMeanInput = runner.Input(IpAdapterLayerScales.VMeanScaleInput).Data;
        SetSigma(float.PositiveInfinity);
    }

    /// <summary>Sets the scales for a model call at <paramref name="sigma"/> (ComfyUI: active iff σ_end ≤ σ ≤ σ_start).</summary>
    public void SetSigma(float sigma)
    {
        var active = _range.Contains(sigma);
        if (_active == active || _outInput is null)
        {
            return;
        }
        _active = active;
        if (active)
        {
            _out.CopyTo(_outInput, 0);
            _k.CopyTo(_kInput!, 0);
            _v.CopyTo(_vInput!, 0);
            _vMean.CopyTo(_vMeanInput!, 0);
        }
        else
        {
            Array.Fill(_outInput, 0f);
            Array.Fill(_kInput!, 1f);
            Array.Fill(_vInput!, 1f);
            Array.Fill(_vMeanInput!, 0f);
        }
    }
}
