using System.Text.Json;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Diffusion.Tests.Sampling.Fixtures;

/// <summary>One case of reference/schedulers: the published tables from schedulers.json and the trajectory tensors.</summary>
public sealed class SchedulerFixtureCase
{
    private SchedulerFixtureCase(string name, JsonElement entry, SafetensorsFixture tensors)
    {
        Name = name;
        Timesteps = [.. entry.GetProperty("timesteps").EnumerateArray().Select(e => e.GetDouble())];
        Sigmas = entry.GetProperty("sigmas").ValueKind == JsonValueKind.Null
            ? null
            : [.. entry.GetProperty("sigmas").EnumerateArray().Select(e => e.GetDouble())];
        InitNoiseSigma = entry.GetProperty("init_noise_sigma").GetDouble();
        StepsRun = entry.GetProperty("num_steps_run").GetInt32();
        Tensors = tensors;
    }

    public string Name { get; }

    public double[] Timesteps { get; }

    public double[]? Sigmas { get; }

    public double InitNoiseSigma { get; }

    public int StepsRun { get; }

    public SafetensorsFixture Tensors { get; }

    public float[] XT => Tensors.Get("x_T");

    public float[] Latents(int step) => Tensors.Get($"latents_{step:00}");

    public float[] Noise(int step) => Tensors.Get($"noise_{step:00}");

    /// <summary>The timesteps/σ/initial-scale tables of <c>by_timestep_spacing_table_only</c> for one spacing.</summary>
    public static (double[] Timesteps, double[]? Sigmas, double InitNoiseSigma) LoadSpacingTable(string name, string spacing)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedData.Require("reference/schedulers/schedulers.json")));
        var table = document.RootElement.GetProperty(name).GetProperty("by_timestep_spacing_table_only").GetProperty(spacing);
        double[] timesteps = [.. table.GetProperty("timesteps").EnumerateArray().Select(e => e.GetDouble())];
        double[]? sigmas = table.GetProperty("sigmas").ValueKind == JsonValueKind.Null
            ? null
            : [.. table.GetProperty("sigmas").EnumerateArray().Select(e => e.GetDouble())];
        return (timesteps, sigmas, table.GetProperty("init_noise_sigma").GetDouble());
    }

    public static SchedulerFixtureCase Load(string name)
    {
        var json = SharedData.Require("reference/schedulers/schedulers.json");
        var tensors = SafetensorsFixture.Load(SharedData.Require($"reference/schedulers/{name}.safetensors"));
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        return new SchedulerFixtureCase(name, document.RootElement.GetProperty(name).Clone(), tensors);
    }

    /// <summary>Every float32 value of schedulers.json's top-level array <paramref name="property"/>.</summary>
    public static float[] ReadTable(string property)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedData.Require("reference/schedulers/schedulers.json")));
        return [.. document.RootElement.GetProperty(property).EnumerateArray().Select(e => (float)e.GetDouble())];
    }

    /// <summary>The fixture's fake model: ε = 0.1·model_in + 0.01·t/1000, in the float32 terms the generator used.</summary>
    public static void FakeEps(ReadOnlySpan<float> modelIn, double timestep, Span<float> eps)
    {
        var offset = (float)(0.01 * (timestep / 1000.0));
        for (var i = 0; i < modelIn.Length; i++)
        {
            eps[i] = 0.1f * modelIn[i] + offset;
        }
    }

    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }
        return max;
    }
}
