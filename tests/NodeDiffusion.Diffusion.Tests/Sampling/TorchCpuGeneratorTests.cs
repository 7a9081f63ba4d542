using NodeDiffusion.Diffusion.Noise;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

public sealed class TorchCpuGeneratorTests
{
    [Fact]
    public void SeedZeroStartsWithTorchsWellKnownValues()
    {
        var values = TorchRandom.Randn(0, 16);

        Assert.Equal(-1.1258, values[0], 4);
        Assert.Equal(-1.1524, values[1], 4);
        Assert.Equal(-0.2506, values[2], 4);
    }

    [Fact]
    public void StateCarriesAcrossBlockedCalls()
    {
        var generator = new TorchCpuGenerator(1234);
        var first = generator.Randn(32);
        var second = generator.Randn(48);

        var joined = new TorchCpuGenerator(1234).Randn(80);

        Assert.Equal(joined, first.Concat(second).ToArray());
    }

    [Fact]
    public void CachedSecondNormalIsUsedByTheNextScalarDraw()
    {
        var generator = new TorchCpuGenerator(99);
        var a = generator.Randn(1);
        var b = generator.Randn(1);

        var pair = new TorchCpuGenerator(99).Randn(2);

        Assert.Equal(pair, new[] { a[0], b[0] });
        Assert.NotEqual(a[0], b[0]);
    }

    [Fact]
    public void ManualSeedRestartsTheSequenceAndDropsTheCache()
    {
        var generator = new TorchCpuGenerator(5);
        var first = generator.Randn(3);
        generator.Randn(1);
        generator.ManualSeed(5);

        Assert.Equal(first, generator.Randn(3));
    }

    [Fact]
    public void SeedsDifferOnlyInTheirLow32BitsAreTheSameStream()
    {
        Assert.Equal(TorchRandom.Randn(0xffffffffUL, 20), TorchRandom.Randn(ulong.MaxValue, 20));
        Assert.NotEqual(TorchRandom.Randn(1, 20), TorchRandom.Randn(2, 20));
    }

    [Fact]
    public void DefaultKernelAgreesWithAvx2KernelToAboutOneUlp()
    {
        var avx = new TorchCpuGenerator(42).Randn(4096);
        var plain = new TorchCpuGenerator(42) { Kernel = NormalKernel.Default }.Randn(4096);

        var maxDiff = avx.Zip(plain, (a, b) => Math.Abs(a - b)).Max();
        Assert.InRange(maxDiff, 0f, 2e-6f);
    }

    [Fact]
    public void CloneContinuesIndependently()
    {
        var generator = new TorchCpuGenerator(11);
        generator.Randn(5);
        var clone = generator.Clone();

        Assert.Equal(generator.Randn(40), clone.Randn(40));
    }
}
