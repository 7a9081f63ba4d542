using System.Text.Json.Nodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Cli.Tests;

public sealed class ScheduleCommandTests : IDisposable
{
    // Published 20-step SD1.5 test vectors (design/comfyui-compat.md §4), matching ComfyUI's values.
    private static readonly double[] Normal20 =
    [
        14.6146, 10.7468, 8.08152, 6.20493, 4.85565, 3.86538, 3.12376, 2.55717, 2.11566, 1.76482, 1.48058,
        1.24581, 1.04814, 0.878428, 0.729719, 0.596434, 0.473585, 0.355545, 0.232164, 0.0291672, 0,
    ];

    private static readonly double[] Karras20 =
    [
        14.6146, 11.7254, 9.3402, 7.38362, 5.78941, 4.49984, 3.46475, 2.64084, 1.99092, 1.48321, 1.09079,
        0.790946, 0.564721, 0.39639, 0.273038, 0.184168, 0.121341, 0.07786, 0.0484814, 0.0291672, 0,
    ];

    private static readonly double[] Simple20 =
    [
        14.6146, 10.9042, 8.3028, 6.44296, 5.08776, 4.08173, 3.32108, 2.73547, 2.27646, 1.91025, 1.61289,
        1.36717, 1.16058, 0.983817, 0.82986, 0.693205, 0.569285, 0.453819, 0.341674, 0.223003, 0,
    ];

    private readonly TempDirectory _work = new("nd-schedule");

    public void Dispose() => _work.Dispose();

    public static TheoryData<string, double[]> Published => new()
    {
        { "normal", Normal20 },
        { "karras", Karras20 },
        { "simple", Simple20 },
    };

    [Theory]
    [MemberData(nameof(Published))]
    public async Task TwentyStepsMatchThePublishedVectors(string scheduler, double[] expected)
    {
        var sigmas = await SigmasAsync("--scheduler", scheduler, "--steps", "20");
        Assert.Equal(expected.Length, sigmas.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(sigmas[i] - expected[i]) <= 1e-5 * Math.Max(1, expected[i]), $"σ[{i}] = {sigmas[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public async Task DenoiseKeepsTheTailOfALongerSchedule()
    {
        var sigmas = await SigmasAsync("--scheduler", "normal", "--steps", "20", "--denoise", "0.5");
        Assert.Equal(21, sigmas.Length);
        Assert.Equal(1.54816, sigmas[0], 1e-4);
        Assert.Equal(1.42253, sigmas[1], 1e-4);
        Assert.Equal(0.156732, sigmas[^3], 1e-5);
        Assert.Equal(0.0291672, sigmas[^2], 1e-6);
        Assert.Equal(0, sigmas[^1]);
    }

    [Fact]
    public async Task Dpm2DropsThePenultimateSigmaOfOneMoreStep()
    {
        var sigmas = await SigmasAsync("--scheduler", "karras", "--steps", "20", "--sampler", "dpm_2");
        Assert.Equal(21, sigmas.Length);
        Assert.Equal(14.6146, sigmas[0], 1e-3);
        // 21 karras steps end ... σ_min, 0; dropping the penultimate leaves the step before σ_min next to 0.
        Assert.True(sigmas[^2] > 0.0291672 + 1e-4, $"penultimate σ {sigmas[^2]} should not be σ_min");
        Assert.Equal(0, sigmas[^1]);
    }

    [Fact]
    public async Task PlainOutputIsOneSigmaPerLine()
    {
        var result = await CliProcess.RunAsync(_work.Path, "schedule", "--scheduler", "karras", "--steps", "4");
        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal(14.6146, double.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture), 1e-3);
    }

    [Theory]
    [InlineData("--scheduler", "nope", "--steps", "20")]
    [InlineData("--scheduler", "normal", "--steps", "0")]
    [InlineData("--scheduler", "normal", "--steps", "20", "--denoise", "1.5")]
    [InlineData("--scheduler", "normal", "--steps", "20", "--sampler", "nope")]
    public async Task BadSettingsExitWithTwo(params string[] arguments)
    {
        var result = await CliProcess.RunAsync(_work.Path, ["schedule", .. arguments]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.StandardError, StringComparison.Ordinal);
    }

    private async Task<double[]> SigmasAsync(params string[] arguments)
    {
        var result = await CliProcess.RunAsync(_work.Path, ["schedule", "--json", .. arguments]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonNode.Parse(result.StandardOutput)!["sigmas"]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
    }
}
