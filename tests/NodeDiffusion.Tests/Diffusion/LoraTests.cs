using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Lora;

namespace NodeDiffusion.Tests.Diffusion;

public sealed class LoraTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    [Fact]
    public async Task StrengthZeroIsBitIdenticalToNoLoraAndNonZeroChangesTheImage()
    {
        var host = demo.NewHost();
        var plain = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("txt2img.json", "plain"));
        var off = WorkflowRuns.Load("lora.json", "off");
        off.Set("10", "strength_model", 0.0);
        off.Set("10", "strength_clip", 0.0);
        Assert.Equal(plain, await WorkflowRuns.PixelsAsync(host, off));
        var modelOnlyOff = WorkflowRuns.Load("lora-stack.json", "stack-off");
        modelOnlyOff.Set("10", "strength_model", 0.0);
        modelOnlyOff.Set("10", "strength_clip", 0.0);
        modelOnlyOff.Set("11", "strength_model", 0.0);
        Assert.Equal(plain, await WorkflowRuns.PixelsAsync(demo.NewHost(), modelOnlyOff));

        var on = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("lora.json", "on"));
        Assert.NotEqual(plain, on);
        var clipOnly = WorkflowRuns.Load("lora.json", "clip-only");
        clipOnly.Set("10", "strength_model", 0.0);
        var clipOnlyPixels = await WorkflowRuns.PixelsAsync(host, clipOnly);
        Assert.NotEqual(plain, clipOnlyPixels);
        Assert.NotEqual(on, clipOnlyPixels);
        var stacked = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("lora-stack.json", "stack"));
        Assert.NotEqual(on, stacked);
        Assert.NotEqual(plain, stacked);
    }

    [Fact]
    public void TheMergedWeightsEqualTheFormulaForOneLayer()
    {
        var models = demo.NewHost().Settings.Roots.Models;
        var checkpoint = DiffusersCheckpoint.Open(Path.Combine(models, "checkpoints", DemoCheckpoint.Name));
        var loraPath = Path.Combine(models, "loras", DemoLora.FileName);
        const string target = "down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight";
        const string module = "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn2_to_k";
        const float strength = 0.7f;
        using var unet = SafetensorsWeightSource.Open(checkpoint.UnetWeights);
        var merged = CompiledModels.Merge(unet, KohyaLora.UnetPrefix, [new LoraApplication(loraPath, "test", strength)]).Read(target);

        using var lora = SafetensorsFile.Open(loraPath);
        var down = lora.ReadFloat32(module + ".lora_down.weight");
        var up = lora.ReadFloat32(module + ".lora_up.weight");
        var alpha = lora.ReadFloat32(module + ".alpha")[0];
        var weight = unet.Read(target);
        var (rows, columns) = ((int)weight.Shape[0], (int)weight.Shape[1]);
        var rank = down.Length / columns;
        Assert.Equal(DemoLora.Rank, rank);
        var changed = 0;
        for (var o = 0; o < rows; o++)
        {
            for (var i = 0; i < columns; i++)
            {
                double product = 0;
                for (var r = 0; r < rank; r++)
                {
                    product += (double)up[(o * rank) + r] * down[(r * columns) + i];
                }
                var expected = weight.Values[(o * columns) + i] + (strength * (alpha / rank) * product);
                Assert.Equal(expected, merged.Values[(o * columns) + i], 1e-5);
                changed += Math.Abs(product) > 1e-3 ? 1 : 0;
            }
        }
        Assert.True(changed > rows * columns / 2, "The demo LoRA should change most of the layer.");
    }

    [Fact]
    public async Task UnmatchedModulesAreWarnedAboutAndTheRestApplies()
    {
        var host = demo.NewHost();
        var loras = Path.Combine(host.Settings.Roots.Models, "loras");
        using (var source = SafetensorsFile.Open(Path.Combine(loras, DemoLora.FileName)))
        {
            var tensors = source.Tensors.Select(t => SafetensorsTensor.FromFloat32(t.Name, t.Shape, source.ReadFloat32(t.Name))).ToList();
            tensors.Add(SafetensorsTensor.FromFloat32("lora_unet_no_such_block_proj.lora_down.weight", [1, 2], [1f, 2f]));
            tensors.Add(SafetensorsTensor.FromFloat32("lora_unet_no_such_block_proj.lora_up.weight", [2, 1], [1f, 2f]));
            SafetensorsWriter.WriteFile(Path.Combine(loras, "extra-modules.safetensors"), tensors, new Dictionary<string, string>());
        }
        var workflow = WorkflowRuns.Load("lora.json", "extra");
        workflow.Set("10", "lora_name", "extra-modules.safetensors");
        var (result, events) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.True(result.Status == ExecutionStatus.Success, result.Error?.Message);
        var warning = Assert.Single(events.OfType<NodeWarning>(), w => w.NodeId == "10");
        Assert.Contains("lora_unet_no_such_block_proj", warning.Message, StringComparison.Ordinal);
        Assert.Equal(await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("lora.json", "reference")), await WorkflowRuns.PixelsAsync(host, workflow));
    }

    [Fact]
    public async Task AFileThatIsNoLoraIsANodeErrorNamingIt()
    {
        var host = demo.NewHost();
        await File.WriteAllTextAsync(Path.Combine(host.Settings.Roots.Models, "loras", "not-a-lora.safetensors"), "this is not a safetensors file");
        var workflow = WorkflowRuns.Load("lora.json", "broken");
        workflow.Set("10", "lora_name", "not-a-lora.safetensors");
        var (result, _) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains("not-a-lora.safetensors", result.Error!.Message, StringComparison.Ordinal);
    }
}
