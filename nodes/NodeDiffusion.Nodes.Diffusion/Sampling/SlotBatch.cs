using System.Numerics.Tensors;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// Entries that ComfyUI's <c>calc_cond_batch</c> concatenates into one model call (see <see cref="SlotGrouping"/>): their
/// crops stacked into one batch of chunks, their contexts tiled to a common length, their shared ControlNet chain run once
/// on the whole batch with its residuals summed into the UNet's inputs (zeros at steps where none acts: one UNet session
/// serves the whole schedule), then D = x − σ·ε̂ for every chunk. Runners and buffers are bound once; a step allocates nothing.
/// </summary>
internal sealed class SlotBatch : IDisposable
{
    private const string OutSample = "out_sample";

    private readonly Func<ModelSession> _plainUnet;
    private readonly Func<ModelSession> _controlledUnet;
    private readonly Func<IpAdapterFeed?> _ipAdapter;
    private readonly int _latentBatch;
    private readonly bool[] _unconditionalChunks;
    private readonly ResidualShapes _shapes;
    private readonly ConditionSlot[] _slots;
    private readonly ControlRunner[] _controls;
    private readonly float[] _context;
    private readonly long[] _contextShape;
    private readonly float[] _crop;
    private readonly float[] _denoised;
    private BoundRunner? _plain;
    private BoundRunner? _controlled;
    private IpAdapterFeed? _plainFeed;
    private IpAdapterFeed? _controlledFeed;
    private bool _residualsAreZero;

    /// <param name="slots">Entries of equal area size and ControlNet chain, contexts of one width.</param>
    /// <param name="control">Binds one ControlNet of the chain at the batch's residual shapes and context.</param>
    public SlotBatch(
        IReadOnlyList<ConditionSlot> slots,
        LatentBatch latent,
        UNet2DConditionConfig unet,
        Func<ModelSession> plainUnet,
        Func<ModelSession> controlledUnet,
        Func<IpAdapterFeed?> ipAdapter,
        Func<ControlNetApplication, ResidualShapes, float[], long[], ControlRunner> control)
    {
        _slots = [.. slots];
        (_plainUnet, _controlledUnet, _ipAdapter) = (plainUnet, controlledUnet, ipAdapter);
        _latentBatch = latent.Batch;
        _unconditionalChunks = slots.Select(s => s.Unconditional).ToArray();
        var first = slots[0];
        var batch = latent.Batch * slots.Count;
        _shapes = ResidualShapes.For(unet, batch, first.Area.Height, first.Area.Width);
        var tokens = slots.Aggregate(first.Entry.Tokens, (t, s) => SlotGrouping.CommonTokens(t, s.Entry.Tokens));
        _contextShape = [batch, tokens, first.Entry.Dim];
        _context = new float[batch * tokens * first.Entry.Dim];
        var perItem = tokens * first.Entry.Dim;
        for (var i = 0; i < batch; i++)
        {
            Tile(slots[i / latent.Batch].Entry.Embeddings, _context.AsSpan(i * perItem, perItem));
        }
        var length = slots.Sum(s => s.Length);
        (_crop, _denoised) = (new float[length], new float[length]);
        var offset = 0;
        foreach (var slot in slots)
        {
            slot.Attach(_crop.AsMemory(offset, slot.Length), _denoised.AsMemory(offset, slot.Length));
            offset += slot.Length;
        }
        var controls = new List<ControlRunner>(first.Entry.Control.Count);
        try
        {
            foreach (var application in first.Entry.Control)
            {
                controls.Add(control(application, _shapes, _context, _contextShape));
            }
        }
        catch
        {
            controls.ForEach(c => c.Dispose());
            throw;
        }
        _controls = [.. controls];
    }

    /// <summary>One model call for every entry of the batch at σ; each slot's D is then in its chunk.</summary>
    public void Run(ReadOnlySpan<float> x, float sigma, float timestep)
    {
        foreach (var slot in _slots)
        {
            slot.CopyCrop(x);
        }
        var active = false;
        foreach (var control in _controls)
        {
            active |= control.IsActive(sigma);
        }
        var controlled = _controls.Length > 0;
        var runner = controlled
            ? _controlled ??= Bind(_controlledUnet(), withResiduals: true, out _controlledFeed)
            : _plain ??= Bind(_plainUnet(), withResiduals: false, out _plainFeed);
        var sample = runner.Input("sample").Data;
        TensorPrimitives.Divide(_crop, MathF.Sqrt((sigma * sigma) + 1f), sample);
        if (active)
        {
            SumResiduals(runner, sample, sigma, timestep);
        }
        else if (controlled && !_residualsAreZero)
        {
            foreach (var name in _shapes.All.Keys)
            {
                Array.Clear(runner.Input(name).Data);
            }
            _residualsAreZero = true;
        }
        (controlled ? _controlledFeed : _plainFeed)?.SetSigma(sigma);
        Array.Fill(runner.Input("timestep").Data, timestep);
        runner.Run();
        TensorPrimitives.MultiplyAdd(runner.Output(OutSample).Data, -sigma, _crop, _denoised);
    }

    private void SumResiduals(BoundRunner runner, float[] sample, float sigma, float timestep)
    {
        var first = true;
        foreach (var control in _controls)
        {
            if (!control.IsActive(sigma))
            {
                continue;
            }
            control.Run(sample, timestep);
            foreach (var name in _shapes.All.Keys)
            {
                var input = runner.Input(name).Data;
                if (first)
                {
                    control.Output(name).CopyTo(input, 0);
                }
                else
                {
                    TensorPrimitives.Add(input, control.Output(name), input);
                }
            }
            first = false;
        }
        _residualsAreZero = false;
    }

    private BoundRunner Bind(ModelSession session, bool withResiduals, out IpAdapterFeed? ipAdapter)
    {
        var (batch, channels, height, width) = _shapes.Sample;
        var inputs = new Dictionary<string, long[]>
        {
            ["sample"] = [batch, channels, height, width],
            ["timestep"] = [batch],
            ["encoder_hidden_states"] = _contextShape,
        };
        if (withResiduals)
        {
            foreach (var (name, shape) in _shapes.All)
            {
                inputs[name] = shape;
            }
        }
        ipAdapter = _ipAdapter();
        ipAdapter?.AddInputs(inputs, batch);
        var runner = new BoundRunner(session, inputs, new Dictionary<string, long[]> { [OutSample] = [batch, channels, height, width] });
        _context.CopyTo(runner.Input("encoder_hidden_states").Data, 0);
        ipAdapter?.Bind(runner, _latentBatch, _unconditionalChunks);
        return runner;
    }

    /// <summary>Repeats a [T, D] embedding to fill [T·k, D], as ComfyUI's CONDCrossAttn.concat repeats shorter prompts to the common length.</summary>
    private static void Tile(float[] embedding, Span<float> destination)
    {
        for (var offset = 0; offset < destination.Length; offset += embedding.Length)
        {
            embedding.AsSpan(0, Math.Min(embedding.Length, destination.Length - offset)).CopyTo(destination[offset..]);
        }
    }

    public void Dispose()
    {
        _plain?.Dispose();
        _controlled?.Dispose();
        foreach (var control in _controls)
        {
            control.Dispose();
        }
    }
}
