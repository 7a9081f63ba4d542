using System.Text.Json;
using NodeDiffusion.Diffusion.Noise;
using NodeDiffusion.Diffusion.Tests.Sampling.Fixtures;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

public sealed class TorchRandnTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in new[]
                 {
                     "seed_0_1x4x8x8", "seed_42_1x4x64x64", "seed_851616030078638_2x4x16x16",
                     "seed_18446744073709551615_1x4x3x5", "seed_7_15", "seed_7_16", "seed_7_17",
                 })
        {
            data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void RandnIsBitIdenticalToTorch(string caseName)
    {
        var (seed, shape) = ReadCase(caseName);
        var expected = SafetensorsFixture.Load(SharedData.Require("reference/torch-randn/randn.safetensors")).Get(caseName);

        var actual = TorchRandom.Randn(seed, shape);

        Assert.Equal(expected.Length, actual.Length);
        var mismatches = Enumerable.Range(0, expected.Length)
            .Where(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            .Select(i => $"[{i}] expected {expected[i]:R} got {actual[i]:R}")
            .Take(5)
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("; ", mismatches));
    }

    private static (ulong Seed, int[] Shape) ReadCase(string caseName)
    {
        using var cases = JsonDocument.Parse(File.ReadAllText(SharedData.Require("reference/torch-randn/cases.json")));
        foreach (var entry in cases.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (entry.GetProperty("name").GetString() == caseName)
            {
                var seed = ulong.Parse(entry.GetProperty("seed").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                var shape = entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                return (seed, shape);
            }
        }
        throw new KeyNotFoundException(caseName);
    }
}
