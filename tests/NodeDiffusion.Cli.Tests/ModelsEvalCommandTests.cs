using NodeDiffusion.Testing;

namespace NodeDiffusion.Cli.Tests;

public sealed class ModelsEvalCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _work = new("nd-eval");

    public void Dispose() => _work.Dispose();

    // Tolerances are the ones each fixture's README suggests for an fp32 CPU implementation.
    [Theory]
    [InlineData("clip-text-tiny", "text_encoder", "", 1e-5, new[] { "last_hidden_state", "pooler_output", "hidden_states_0", "hidden_states_5" })]
    [InlineData("vae-tiny", "vae_decoder", "", 5e-5, new[] { "dec_sample" })]
    [InlineData("vae-tiny", "vae_decoder", "ns_", 5e-5, new[] { "ns_dec_sample" })]
    [InlineData("vae-tiny", "vae_encoder", "ns_", 5e-5, new[] { "ns_enc_mean", "ns_enc_logvar" })]
    [InlineData("unet-tiny-sd15shape", "unet", "", 2e-5, new[] { "out_sample" })]
    [InlineData("clip-vision-tiny", "clip_vision", "", 1e-5, new[] { "image_embeds", "last_hidden_state", "penultimate_hidden_state" })]
    public async Task OutputsMatchTheReferenceFixture(string fixture, string component, string prefix, double tolerance, string[] compared)
    {
        var folder = SharedData.Require("reference/" + fixture);
        var io = Path.Combine(folder, "io.safetensors");
        var outPath = Path.Combine(_work.Path, "out.safetensors");

        var result = await CliProcess.RunAsync(_work.Path, "models", "eval", "--component", component, "--device", "cpu",
            "--config", Path.Combine(folder, "config.json"), "--weights", Path.Combine(folder, "weights.safetensors"),
            "--inputs", io, "--prefix", prefix, "--out", outPath);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var ours = new SafetensorsFloats(outPath);
        var reference = new SafetensorsFloats(io);
        foreach (var name in compared)
        {
            var error = SafetensorsFloats.MaxAbsError(ours[name], reference[name]);
            output.WriteLine($"{fixture} {component} {name}: max abs error {error:E2} (tolerance {tolerance:E0})");
            Assert.True(error <= tolerance, $"{name}: max abs error {error:E2} > {tolerance:E0}");
        }
        Assert.All(ours.Names, n => Assert.StartsWith(prefix, n, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ControlNetReadsItsWeightsAndTheUNetsAsOneUnion()
    {
        var folder = SharedData.Require("reference/controlnet-tiny");
        var unetWeights = Path.Combine(SharedData.Require("reference/unet-tiny-sd15shape"), "weights.safetensors");
        var io = Path.Combine(folder, "io.safetensors");
        var outPath = Path.Combine(_work.Path, "out.safetensors");

        var result = await CliProcess.RunAsync(_work.Path, "models", "eval", "--component", "controlnet", "--device", "cpu",
            "--config", Path.Combine(folder, "config.json"), "--weights", Path.Combine(folder, "weights.safetensors"), "--weights", unetWeights,
            "--inputs", io, "--out", outPath);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var ours = new SafetensorsFloats(outPath);
        var reference = new SafetensorsFloats(io);
        foreach (var name in Enumerable.Range(0, 12).Select(i => $"down_res_{i}").Append("mid_res"))
        {
            var error = SafetensorsFloats.MaxAbsError(ours[name], reference[name]);
            output.WriteLine($"controlnet-tiny {name}: max abs error {error:E2} (tolerance 2E-05)");
            Assert.True(error <= 2e-5, $"{name}: max abs error {error:E2}");
        }
    }

    [Fact]
    public async Task TaesdDecodesFromTorchPthWeights()
    {
        var (shape, latent) = ReadNpyFloat32(SharedData.Require("real-data/reference-outputs/taef2_astronaut_latent_f32.npy"));
        var inputs = SyntheticSafetensors.WriteFloat32(Path.Combine(_work.Path, "in.safetensors"), "latent", shape, latent);
        var outPath = Path.Combine(_work.Path, "out.safetensors");

        var result = await CliProcess.RunAsync(_work.Path, "models", "eval", "--component", "taesd_decoder", "--device", "cpu",
            "--weights", SharedData.Require("real-data/taesd/taef2_decoder.pth"), "--inputs", inputs, "--out", outPath);

        Assert.True(result.ExitCode == 0, result.StandardError);
        // First 8 raw decoder outputs of madebyollin's taesd.py (torch fp32) on this latent, as the Models tests use them.
        float[] first8 = [0.5373458862304688f, 0.28345370292663574f, 0.28043612837791443f, 0.2912452816963196f, 0.262844055891037f, 0.3318425118923187f, 0.4751182198524475f, 0.568674623966217f];
        var decoded = new SafetensorsFloats(outPath)["dec_sample"];
        var error = SafetensorsFloats.MaxAbsError(([8], decoded.Values[..8]), ([8], first8));
        output.WriteLine($"taef2 taesd_decoder dec_sample[..8]: max abs error {error:E2} (tolerance 1E-04)");
        Assert.True(error <= 1e-4, $"max abs error {error:E2}");
    }

    [Fact]
    public async Task RepeatedWeightsAreOneUnion()
    {
        var folder = SharedData.Require("reference/clip-text-tiny");
        var extra = Path.Combine(_work.Path, "extra.safetensors");
        File.WriteAllBytes(extra, EmptySafetensors());
        var outPath = Path.Combine(_work.Path, "out.safetensors");
        var result = await CliProcess.RunAsync(_work.Path, "models", "eval", "--component", "text_encoder", "--device", "cpu",
            "--config", Path.Combine(folder, "config.json"), "--weights", Path.Combine(folder, "weights.safetensors"), "--weights", extra,
            "--inputs", Path.Combine(folder, "io.safetensors"), "--out", outPath);
        Assert.True(result.ExitCode == 0, result.StandardError);

        var missing = await CliProcess.RunAsync(_work.Path, "models", "eval", "--component", "text_encoder", "--device", "cpu",
            "--config", Path.Combine(folder, "config.json"), "--weights", extra,
            "--inputs", Path.Combine(folder, "io.safetensors"), "--out", outPath);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("token_embedding", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileIsNamedWithExitTwo()
    {
        var folder = SharedData.Require("reference/vae-tiny");
        var absent = Path.Combine(_work.Path, "absent.safetensors");
        var result = await CliProcess.RunAsync(_work.Path, "models", "eval", "--component", "vae_decoder",
            "--config", Path.Combine(folder, "config.json"), "--weights", absent,
            "--inputs", Path.Combine(folder, "io.safetensors"), "--out", Path.Combine(_work.Path, "o.safetensors"));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(absent, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownComponentIsExitTwo()
    {
        var folder = SharedData.Require("reference/vae-tiny");
        var result = await CliProcess.RunAsync(_work.Path, "models", "eval", "--component", "refiner",
            "--config", Path.Combine(folder, "config.json"), "--weights", Path.Combine(folder, "weights.safetensors"),
            "--inputs", Path.Combine(folder, "io.safetensors"), "--out", Path.Combine(_work.Path, "o.safetensors"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("refiner", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("vae_decoder", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingInputTensorIsNamedWithExitTwo()
    {
        var folder = SharedData.Require("reference/vae-tiny");
        var result = await CliProcess.RunAsync(_work.Path, "models", "eval", "--component", "vae_decoder",
            "--config", Path.Combine(folder, "config.json"), "--weights", Path.Combine(folder, "weights.safetensors"),
            "--inputs", Path.Combine(folder, "io.safetensors"), "--prefix", "zz_", "--out", Path.Combine(_work.Path, "o.safetensors"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'zz_latent'", result.StandardError, StringComparison.Ordinal);
    }

    // .npy v1/v2: magic, version, little-endian header length, a Python-dict header with the shape, then the raw data.
    private static (long[] Shape, float[] Values) ReadNpyFloat32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var (headerLength, start) = bytes[6] == 1 ? (BitConverter.ToUInt16(bytes, 8), 10) : ((int)BitConverter.ToUInt32(bytes, 8), 12);
        var header = System.Text.Encoding.ASCII.GetString(bytes, start, headerLength);
        Assert.Contains("'<f4'", header, StringComparison.Ordinal);
        var shapeText = System.Text.RegularExpressions.Regex.Match(header, @"'shape': \(([^)]*)\)").Groups[1].Value;
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var values = new float[(bytes.Length - start - headerLength) / 4];
        Buffer.BlockCopy(bytes, start + headerLength, values, 0, values.Length * 4);
        return (shape, values);
    }

    private static byte[] EmptySafetensors()
    {
        var header = "{}      "u8.ToArray();
        return [.. BitConverter.GetBytes((ulong)header.Length), .. header];
    }
}
