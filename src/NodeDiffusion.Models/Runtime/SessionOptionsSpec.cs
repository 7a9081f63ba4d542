using Microsoft.ML.OnnxRuntime;

namespace NodeDiffusion.Models.Runtime;

/// <summary>How sessions are created.</summary>
/// <param name="PreferCuda">Try the CUDA execution provider first and fall back to CPU when it cannot be loaded.</param>
/// <param name="AllowTf32">TF32 matmuls/convs on CUDA: faster, but about 1e-3 relative error, far above the reference tolerances.</param>
/// <param name="IntraOpThreads">0 lets ONNX Runtime choose.</param>
public sealed record SessionOptionsSpec(
    bool PreferCuda = true,
    int CudaDeviceId = 0,
    bool AllowTf32 = false,
    GraphOptimizationLevel Optimization = GraphOptimizationLevel.ORT_ENABLE_ALL,
    int IntraOpThreads = 0);
