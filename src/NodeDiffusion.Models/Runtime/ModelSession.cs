using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace NodeDiffusion.Models.Runtime;

/// <summary>An ONNX Runtime session that takes and returns named host tensors.</summary>
public sealed class ModelSession : IDisposable
{
    private readonly SessionOptions _options;
    private int _users;

    internal ModelSession(string name, InferenceSession session, SessionOptions options, ExecutionDevice device)
    {
        Name = name;
        Session = session;
        _options = options;
        Device = device;
    }

    public string Name { get; }

    public ExecutionDevice Device { get; }

    /// <summary>The underlying session, for IOBinding and device-resident OrtValues.</summary>
    public InferenceSession Session { get; }

    public IReadOnlyList<string> InputNames => Session.InputNames;

    /// <summary>Bytes of the weights this session holds (initializers or weight files), for the session cache's budget.</summary>
    public long WeightBytes { get; internal set; }

    /// <summary>Whether a run, a <see cref="BoundRunner"/> or a <see cref="Acquire"/> lease uses the session now; caches never evict it then.</summary>
    public bool InUse => Volatile.Read(ref _users) > 0;

    /// <summary>Marks the session in use until the lease is disposed (hold it across several runs).</summary>
    public IDisposable Acquire()
    {
        Interlocked.Increment(ref _users);
        return new Lease(this);
    }

    public IReadOnlyList<string> OutputNames => Session.OutputNames;

    /// <summary>Runs the model; returns the requested outputs (all when <paramref name="outputNames"/> is null).</summary>
    public Dictionary<string, FloatTensor> Run(IReadOnlyDictionary<string, HostTensor> inputs, IEnumerable<string>? outputNames = null)
    {
        using var lease = Acquire();
        var wanted = (outputNames ?? Session.OutputNames).ToArray();
        foreach (var output in wanted)
        {
            if (!Session.OutputMetadata.ContainsKey(output))
            {
                throw new ArgumentException($"{Name}: no output named '{output}'; outputs are {string.Join(", ", Session.OutputNames)}");
            }
        }
        var missing = Session.InputNames.Where(n => !inputs.ContainsKey(n)).ToList();
        var unknown = inputs.Keys.Where(n => !Session.InputMetadata.ContainsKey(n)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"{Name}: inputs do not match the model; missing [{string.Join(", ", missing)}], unknown [{string.Join(", ", unknown)}]");
        }

        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, tensor) in inputs)
            {
                Check(name, tensor);
                names.Add(name);
                values.Add(tensor switch
                {
                    FloatTensor f => OrtValue.CreateTensorValueFromMemory(f.Data, f.Shape),
                    Int64Tensor l => OrtValue.CreateTensorValueFromMemory(l.Data, l.Shape),
                    _ => throw new ArgumentException($"{Name}: input '{name}' has unsupported tensor type {tensor.GetType().Name}"),
                });
            }
            using var runOptions = new RunOptions();
            using var results = Session.Run(runOptions, names, values, wanted);
            var outputs = new Dictionary<string, FloatTensor>(StringComparer.Ordinal);
            for (var i = 0; i < wanted.Length; i++)
            {
                var result = results[i];
                var info = result.GetTensorTypeAndShape();
                if (info.ElementDataType != TensorElementType.Float)
                {
                    throw new InvalidOperationException($"{Name}: output '{wanted[i]}' is {info.ElementDataType}, not float");
                }
                outputs[wanted[i]] = new FloatTensor(info.Shape, result.GetTensorDataAsSpan<float>().ToArray());
            }
            return outputs;
        }
        finally
        {
            values.ForEach(v => v.Dispose());
        }
    }

    public void Dispose()
    {
        Session.Dispose();
        _options.Dispose();
    }

    private sealed class Lease(ModelSession session) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref session._users);
            }
        }
    }

    private void Check(string name, HostTensor tensor)
    {
        var meta = Session.InputMetadata[name];
        var expectedType = meta.ElementDataType;
        var actualType = tensor is FloatTensor ? TensorElementType.Float : TensorElementType.Int64;
        if (expectedType != actualType)
        {
            throw new ArgumentException($"{Name}: input '{name}' must be {expectedType}, got {actualType}");
        }
        var dims = meta.Dimensions;
        var ok = dims.Length == tensor.Shape.Length;
        for (var i = 0; ok && i < dims.Length; i++)
        {
            ok = dims[i] < 0 || dims[i] == tensor.Shape[i];
        }
        if (!ok)
        {
            throw new ArgumentException($"{Name}: input '{name}' has shape {tensor.ShapeText}, the model expects [{string.Join(", ", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]");
        }
        var data = tensor switch { FloatTensor f => f.Data.LongLength, Int64Tensor l => l.Data.LongLength, _ => -1 };
        if (data != tensor.ElementCount)
        {
            throw new ArgumentException($"{Name}: input '{name}' has {data} values for shape {tensor.ShapeText}");
        }
    }
}
