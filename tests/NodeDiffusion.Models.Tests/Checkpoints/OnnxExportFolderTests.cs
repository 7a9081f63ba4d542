using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Checkpoints.Onnx;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Checkpoints;

/// <summary>
/// Pre-exported ONNX folders in the exporters' I/O conventions (Optimum: float scalar timestep, int64 ids,
/// latent_parameters, hidden_states.N, model.onnx_data; old diffusers script: int64 timestep, int32 ids), run through the
/// I/O adapter, against the demo checkpoint compiled by us.
/// </summary>
public sealed class OnnxExportFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new("nd-onnx");
    private readonly DiffusersCheckpoint _demo;

    public OnnxExportFolderTests()
    {
        DemoCheckpoint.Write(_dir.Combine("demo"));
        _demo = DiffusersCheckpoint.Open(_dir.Combine("demo"));
    }

    public void Dispose() => _dir.Dispose();

    private static FloatTensor Pattern(long[] shape, float scale)
    {
        var tensor = FloatTensor.Zeros(shape);
        for (var i = 0; i < tensor.Data.Length; i++)
        {
            tensor.Data[i] = MathF.Sin(i * 0.37f) * scale;
        }
        return tensor;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void ExportedComponentsGiveOurOutputs(bool int64Timestep, bool int32Ids)
    {
        var folder = _dir.Combine($"onnx-{int64Timestep}");
        OnnxExportWriter.Write(_demo, folder, new OnnxExportOptions(Int64Timestep: int64Timestep, Int32InputIds: int32Ids));
        Assert.True(File.Exists(Path.Combine(folder, "unet", "model.onnx_data")));
        var exported = DiffusersCheckpoint.OpenAny(folder);
        Assert.Equal(CheckpointFormat.Onnx, exported.Format);
        Assert.False(exported.HasWeights);
        Assert.Contains("is a pre-exported ONNX model; LoRA needs a safetensors checkpoint", exported.NeedsWeights("LoRA").Message);

        using var models = new CompiledModels(Sessions.CpuFactory);
        using var theirs = new CompiledModels(Sessions.CpuFactory);

        var ids = new Int64Tensor([1, 77], Enumerable.Range(0, 77).Select(i => (long)(i == 0 ? 520 : i < 6 ? 40 + i : 521)).ToArray());
        var text = models.TextEncoder(_demo).Run(new Dictionary<string, HostTensor> { ["input_ids"] = ids });
        var exportedText = theirs.TextEncoder(exported);
        var textOut = exportedText.Run(new Dictionary<string, HostTensor> { ["input_ids"] = ids });
        Compare.MaxAbs("last_hidden_state", text["last_hidden_state"], textOut["last_hidden_state"], 0);
        Compare.MaxAbs("pooler_output", text["pooler_output"], textOut["pooler_output"], 0);
        Compare.MaxAbs("clip_skip_1 from hidden_states.N", text["clip_skip_1"], textOut["clip_skip_1"], 0);

        var feeds = new Dictionary<string, HostTensor>
        {
            ["sample"] = Pattern([2, 4, 8, 8], 1f),
            ["timestep"] = new FloatTensor([2], [500f, 500f]),
            ["encoder_hidden_states"] = new FloatTensor([2, 77, 64], [.. text["last_hidden_state"].Data, .. text["last_hidden_state"].Data]),
        };
        var eps = models.Unet(_demo).Run(feeds)["out_sample"];
        Compare.MaxAbs("out_sample (integral t)", eps, theirs.Unet(exported).Run(feeds)["out_sample"], 0);
        feeds["timestep"] = new FloatTensor([2], [500.3f, 500.3f]);
        var fractional = theirs.Unet(exported).Run(feeds)["out_sample"];
        if (int64Timestep)
        {
            Compare.MaxAbs("int64 UNet rounds t", eps, fractional, 0);
        }
        else
        {
            Compare.MaxAbs("float UNet keeps fractional t", models.Unet(_demo).Run(feeds)["out_sample"], fractional, 0);
        }

        var latent = new Dictionary<string, HostTensor> { ["latent_sample"] = Pattern([1, 4, 8, 8], 2f) };
        Compare.MaxAbs("vae sample", models.VaeDecoder(_demo).Run(latent)["sample"], theirs.VaeDecoder(exported).Run(latent)["sample"], 0);
        var image = new Dictionary<string, HostTensor> { ["sample"] = Pattern([1, 3, 64, 64], 0.9f) };
        Compare.MaxAbs("latent_mean from latent_parameters", models.VaeEncoder(_demo).Run(image, ["latent_mean"])["latent_mean"], theirs.VaeEncoder(exported).Run(image, ["latent_mean"])["latent_mean"], 0);
        Report.Line($"ONNX export (int64 timestep {int64Timestep}, int32 ids {int32Ids}): text, unet, vae outputs equal ours exactly; session weights {theirs.WeightBytes} bytes");
    }

    [Fact]
    public void ForeignInputsAndArchitecturesAreNamed()
    {
        var folder = _dir.Combine("sdxl");
        OnnxExportWriter.Write(_demo, folder);
        Directory.CreateDirectory(Path.Combine(folder, "text_encoder_2"));
        var sdxl = Assert.Throws<InvalidDataException>(() => DiffusersCheckpoint.OpenAny(folder));
        Assert.Contains("\"sdxl\" looks like an SDXL/SD3 ONNX export", sdxl.Message);

        var inpaint = _dir.Combine("inpaint");
        OnnxExportWriter.Write(_demo, inpaint);
        File.WriteAllText(Path.Combine(inpaint, "unet", "config.json"), File.ReadAllText(Path.Combine(inpaint, "unet", "config.json")).Replace("\"in_channels\": 4", "\"in_channels\": 9", StringComparison.Ordinal));
        Assert.Contains("looks like an SD1.x inpainting ONNX export", Assert.Throws<InvalidDataException>(() => DiffusersCheckpoint.OpenAny(inpaint)).Message);

        var missing = _dir.Combine("missing");
        OnnxExportWriter.Write(_demo, missing);
        File.Delete(Path.Combine(missing, "vae_decoder", "model.onnx"));
        Assert.Contains("has no vae_decoder/model.onnx", Assert.Throws<InvalidDataException>(() => DiffusersCheckpoint.OpenAny(missing)).Message);

        // A text encoder given where a UNet is expected: its inputs are named.
        var wrong = _dir.Combine("wrong");
        OnnxExportWriter.Write(_demo, wrong);
        File.Copy(Path.Combine(wrong, "text_encoder", "model.onnx"), Path.Combine(wrong, "unet", "model.onnx"), overwrite: true);
        using var models = new CompiledModels(Sessions.CpuFactory);
        var error = Assert.Throws<InvalidDataException>(() => models.Unet(DiffusersCheckpoint.OpenAny(wrong)));
        Assert.Contains("its inputs [input_ids] are not those of an SD1.x Unet (expected [sample, timestep, encoder_hidden_states]; unknown: input_ids)", error.Message);
        Assert.Contains("is a pre-exported ONNX model; LoRA needs", Assert.Throws<InvalidDataException>(() => models.Unet(DiffusersCheckpoint.OpenAny(wrong), [new LoraApplication("x.safetensors", "f", 1f)])).Message);
    }
}
