using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using NodeDiffusion.Models.Onnx;
using Onnx;
using Google.Protobuf;

namespace NodeDiffusion.Models.Runtime;

/// <summary>
/// Creates ONNX Runtime sessions on CUDA when the provider loads, otherwise on CPU, and logs which one runs.
/// </summary>
public sealed class SessionFactory(SessionOptionsSpec? spec = null, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private bool _cudaUnavailable;

    public SessionOptionsSpec Spec { get; } = spec ?? new SessionOptionsSpec();

    /// <summary>A session for a compiled model; models too large for one protobuf are written to <paramref name="workDirectory"/> first.</summary>
    public ModelSession Create(ModelProto model, string name, string? workDirectory = null)
    {
        if (!OnnxModelFile.NeedsExternalData(model))
        {
            var bytes = model.ToByteArray();
            return Create(name, options => new InferenceSession(bytes, options));
        }
        var directory = workDirectory ?? Path.Combine(Path.GetTempPath(), "nodediffusion-models");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{name}-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Save(model, path);
        return CreateFromFile(path, name);
    }

    public ModelSession CreateFromFile(string onnxPath, string name) =>
        Create(name, options => new InferenceSession(onnxPath, options));

    /// <summary>
    /// A session for a pre-exported model, its graph edges adapted to our I/O contract (<see cref="OnnxIoAdapter"/>).
    /// External weight files are read from the model's own folder.
    /// </summary>
    public ModelSession CreateExported(string onnxPath, OnnxComponent component, string name, int latentChannels = 4, int textLayers = 12)
    {
        ModelProto model;
        using (var stream = File.OpenRead(onnxPath))
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        if (!OnnxIoAdapter.Adapt(model, component, onnxPath, latentChannels, textLayers))
        {
            return CreateFromFile(onnxPath, name);
        }
        var bytes = model.ToByteArray();
        var folder = Path.GetDirectoryName(Path.GetFullPath(onnxPath))!;
        return Create(name, options =>
        {
            options.AddSessionConfigEntry("session.model_external_initializers_file_folder_path", folder);
            return new InferenceSession(bytes, options);
        });
    }

    private ModelSession Create(string name, Func<SessionOptions, InferenceSession> open)
    {
        if (Spec.PreferCuda && !_cudaUnavailable)
        {
            SessionOptions? options = null;
            try
            {
                options = BaseOptions();
                using var cuda = new OrtCUDAProviderOptions();
                cuda.UpdateOptions(new Dictionary<string, string>
                {
                    ["device_id"] = Spec.CudaDeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["use_tf32"] = Spec.AllowTf32 ? "1" : "0",
                    ["cudnn_conv_algo_search"] = "HEURISTIC",
                });
                options.AppendExecutionProvider_CUDA(cuda);
                var session = open(options);
                _logger.LogInformation("Model {Model} runs on the CUDA execution provider (device {Device})", name, Spec.CudaDeviceId);
                return new ModelSession(name, session, options, ExecutionDevice.Cuda);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                options?.Dispose();
                _cudaUnavailable = true;
                _logger.LogWarning("CUDA is unavailable ({Reason}); model {Model} and every later one run on the CPU", CudaUnavailableReason.Describe(e.Message), name);
            }
        }
        var cpuOptions = BaseOptions();
        try
        {
            var session = open(cpuOptions);
            _logger.LogInformation("Model {Model} runs on the CPU execution provider", name);
            return new ModelSession(name, session, cpuOptions, ExecutionDevice.Cpu);
        }
        catch
        {
            cpuOptions.Dispose();
            throw;
        }
    }

    private SessionOptions BaseOptions()
    {
        var options = new SessionOptions { GraphOptimizationLevel = Spec.Optimization };
        if (Spec.IntraOpThreads > 0)
        {
            options.IntraOpNumThreads = Spec.IntraOpThreads;
        }
        return options;
    }
}
