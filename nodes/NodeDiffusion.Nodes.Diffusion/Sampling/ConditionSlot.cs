using System.Numerics.Tensors;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// One conditioning entry of one side as ComfyUI's <c>calc_cond_batch</c> evaluates it: the UNet on the entry's area
/// of x (with the summed residuals of its active ControlNets), D = x − σ·ε̂ on that crop, added with the entry's
/// weights into the side's running sum. Buffers and runners are bound once; a step allocates nothing.
/// </summary>
internal sealed class ConditionSlot : IDisposable
{
    private const string OutSample = "out_sample";

    private readonly Func<ModelSession> _plainUnet;
    private readonly Func<ModelSession> _controlledUnet;
    private readonly ResidualShapes _shapes;
    private readonly IReadOnlyList<ControlRunner> _controls;
    private readonly float[] _context;
    private readonly long[] _contextShape;
    private readonly (int Channels, int Height, int Width) _latent;
    private readonly (int Height, int Width, int Y, int X) _area;
    private readonly bool _isFull;
    private readonly float[] _weights;
    private readonly float[] _crop;
    private readonly float[] _scaled;
    private readonly float[] _denoised;
    private BoundRunner? _plain;
    private BoundRunner? _controlled;

    public ConditionSlot(
        ConditioningEntry entry,
        LatentBatch latent,
        (int Height, int Width, int Y, int X) area,
        ResidualShapes shapes,
        Func<ModelSession> plainUnet,
        Func<ModelSession> controlledUnet,
        Func<ControlNetApplication, float[], long[], ControlRunner> control)
    {
        _plainUnet = plainUnet;
        _controlledUnet = controlledUnet;
        _shapes = shapes;
        _latent = (latent.Channels, latent.Height, latent.Width);
        _area = area;
        _isFull = area.Height == latent.Height && area.Width == latent.Width;
        _weights = AreaWeights.Feathered(area.Height, area.Width, area.Y, area.X, latent.Height, latent.Width, (float)entry.Strength, entry.Area is not null);
        var length = latent.Batch * latent.Channels * area.Height * area.Width;
        (_crop, _scaled, _denoised) = (new float[length], new float[length], new float[length]);
        _contextShape = [latent.Batch, entry.Tokens, entry.Dim];
        _context = new float[latent.Batch * entry.Embeddings.Length];
        for (var b = 0; b < latent.Batch; b++)
        {
            entry.Embeddings.CopyTo(_context, b * entry.Embeddings.Length);
        }
        var controls = new List<ControlRunner>(entry.Control.Count);
        try
        {
            foreach (var application in entry.Control)
            {
                controls.Add(control(application, _context, _contextShape));
            }
        }
        catch
        {
            controls.ForEach(c => c.Dispose());
            throw;
        }
        _controls = controls;
    }

    /// <summary>Adds this entry's D·weights into <paramref name="sum"/> and its weights into <paramref name="counts"/> (both [B, C, H, W]).</summary>
    public void Accumulate(ReadOnlySpan<float> x, float sigma, float timestep, Span<float> sum, Span<float> counts)
    {
        CopyCrop(x, _crop);
        TensorPrimitives.Divide(_crop, MathF.Sqrt((sigma * sigma) + 1f), _scaled);
        var runner = Run(sigma, timestep);
        TensorPrimitives.MultiplyAdd(runner.Output(OutSample).Data, -sigma, _crop, _denoised);
        AddWeighted(sum, counts);
    }

    private BoundRunner Run(float sigma, float timestep)
    {
        var first = true;
        BoundRunner? runner = null;
        foreach (var control in _controls)
        {
            if (!control.IsActive(sigma))
            {
                continue;
            }
            runner ??= _controlled ??= Bind(_controlledUnet(), withResiduals: true);
            control.Run(_scaled, timestep);
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
        runner ??= _plain ??= Bind(_plainUnet(), withResiduals: false);
        _scaled.CopyTo(runner.Input("sample").Data, 0);
        Array.Fill(runner.Input("timestep").Data, timestep);
        runner.Run();
        return runner;
    }

    private BoundRunner Bind(ModelSession session, bool withResiduals)
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
        var runner = new BoundRunner(session, inputs, new Dictionary<string, long[]> { [OutSample] = [batch, channels, height, width] });
        _context.CopyTo(runner.Input("encoder_hidden_states").Data, 0);
        return runner;
    }

    private void CopyCrop(ReadOnlySpan<float> x, Span<float> crop)
    {
        if (_isFull)
        {
            x.CopyTo(crop);
            return;
        }
        var (_, height, width) = _latent;
        var rows = crop.Length / _area.Width;
        for (var r = 0; r < rows; r++)
        {
            var plane = r / _area.Height;
            var source = (plane * height * width) + ((_area.Y + (r % _area.Height)) * width) + _area.X;
            x.Slice(source, _area.Width).CopyTo(crop.Slice(r * _area.Width, _area.Width));
        }
    }

    private void AddWeighted(Span<float> sum, Span<float> counts)
    {
        var (_, height, width) = _latent;
        var plane = _area.Height * _area.Width;
        for (var i = 0; i < _denoised.Length; i++)
        {
            var local = i % plane;
            var (row, column) = (local / _area.Width, local % _area.Width);
            var target = ((i / plane) * height * width) + ((_area.Y + row) * width) + _area.X + column;
            var weight = _weights[local];
            sum[target] += _denoised[i] * weight;
            counts[target] += weight;
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
