using System.Numerics.Tensors;
using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// The guided denoiser for conditionings the single-pass path cannot take: several entries, areas, strengths and
/// ControlNets. Each side is ComfyUI's <c>calc_cond_batch</c>: Σ D_e·w_e / (Σ w_e + 1e-37) over its entries, then CFG;
/// entries of both sides that can share a model call run as one batch (<see cref="SlotGrouping"/>). A batch with a
/// ControlNet chain runs its UNet with zero residuals at steps where no ControlNet acts (adding 0 is exact, so this is
/// bit-identical to the UNet without residual inputs, whose second compilation and memory it saves). Only where each
/// side is one plain entry but the two could not share a call does the single-pass path run at such steps.
/// </summary>
internal sealed class ConditionedDenoiser : IDisposable
{
    private const float EmptyCount = 1e-37f;

    private readonly ModelSamplingDiscrete _sampling = ModelSamplingDiscrete.StableDiffusion15;
    private readonly List<ConditionSlot> _cond = [];
    private readonly List<ConditionSlot> _uncond = [];
    private readonly List<SlotBatch> _batches = [];
    private readonly List<ControlRunner> _allControls = [];
    private readonly float[] _sum;
    private readonly float[] _counts;
    private readonly float[] _uncondOut;
    private readonly float _cfg;
    private readonly bool _singlePassOutsideControl;
    private readonly Func<(UnetEpsilonModel Model, DenoiseFunction Denoise)> _createPlain;
    private (UnetEpsilonModel Model, DenoiseFunction Denoise)? _plain;

    /// <param name="negative">null when cfg is 1 (ComfyUI skips the uncond pass).</param>
    /// <param name="batched">false: one model call per entry, as before batching (kept to compare against).</param>
    public ConditionedDenoiser(DiffusionModels models, DiffusersCheckpoint checkpoint, ModelHandle model, LatentBatch latent, ConditioningList positive, ConditioningList? negative, float cfg, bool batched = true)
    {
        _cfg = cfg;
        Denoiser = Denoise;
        var length = latent.Samples.Length;
        (_sum, _counts, _uncondOut) = (new float[length], new float[length], new float[length]);
        var cond = positive.Entries.ToList();
        var uncond = negative?.Entries.ToList() ?? [];
        if (negative is not null)
        {
            AreaPairing.Complete(cond, uncond, latent.Height, latent.Width);
        }
        var simple = IsPlain(positive) && (negative is null || IsPlain(negative));
        var loras = model.LoraApplications;
        _createPlain = () =>
        {
            var unet = new UnetEpsilonModel(IpAdapterFeed.Session(models, checkpoint, model), latent, positive.Entries[0], negative?.Entries[0], IpAdapterFeed.For(model));
            var denoise = negative is not null ? ClassifierFreeGuidance.Wrap(unet.Denoiser(2 * length), cfg, length) : unet.Denoiser(length);
            return (unet, denoise);
        };
        var sessions = new Dictionary<ControlNetHandle, ModelSession>();
        try
        {
            Build(_cond, cond, "positive", unconditional: false);
            Build(_uncond, uncond, "negative", unconditional: true);
            foreach (var group in SlotGrouping.Plan([.. _cond, .. _uncond], latent.Batch, latent.Height, latent.Width, batched))
            {
                var input = group[0].Unconditional ? "negative" : "positive";
                _batches.Add(new SlotBatch(group, latent, checkpoint.Unet,
                    () => IpAdapterFeed.Session(models, checkpoint, model),
                    () => IpAdapterFeed.Session(models, checkpoint, model, controlNetResiduals: true),
                    () => IpAdapterFeed.For(model),
                    (application, shapes, context, contextShape) =>
                    {
                        if (!sessions.TryGetValue(application.Net, out var session))
                        {
                            session = sessions[application.Net] = CompileControlNet(models, checkpoint, application.Net, input);
                        }
                        var runner = new ControlRunner(session, application, shapes, latent.Batch, context, contextShape,
                            SigmaRange.FromPercents(application.StartPercent, application.EndPercent));
                        _allControls.Add(runner);
                        return runner;
                    }));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        _singlePassOutsideControl = simple && _batches.Count > 1 && (negative is null || Concatenate(positive, negative));

        void Build(List<ConditionSlot> slots, List<ConditioningEntry> entries, string input, bool unconditional)
        {
            foreach (var entry in entries)
            {
                if (entry.Dim != checkpoint.Unet.CrossAttentionDim)
                {
                    throw new NodeException($"A {input} conditioning is {entry.Dim} wide but the model expects {checkpoint.Unet.CrossAttentionDim}; use the CLIP of the same checkpoint.", input);
                }
                var area = entry.Area?.Resolve(latent.Height, latent.Width) ?? (latent.Height, latent.Width, 0, 0);
                if (area.Height <= 0 || area.Width <= 0)
                {
                    throw new NodeException($"A {input} conditioning's {entry.Area} lies outside the {latent.Width * 8}×{latent.Height * 8} image.", input);
                }
                slots.Add(new ConditionSlot(entry, latent, area, unconditional));
            }
        }
    }

    /// <summary>Model calls per guided step (the batches entries were grouped into).</summary>
    internal int CallsPerStep => _batches.Count;

    /// <summary>Whether the conditionings need this denoiser rather than the single-pass one.</summary>
    public static bool IsNeeded(ConditioningList positive, ConditioningList? negative) =>
        !IsPlain(positive) || (negative is not null && !IsPlain(negative)) ||
        positive.Entries.Any(e => e.Control.Count > 0) || (negative?.Entries.Any(e => e.Control.Count > 0) ?? false) ||
        (negative is not null && !Concatenate(positive, negative));

    /// <summary>Whether single plain entries of both sides can run as one batch; ComfyUI runs them apart otherwise.</summary>
    private static bool Concatenate(ConditioningList positive, ConditioningList negative) =>
        SlotGrouping.ContextsConcatenate(positive.Entries[0].Tokens, negative.Entries[0].Tokens);

    private static bool IsPlain(ConditioningList list) =>
        list.Entries.Count == 1 && list.Entries[0] is { Area: null, Strength: 1.0 };

    /// <summary>The guided denoiser; one delegate for the whole run.</summary>
    public DenoiseFunction Denoiser { get; }

    private void Denoise(ReadOnlySpan<float> x, float sigma, Span<float> denoised)
    {
        if (_singlePassOutsideControl && !AnyControlActive(sigma))
        {
            _plain ??= _createPlain();
            _plain.Value.Denoise(x, sigma, denoised);
            return;
        }
        var timestep = _sampling.Timestep(sigma);
        foreach (var batch in _batches)
        {
            batch.Run(x, sigma, timestep);
        }
        Side(_cond, denoised);
        if (_uncond.Count > 0)
        {
            Side(_uncond, _uncondOut);
            ClassifierFreeGuidance.Apply(denoised, _uncondOut, _cfg);
        }
    }

    private bool AnyControlActive(float sigma)
    {
        foreach (var control in _allControls)
        {
            if (control.IsActive(sigma))
            {
                return true;
            }
        }
        return false;
    }

    private void Side(List<ConditionSlot> slots, Span<float> result)
    {
        Array.Clear(_sum);
        Array.Fill(_counts, EmptyCount);
        foreach (var slot in slots)
        {
            slot.Accumulate(_sum, _counts);
        }
        TensorPrimitives.Divide(_sum, _counts, result);
    }

    private static ModelSession CompileControlNet(DiffusionModels models, DiffusersCheckpoint checkpoint, ControlNetHandle handle, string input)
    {
        var file = ControlNetFolder.Open(handle, checkpoint, input);
        if (file.Config.ConditioningChannels != 3)
        {
            throw new NodeException($"The ControlNet \"{handle.Name}\" takes a {file.Config.ConditioningChannels}-channel hint; only RGB-hint ControlNets are supported.", input);
        }
        try
        {
            return models.Compiled.ControlNet(checkpoint, file, handle.Fingerprint);
        }
        catch (WeightBindingException e)
        {
            throw new NodeException($"The ControlNet \"{handle.Name}\" does not fit the checkpoint \"{Path.GetFileName(checkpoint.Folder)}\": {e.Message}", input);
        }
    }

    public void Dispose()
    {
        _batches.ForEach(b => b.Dispose());
        _plain?.Model.Dispose();
    }
}
