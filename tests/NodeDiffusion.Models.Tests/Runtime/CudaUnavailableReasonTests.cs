using NodeDiffusion.Models.Runtime;

namespace NodeDiffusion.Models.Tests.Runtime;

public sealed class CudaUnavailableReasonTests
{
    [Fact]
    public void AMissingCudaLibraryIsNamedWithoutTheLoaderNoise()
    {
        // As ONNX Runtime 1.31 (GPU package) reported it on a machine without the CUDA libraries.
        const string message = "[ErrorCode:Fail] /onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:2043 " +
            "onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library " +
            "/app/runtimes/linux-x64/native/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory\n";

        var reason = CudaUnavailableReason.Describe(message);

        Assert.StartsWith("libcublasLt.so.13 was not found;", reason);
        Assert.DoesNotContain("onnxruntime_src", reason);
    }

    [Fact]
    public void AnyOtherErrorKeepsItsFirstLineBounded()
    {
        Assert.Equal("CUDA failure 100: no CUDA-capable device is detected", CudaUnavailableReason.Describe("CUDA failure 100: no CUDA-capable device is detected\nmore"));
        Assert.Equal(301, CudaUnavailableReason.Describe(new string('x', 1000)).Length);
    }
}
