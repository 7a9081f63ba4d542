namespace NodeDiffusion.Diffusion.Noise;

/// <summary>One-shot helpers for <c>torch.manual_seed(seed); torch.randn(shape)</c> on the CPU.</summary>
public static class TorchRandom
{
    /// <summary>The starting noise ComfyUI draws for a latent (comfy/sample.py <c>prepare_noise</c> without batch_index).</summary>
    public static float[] Randn(ulong seed, params ReadOnlySpan<int> shape)
    {
        var count = 1;
        foreach (var dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            count = checked(count * dimension);
        }
        return new TorchCpuGenerator(seed).Randn(count);
    }
}
