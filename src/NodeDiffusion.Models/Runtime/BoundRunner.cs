using Microsoft.ML.OnnxRuntime;

namespace NodeDiffusion.Models.Runtime;

/// <summary>
/// Repeated runs of one session at fixed shapes (a sampler's UNet calls): every input and output is a float buffer
/// allocated and bound once through IOBinding, so a step only writes the inputs and reads the outputs in place.
/// On CUDA, ONNX Runtime copies the bound host buffers to and from the device around each run.
/// </summary>
public sealed class BoundRunner : IDisposable
{
    private readonly ModelSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _values = [];
    private readonly Dictionary<string, FloatTensor> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FloatTensor> _outputs = new(StringComparer.Ordinal);
    private readonly IDisposable _lease;

    public BoundRunner(ModelSession session, IReadOnlyDictionary<string, long[]> inputShapes, IReadOnlyDictionary<string, long[]> outputShapes)
    {
        _session = session;
        _lease = session.Acquire();
        _binding = session.Session.CreateIoBinding();
        try
        {
            var missing = session.InputNames.Where(n => !inputShapes.ContainsKey(n)).ToList();
            if (missing.Count > 0)
            {
                throw new ArgumentException($"{session.Name}: no shape given for inputs [{string.Join(", ", missing)}]");
            }
            foreach (var (name, shape) in inputShapes)
            {
                if (!session.Session.InputMetadata.ContainsKey(name))
                {
                    throw new ArgumentException($"{session.Name}: no input named '{name}'");
                }
                var tensor = FloatTensor.Zeros(shape);
                var value = OrtValue.CreateTensorValueFromMemory(tensor.Data, shape);
                _values.Add(value);
                _binding.BindInput(name, value);
                _inputs[name] = tensor;
            }
            foreach (var (name, shape) in outputShapes)
            {
                if (!session.Session.OutputMetadata.ContainsKey(name))
                {
                    throw new ArgumentException($"{session.Name}: no output named '{name}'");
                }
                var tensor = FloatTensor.Zeros(shape);
                var value = OrtValue.CreateTensorValueFromMemory(tensor.Data, shape);
                _values.Add(value);
                _binding.BindOutput(name, value);
                _outputs[name] = tensor;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The buffer bound to an input; write into <c>Data</c> before <see cref="Run"/>.</summary>
    public FloatTensor Input(string name) =>
        _inputs.TryGetValue(name, out var t) ? t : throw new ArgumentException($"{_session.Name}: input '{name}' is not bound");

    /// <summary>The buffer bound to an output; valid after <see cref="Run"/> until the next run.</summary>
    public FloatTensor Output(string name) =>
        _outputs.TryGetValue(name, out var t) ? t : throw new ArgumentException($"{_session.Name}: output '{name}' is not bound");

    public void Run()
    {
        _binding.SynchronizeBoundInputs();
        _session.Session.RunWithBinding(_runOptions, _binding);
        _binding.SynchronizeBoundOutputs();
    }

    public void Dispose()
    {
        _binding.Dispose();
        _values.ForEach(v => v.Dispose());
        _values.Clear();
        _runOptions.Dispose();
        _lease.Dispose();
    }
}
