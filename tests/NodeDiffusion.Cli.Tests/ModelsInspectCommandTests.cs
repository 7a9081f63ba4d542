using System.Text.Json.Nodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Cli.Tests;

public sealed class ModelsInspectCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _work = new("nd-inspect");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task CloneofsimoLorasAreNamedWithMetadataAndMatchSd15()
    {
        var report = await InspectAsync(SharedData.Require("real-data/lora/analog_svd_rank4.safetensors"));
        Assert.Equal("lora", report["kind"]!.GetValue<string>());
        Assert.Equal("cloneofsimo", report["variant"]!.GetValue<string>());
        Assert.Equal(384, report["tensor_count"]!.GetValue<int>());
        Assert.Equal(384, report["dtypes"]!["F16"]!.GetValue<int>());
        Assert.Equal("4", report["metadata"]!["text_encoder:0:rank"]!.GetValue<string>());
        var match = report["sd15_match"]!;
        output.WriteLine($"analog_svd_rank4: {match["matched"]} of {match["total"]} modules match SD1.5");
        // 144 UNet + 48 text-encoder modules, each a down/up pair (192 × 2 = 384 tensors).
        Assert.Equal(192, match["total"]!.GetValue<int>());
        Assert.Equal(192, match["matched"]!.GetValue<int>());
    }

    [Fact]
    public async Task ALoraCarryingTokensIsStillALora()
    {
        var report = await InspectAsync(SharedData.Require("real-data/lora/lora_disney.safetensors"));
        Assert.Equal("lora", report["kind"]!.GetValue<string>());
        Assert.Equal("cloneofsimo", report["variant"]!.GetValue<string>());
        Assert.Equal("<embed>", report["metadata"]!["<s1>"]!.GetValue<string>());
        Assert.Equal(report["sd15_match"]!["total"]!.GetValue<int>(), report["sd15_match"]!["matched"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("EasyNegative.safetensors", "A1111 textual inversion")]
    [InlineData("bad-hands-5.pt", "A1111 textual inversion")]
    [InlineData("eyeliner2.pt", "A1111 textual inversion")]
    [InlineData("bad_prompt_version2.pt", "A1111 textual inversion")]
    [InlineData("birb-style_learned_embeds.bin", "diffusers textual inversion")]
    public async Task EmbeddingsAreRecognisedAsSd15Vectors(string name, string variant)
    {
        var report = await InspectAsync(SharedData.Require("real-data/embeddings/" + name));
        Assert.Equal("embedding", report["kind"]!.GetValue<string>());
        Assert.Equal(variant, report["variant"]!.GetValue<string>());
        var match = report["sd15_match"]!;
        output.WriteLine($"{name}: {match["matched"]} of {match["total"]} vectors fit SD1.5");
        Assert.True(match["total"]!.GetValue<int>() >= 1);
        Assert.Equal(match["total"]!.GetValue<int>(), match["matched"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("unet-tiny-sd15shape", "unet", 684)]
    [InlineData("clip-text-tiny", "text_encoder", 84)]
    [InlineData("vae-tiny", "vae", -1)]
    public async Task ReferenceWeightsAreNamedByArchitecture(string fixture, string kind, int tensors)
    {
        var report = await InspectAsync(Path.Combine(SharedData.Require("reference/" + fixture), "weights.safetensors"));
        Assert.Equal(kind, report["kind"]!.GetValue<string>());
        if (tensors >= 0)
        {
            Assert.Equal(tensors, report["tensor_count"]!.GetValue<int>());
        }
        Assert.Null(report["sd15_match"]);
    }

    [Fact]
    public async Task TaesdWeightsAreNamed()
    {
        var report = await InspectAsync(SharedData.Require("real-data/taesd/taef2_decoder.pth"));
        Assert.Equal("taesd", report["kind"]!.GetValue<string>());
        Assert.Equal("decoder", report["variant"]!.GetValue<string>());
    }

    [Fact]
    public async Task PlainOutputSaysWhatItIs()
    {
        var result = await CliProcess.RunAsync(_work.Path, "models", "inspect", SharedData.Require("real-data/lora/analog_svd_rank4.safetensors"));
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("kind:     lora (cloneofsimo)", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("SD1.5:    192 of 192 modules match", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("corrupt.safetensors")]
    [InlineData("corrupt.pt")]
    public async Task ACorruptFileIsAClearErrorWithExitTwo(string name)
    {
        var path = Path.Combine(_work.Path, name);
        File.WriteAllBytes(path, name.EndsWith(".pt", StringComparison.Ordinal) ? [0x50, 0x4B, 3, 4, 9, 9, 9, 9, 9, 9] : [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, (byte)'{', (byte)'x']);
        var result = await CliProcess.RunAsync(_work.Path, "models", "inspect", path);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: cannot read ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(name, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALegacyTorchPickleIsNamedAsSuch()
    {
        var path = Path.Combine(_work.Path, "legacy.pt");
        File.WriteAllBytes(path, [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20]);
        var result = await CliProcess.RunAsync(_work.Path, "models", "inspect", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("legacy (non-zip) torch pickle", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileIsExitTwo()
    {
        var result = await CliProcess.RunAsync(_work.Path, "models", "inspect", Path.Combine(_work.Path, "absent.safetensors"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("absent.safetensors", result.StandardError, StringComparison.Ordinal);
    }

    private async Task<JsonNode> InspectAsync(string path)
    {
        var result = await CliProcess.RunAsync(_work.Path, "models", "inspect", "--json", path);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
