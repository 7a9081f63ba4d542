namespace NodeDiffusion.Diffusion.Noise;

/// <summary>
/// PyTorch builds its CPU normal kernel for ≥16 float32 elements twice and dispatches on the CPU: the AVX2 build uses
/// Cephes polynomial log/sincos (x86-64 machines of the last decade, what ComfyUI users run), the default build calls the C
/// library's logf/cosf/sinf. They agree to about one float ulp, not bit for bit.
/// </summary>
public enum NormalKernel
{
    Avx2,
    Default,
}
