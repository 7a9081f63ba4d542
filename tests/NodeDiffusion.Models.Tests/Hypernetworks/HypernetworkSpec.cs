using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Weights.Hypernetworks;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Hypernetworks;

/// <summary>
/// A generated A1111 hypernetwork: random Linear layers of the given structure per width, optional LayerNorms, written
/// as a torch zip pickle (.pt, A1111's layout with int keys and (k, v) tuples) or as safetensors, plus the same
/// network evaluated directly in C# (<see cref="Reference"/>) from ComfyUI's construction rules.
/// </summary>
internal sealed class HypernetworkSpec
{
    public required string Activation { get; init; }

    public bool LayerNorm { get; init; }

    public bool ActivateOutput { get; init; }

    public double[] Structure { get; init; } = [1, 2, 1];

    public required long[] Widths { get; init; }

    /// <summary>When true the key and value MLPs share weights (so one context can stand for both in a reference run).</summary>
    public bool SameKeyAndValue { get; init; }

    public ulong Seed { get; init; } = 1;

    /// <summary>Tensors by name "width.part.linear.N.(weight|bias)", in Sequential order.</summary>
    public Dictionary<string, (long[] Shape, float[] Values)> Tensors()
    {
        var random = new Random((int)Seed);
        var tensors = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
        float[] Uniform(long n, float amplitude) => Enumerable.Range(0, (int)n).Select(_ => (float)((random.NextDouble() * 2) - 1) * amplitude).ToArray();
        foreach (var width in Widths)
        {
            for (var part = 0; part < 2; part++)
            {
                var source = SameKeyAndValue && part == 1 ? 0 : part;
                if (source != part)
                {
                    foreach (var (name, value) in tensors.Where(t => t.Key.StartsWith($"{width}.0.", StringComparison.Ordinal)).ToList())
                    {
                        tensors[$"{width}.1." + name[$"{width}.0.".Length..]] = value;
                    }
                    continue;
                }
                var index = 0;
                for (var l = 0; l + 1 < Structure.Length; l++)
                {
                    var inF = (long)(width * Structure[l]);
                    var outF = (long)(width * Structure[l + 1]);
                    tensors[$"{width}.{part}.linear.{index}.weight"] = ([outF, inF], Uniform(outF * inF, MathF.Sqrt(3f / inF)));
                    tensors[$"{width}.{part}.linear.{index}.bias"] = ([outF], Uniform(outF, 0.2f));
                    index++;
                    if (Activation != "linear")
                    {
                        index++;
                    }
                    if (LayerNorm)
                    {
                        tensors[$"{width}.{part}.linear.{index}.weight"] = ([outF], Uniform(outF, 0.5f).Select(v => 1 + v).ToArray());
                        tensors[$"{width}.{part}.linear.{index}.bias"] = ([outF], Uniform(outF, 0.2f));
                        index++;
                    }
                }
            }
        }
        return tensors;
    }

    private Dictionary<string, object> Options() => new(StringComparer.Ordinal)
    {
        [HypernetworkFile.ActivationKey] = Activation,
        [HypernetworkFile.LayerNormKey] = LayerNorm,
        [HypernetworkFile.ActivateOutputKey] = ActivateOutput,
        [HypernetworkFile.UseDropoutKey] = true,
        [HypernetworkFile.LastLayerDropoutKey] = false,
    };

    public void WriteSafetensors(string path) =>
        SafetensorsWriter.WriteFile(path, Tensors().Select(t => SafetensorsTensor.FromFloat32(t.Key, t.Value.Shape, t.Value.Values)),
            Options().ToDictionary(o => o.Key, o => o.Value is bool b ? (b ? "True" : "False") : (string)o.Value));

    /// <summary>A1111's torch.save layout: {width: (k_state_dict, v_state_dict), option: value, …}.</summary>
    public void WritePt(string path)
    {
        var tensors = Tensors();
        var root = new List<KeyValuePair<object, object>>();
        foreach (var width in Widths)
        {
            KeyValuePair<object, object>[] Part(int part) => tensors
                .Where(t => t.Key.StartsWith($"{width}.{part}.", StringComparison.Ordinal))
                .Select(t => new KeyValuePair<object, object>(t.Key[$"{width}.{part}.".Length..], new TorchZipWriter.Tensor(t.Value.Shape, t.Value.Values)))
                .ToArray();
            root.Add(new((int)width, new TorchZipWriter.Tuple(Part(0), Part(1))));
        }
        root.AddRange(Options().Select(o => new KeyValuePair<object, object>(o.Key, o.Value)));
        root.Add(new(HypernetworkFile.LayerStructureKey, new TorchZipWriter.Tuple(Structure.Cast<object>().ToArray())));
        root.Add(new("name", "generated"));
        TorchZipWriter.Write(path, root);
    }

    /// <summary>x + strength · mlp(x) for rows of <paramref name="width"/> features, part 0 = key, 1 = value.</summary>
    public float[] Reference(float[] x, long width, int part, float strength)
    {
        var tensors = Tensors();
        var linears = tensors.Keys
            .Where(k => k.StartsWith($"{width}.{part}.", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal))
            .OrderBy(k => int.Parse(k.Split('.')[^2], System.Globalization.CultureInfo.InvariantCulture))
            .Select(k => k[..^".weight".Length])
            .ToList();
        var rows = x.Length / (int)width;
        var h = (double[])x.Select(v => (double)v).ToArray();
        var features = (int)width;
        for (var i = 0; i < linears.Count; i++)
        {
            var (shape, w) = tensors[linears[i] + ".weight"];
            var b = tensors[linears[i] + ".bias"].Values;
            var outF = (int)shape[0];
            var next = new double[rows * outF];
            for (var r = 0; r < rows; r++)
            {
                for (var o = 0; o < outF; o++)
                {
                    double sum = b[o];
                    for (var c = 0; c < features; c++)
                    {
                        sum += h[(r * features) + c] * w[(o * features) + c];
                    }
                    next[(r * outF) + o] = sum;
                }
            }
            features = outF;
            h = next;
            // ComfyUI: activation unless linear, or the last entry (LayerNorms count) without activate_output.
            var last = i == linears.Count - 1;
            if (Activation != "linear" && (!last || ActivateOutput))
            {
                h = h.Select(Activate).ToArray();
            }
            if (LayerNorm)
            {
                i++;
                var g = tensors[linears[i] + ".weight"].Values;
                var beta = tensors[linears[i] + ".bias"].Values;
                for (var r = 0; r < rows; r++)
                {
                    var row = h.AsSpan(r * features, features);
                    var mean = 0.0;
                    foreach (var v in row)
                    {
                        mean += v;
                    }
                    mean /= features;
                    var variance = 0.0;
                    foreach (var v in row)
                    {
                        variance += (v - mean) * (v - mean);
                    }
                    variance /= features;
                    for (var c = 0; c < features; c++)
                    {
                        row[c] = ((row[c] - mean) / Math.Sqrt(variance + 1e-5) * g[c]) + beta[c];
                    }
                }
            }
        }
        return x.Select((v, i) => (float)(v + (strength * h[i]))).ToArray();
    }

    private double Activate(double x) => Activation switch
    {
        "relu" => Math.Max(0, x),
        "leakyrelu" => x < 0 ? 0.01 * x : x,
        "elu" => x > 0 ? x : Math.Exp(x) - 1,
        "swish" => x * Math.Clamp(x + 3, 0, 6) / 6,
        "tanh" => Math.Tanh(x),
        "sigmoid" => 1 / (1 + Math.Exp(-x)),
        "softsign" => x / (1 + Math.Abs(x)),
        "mish" => x * Math.Tanh(Math.Log(1 + Math.Exp(x))),
        _ => throw new ArgumentOutOfRangeException(nameof(x), Activation),
    };
}
