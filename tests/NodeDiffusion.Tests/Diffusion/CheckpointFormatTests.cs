using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Checkpoints.Onnx;
using NodeDiffusion.Models.Checkpoints.SingleFile;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Nodes.Diffusion.Services;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>
/// LoadCheckpoint on the other checkpoint formats: an original-layout single file and an Optimum-layout ONNX folder, both
/// made from the demo checkpoint, give the demo's image; foreign architectures and misuse are named.
/// </summary>
public sealed class CheckpointFormatTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    private const string SingleFile = "demo-single.safetensors";
    private const string OnnxFolder = "demo-onnx";

    private static string Checkpoints(EngineHost host) => Path.Combine(host.Settings.Roots.Models, "checkpoints");

    private static DiffusersCheckpoint Demo(EngineHost host) => DiffusersCheckpoint.Open(Path.Combine(Checkpoints(host), DemoCheckpoint.Name));

    private static Workflow Txt2Img(string checkpoint, string prefix)
    {
        var workflow = WorkflowRuns.Load("txt2img.json", prefix);
        workflow.Set("4", "ckpt_name", checkpoint);
        return workflow;
    }

    [Fact]
    public async Task ASingleFileCheckpointGivesTheDiffusersFoldersImageBitForBit()
    {
        var host = demo.NewHost();
        var path = Path.Combine(Checkpoints(host), SingleFile);
        if (!File.Exists(path))
        {
            SingleFileCheckpointWriter.Write(Demo(host), path);
        }
        var tokenizers = Path.Combine(host.Settings.Roots.Models, "tokenizers", "clip-vit-large-patch14");
        if (Directory.Exists(tokenizers))
        {
            Directory.Delete(tokenizers, recursive: true);
        }
        var (failed, _) = await WorkflowRuns.RunAsync(host, Txt2Img(SingleFile, "no-tokenizer"));
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Contains($"\"{SingleFile}\" is a single-file checkpoint, which carries no tokenizer", failed.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("into models/tokenizers/clip-vit-large-patch14/", failed.Error.Message, StringComparison.Ordinal);

        Directory.CreateDirectory(tokenizers);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Checkpoints(host), DemoCheckpoint.Name, "tokenizer")))
        {
            File.Copy(file, Path.Combine(tokenizers, Path.GetFileName(file)));
        }
        host = demo.NewHost();
        var folder = await WorkflowRuns.PixelsAsync(host, Txt2Img(DemoCheckpoint.Name, "folder"));
        var single = await WorkflowRuns.PixelsAsync(demo.NewHost(), Txt2Img(SingleFile, "single"));
        Assert.Equal(folder, single);

        // A fine-tune is just another single file: LoRAs merge into it as into the folder.
        var loraFolder = await WorkflowRuns.PixelsAsync(demo.NewHost(), WorkflowRuns.Load("lora.json", "lora-folder"));
        var lora = WorkflowRuns.Load("lora.json", "lora-single");
        lora.Set("4", "ckpt_name", SingleFile);
        Assert.Equal(loraFolder, await WorkflowRuns.PixelsAsync(demo.NewHost(), lora));
        Directory.Delete(tokenizers, recursive: true);
    }

    [Fact]
    public async Task AnOnnxExportFolderGivesTheDiffusersFoldersImage()
    {
        var host = demo.NewHost();
        var path = Path.Combine(Checkpoints(host), OnnxFolder);
        if (!Directory.Exists(path))
        {
            OnnxExportWriter.Write(Demo(host), path);
        }
        var folder = await WorkflowRuns.PixelsAsync(host, Txt2Img(DemoCheckpoint.Name, "folder"));
        var exported = await WorkflowRuns.PixelsAsync(demo.NewHost(), Txt2Img(OnnxFolder, "onnx"));
        // The exported components equal ours exactly (Models tests); the tolerance allows one 8-bit level for any
        // kernel choice that differs between the two sessions.
        var maxDiff = folder.Zip(exported, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1, $"max pixel difference {maxDiff}");

        var lora = WorkflowRuns.Load("lora.json", "onnx-lora");
        lora.Set("4", "ckpt_name", OnnxFolder);
        var (result, _) = await WorkflowRuns.RunAsync(demo.NewHost(), lora);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains($"\"{OnnxFolder}\" is a pre-exported ONNX model; LoRA needs a safetensors checkpoint", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnSdxlFileIsNamedAsSuchAndAMissingNameListsTheClosest()
    {
        var host = demo.NewHost();
        SafetensorsWriter.WriteFile(Path.Combine(Checkpoints(host), "big-xl.safetensors"),
        [
            SafetensorsTensor.FromFloat32("conditioner.embedders.1.model.ln_final.weight", [2], [1f, 1f]),
            SafetensorsTensor.FromFloat32("model.diffusion_model.label_emb.0.0.weight", [2, 2], [1f, 0f, 0f, 1f]),
            SafetensorsTensor.FromFloat32("model.diffusion_model.input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight", [1, 2048], new float[2048]),
        ]);
        var (result, _) = await WorkflowRuns.RunAsync(host, Txt2Img("big-xl.safetensors", "xl"));
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains("\"big-xl.safetensors\" looks like an SDXL checkpoint; NodeDiffusion runs SD1.x-family models", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("ckpt_name", result.Error.InputName);
        Assert.False(result.Error.IsInternal);

        var models = host.Services.Get<DiffusionModels>();
        var missing = Assert.Throws<NodeException>(() => models.Resolve("big-lx.safetensors"));
        Assert.Contains("The checkpoint \"big-lx.safetensors\" is not in models/checkpoints. Closest: \"big-xl.safetensors\"", missing.Message, StringComparison.Ordinal);
    }
}
