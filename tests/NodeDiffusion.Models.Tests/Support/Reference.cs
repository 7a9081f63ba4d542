using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Support;

/// <summary>A reference fixture folder under ../shared/reference: config, weights and the recorded inputs/outputs.</summary>
public sealed class Reference : IDisposable
{
    private readonly SafetensorsFile _io;

    private Reference(string folder)
    {
        Folder = folder;
        _io = SafetensorsFile.Open(Path.Combine(folder, "io.safetensors"));
    }

    public string Folder { get; }

    public string ConfigPath => Path.Combine(Folder, "config.json");

    public string WeightsPath => Path.Combine(Folder, "weights.safetensors");

    public static Reference Open(string name) => new(SharedData.Require("reference/" + name));

    public SafetensorsWeightSource OpenWeights(params string[] extraWeightFiles) =>
        SafetensorsWeightSource.Open([WeightsPath, .. extraWeightFiles]);

    public FloatTensor Float(string name) => new(_io.GetInfo(name).Shape, _io.ReadFloat32(name));

    public Int64Tensor Int64(string name)
    {
        var info = _io.GetInfo(name);
        Assert.Equal(SafetensorsDType.I64, info.DType);
        return new Int64Tensor(info.Shape, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(_io.GetBytes(name)).ToArray());
    }

    public void Dispose() => _io.Dispose();
}

public static class Compare
{
    /// <summary>Asserts equal shapes and max |actual − expected| ≤ tolerance, and reports the measured error.</summary>
    public static double MaxAbs(string label, FloatTensor expected, FloatTensor actual, double tolerance)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double max = 0;
        for (var i = 0; i < expected.Data.Length; i++)
        {
            var e = Math.Abs((double)expected.Data[i] - actual.Data[i]);
            if (!(e <= max))
            {
                max = double.IsNaN(e) ? double.PositiveInfinity : e;
            }
        }
        Report.Line($"{label}: max abs error {max:E2} (tolerance {tolerance:E0})");
        Assert.True(max <= tolerance, $"{label}: max abs error {max:E3} exceeds {tolerance:E1}");
        return max;
    }
}

public static class Sessions
{
    public static readonly SessionFactory CpuFactory = new(new SessionOptionsSpec(PreferCuda: false));
}

public static class Report
{
    /// <summary>A measured number, visible in the test output and as a diagnostic message.</summary>
    public static void Line(string text)
    {
        TestContext.Current.SendDiagnosticMessage(text);
        TestContext.Current.TestOutputHelper?.WriteLine(text);
    }
}
