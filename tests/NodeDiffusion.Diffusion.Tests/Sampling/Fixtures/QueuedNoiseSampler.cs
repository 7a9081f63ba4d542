using NodeDiffusion.Diffusion.Sampling;

namespace NodeDiffusion.Diffusion.Tests.Sampling.Fixtures;

/// <summary>Hands out pre-recorded noise tensors in order, like the fixture's patched randn_tensor.</summary>
public sealed class QueuedNoiseSampler(IEnumerable<float[]> noise) : INoiseSampler
{
    private readonly Queue<float[]> _noise = new(noise);

    public int Remaining => _noise.Count;

    public void Sample(float sigma, float sigmaNext, Span<float> destination) => _noise.Dequeue().CopyTo(destination);
}
