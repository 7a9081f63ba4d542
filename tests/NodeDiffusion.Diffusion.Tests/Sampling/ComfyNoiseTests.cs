using NodeDiffusion.Diffusion.Noise;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

public sealed class ComfyNoiseTests
{
    [Fact]
    public void WithoutBatchIndexItIsOneRandnOverTheBatch()
    {
        Assert.Equal(TorchRandom.Randn(8, 2, 4, 8, 8), ComfyNoise.Prepare(8, 2 * 4 * 8 * 8));
    }

    [Fact]
    public void BatchIndexPicksTheItemSizedDraws()
    {
        const int item = 4 * 8 * 8;
        var generator = new TorchCpuGenerator(8);
        var draws = Enumerable.Range(0, 4).Select(_ => generator.Randn(item)).ToArray();

        var noise = ComfyNoise.Prepare(8, 2 * item, [3, 1]);

        Assert.Equal(draws[3], noise[..item]);
        Assert.Equal(draws[1], noise[item..]);
    }

    [Fact]
    public void BatchIndexThatDoesNotFitTheLatentIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ComfyNoise.Prepare(1, 10, [0, 1, 2]));
        Assert.Contains("batch_index", error.Message);
    }
}
