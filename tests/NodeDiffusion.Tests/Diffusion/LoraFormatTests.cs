using System.Diagnostics;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Lora;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>
/// LoadLora with every layout ComfyUI loads for SD1: the demo kohya LoRA rewritten in another layout must give the
/// very same image, and merged weights of generated LoCon/LoHa/PEFT files equal W + s·(α/r)·ΔW computed here.
/// </summary>
public sealed class LoraFormatTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    private const string UnetComponent = "unet";
    private const string TextComponent = "text_encoder";

    /// <summary>The demo LoRA's modules: component, diffusers parameter path (no ".weight"), down, up, alpha.</summary>
    private sealed record Module(string Component, string Path, SafetensorsTensor Down, SafetensorsTensor Up, float Alpha)
    {
        public int Rank => (int)Down.Shape[0];

        /// <summary>up · alpha/rank (exact for the demo's 2/4), for layouts without an alpha.</summary>
        public SafetensorsTensor ScaledUp(string name)
        {
            var values = Float32(Up).Select(v => v * (Alpha / Rank)).ToArray();
            return SafetensorsTensor.FromFloat32(name, Up.Shape, values);
        }
    }

    public static TheoryData<string> Layouts() => ["peft", "peft-wrapped", "processor", "lora-dot-alpha", "cloneofsimo"];

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task EveryLayoutOfTheDemoLoraGivesTheKohyaImage(string layout)
    {
        var host = demo.NewHost();
        var models = host.Settings.Roots.Models;
        var file = $"demo-{layout}.safetensors";
        SafetensorsWriter.WriteFile(Path.Combine(models, "loras", file), Rewrite(models, layout));
        var reference = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("lora.json", "kohya-" + layout));
        var workflow = WorkflowRuns.Load("lora.json", layout);
        workflow.Set("10", "lora_name", file);
        var (result, events) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.True(result.Status == ExecutionStatus.Success, result.Error?.Message);
        Assert.DoesNotContain(events.OfType<NodeWarning>(), w => w.NodeId == "10");
        Assert.Equal(reference, await WorkflowRuns.PixelsAsync(host, workflow));
    }

    [Fact]
    public async Task UnmatchedDiffusersModulesAreListedInANodeWarning()
    {
        var host = demo.NewHost();
        var models = host.Settings.Roots.Models;
        var tensors = Rewrite(models, "peft");
        tensors.Add(SafetensorsTensor.FromFloat32("unet.no_such_block.to_q.lora_A.weight", [1, 2], [1f, 2f]));
        tensors.Add(SafetensorsTensor.FromFloat32("unet.no_such_block.to_q.lora_B.weight", [2, 1], [1f, 2f]));
        SafetensorsWriter.WriteFile(Path.Combine(models, "loras", "peft-extra.safetensors"), tensors);
        var workflow = WorkflowRuns.Load("lora.json", "peft-extra");
        workflow.Set("10", "lora_name", "peft-extra.safetensors");
        var (result, events) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.True(result.Status == ExecutionStatus.Success, result.Error?.Message);
        var warning = Assert.Single(events.OfType<NodeWarning>(), w => w.NodeId == "10");
        Assert.Contains("unet.no_such_block.to_q", warning.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> MergeCases() => ["locon-conv3x3", "locon-conv1x1", "loha-linear", "loha-conv", "peft-linear", "peft-text"];

    /// <summary>Merged weights equal W + s·(α/r)·ΔW, computed directly (ΔW = up·down, or (w1a·w1b)⊙(w2a·w2b) for LoHa).</summary>
    [Theory]
    [MemberData(nameof(MergeCases))]
    public void MergedWeightsEqualTheFormula(string kind)
    {
        var models = demo.Settings.Roots.Models;
        _ = demo.NewHost();
        var checkpoint = DiffusersCheckpoint.Open(Path.Combine(models, "checkpoints", DemoCheckpoint.Name));
        var text = kind == "peft-text";
        using var weights = SafetensorsWeightSource.Open(text ? checkpoint.TextEncoderWeights : checkpoint.UnetWeights);
        var target = kind switch
        {
            "locon-conv3x3" or "loha-conv" => "down_blocks.1.resnets.0.conv1.weight",
            "locon-conv1x1" => "down_blocks.1.resnets.0.conv_shortcut.weight",
            "peft-text" => "text_model.encoder.layers.1.mlp.fc1.weight",
            _ => "up_blocks.2.attentions.0.transformer_blocks.0.ff.net.0.proj.weight",
        };
        var shape = weights.GetShape(target);
        var (outF, inF) = ((int)shape[0], (int)(shape.Aggregate(1L, (a, b) => a * b) / shape[0]));
        var module = target[..^".weight".Length];
        var kohya = KohyaLora.UnetPrefix + "_" + module.Replace('.', '_');
        var random = new Random(kind.Length);
        float[] Uniform(int n) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        const int rank = 3;
        const float alpha = 1.5f;
        const float strength = 0.8f;
        var tensors = new List<SafetensorsTensor>();
        var delta = new double[outF * inF];
        var scale = alpha / rank;
        long[] downShape = shape.Length == 4 ? [rank, shape[1], shape[2], shape[3]] : [rank, inF];
        switch (kind)
        {
            case "locon-conv3x3" or "locon-conv1x1" or "peft-linear" or "peft-text":
                {
                    var (down, up) = (Uniform(rank * inF), Uniform(outF * rank));
                    if (kind.StartsWith("locon", StringComparison.Ordinal))
                    {
                        tensors.Add(SafetensorsTensor.FromFloat32(kohya + ".lora_down.weight", downShape, down));
                        tensors.Add(SafetensorsTensor.FromFloat32(kohya + ".lora_up.weight", [outF, rank, 1, 1], up));
                        tensors.Add(SafetensorsTensor.FromFloat32(kohya + ".alpha", [], [alpha]));
                    }
                    else
                    {
                        var prefix = text ? "text_encoder." : "unet.";
                        tensors.Add(SafetensorsTensor.FromFloat32(prefix + module + ".lora_A.weight", [rank, inF], down));
                        tensors.Add(SafetensorsTensor.FromFloat32(prefix + module + ".lora_B.weight", [outF, rank], up));
                        scale = 1f;
                    }
                    for (var o = 0; o < outF; o++)
                    {
                        for (var i = 0; i < inF; i++)
                        {
                            for (var r = 0; r < rank; r++)
                            {
                                delta[(o * inF) + i] += (double)up[(o * rank) + r] * down[(r * inF) + i];
                            }
                        }
                    }
                    break;
                }
            default:
                {
                    var (w1a, w1b, w2a, w2b) = (Uniform(outF * rank), Uniform(rank * inF), Uniform(outF * rank), Uniform(rank * inF));
                    tensors.Add(SafetensorsTensor.FromFloat32(kohya + ".hada_w1_a", [outF, rank], w1a));
                    tensors.Add(SafetensorsTensor.FromFloat32(kohya + ".hada_w1_b", [rank, inF], w1b));
                    tensors.Add(SafetensorsTensor.FromFloat32(kohya + ".hada_w2_a", [outF, rank], w2a));
                    tensors.Add(SafetensorsTensor.FromFloat32(kohya + ".hada_w2_b", [rank, inF], w2b));
                    tensors.Add(SafetensorsTensor.FromFloat32(kohya + ".alpha", [], [alpha]));
                    for (var o = 0; o < outF; o++)
                    {
                        for (var i = 0; i < inF; i++)
                        {
                            double a = 0, b = 0;
                            for (var r = 0; r < rank; r++)
                            {
                                a += (double)w1a[(o * rank) + r] * w1b[(r * inF) + i];
                                b += (double)w2a[(o * rank) + r] * w2b[(r * inF) + i];
                            }
                            delta[(o * inF) + i] = a * b;
                        }
                    }
                    break;
                }
        }
        var path = Path.Combine(models, "loras", $"merge-{kind}.safetensors");
        SafetensorsWriter.WriteFile(path, tensors);
        var merged = CompiledModels.Merge(weights, text ? KohyaLora.TextEncoderPrefix : KohyaLora.UnetPrefix, [new LoraApplication(path, kind, strength)]).Read(target);
        var original = weights.Read(target);
        Assert.Equal(shape, merged.Shape);
        for (var n = 0; n < delta.Length; n++)
        {
            Assert.Equal(original.Values[n] + (strength * scale * delta[n]), merged.Values[n], 1e-4);
        }
        Assert.True(delta.Count(d => Math.Abs(d) > 1e-2) > delta.Length / 2, "the update must change most of the weight");
    }

    /// <summary>
    /// Not a timed assertion: reports how long a first compile with a LoRA takes versus a strength change (a new session
    /// whose merge touches only the LoRA's weights), for the record.
    /// </summary>
    [Fact]
    public void StrengthChangeRecompilesWithOnlyTheTouchedWeightsMerged()
    {
        var models = demo.Settings.Roots.Models;
        _ = demo.NewHost();
        var checkpoint = DiffusersCheckpoint.Open(Path.Combine(models, "checkpoints", DemoCheckpoint.Name));
        var lora = Path.Combine(models, "loras", DemoLora.FileName);
        using var compiled = new CompiledModels(new NodeDiffusion.Models.Runtime.SessionFactory(new NodeDiffusion.Models.Runtime.SessionOptionsSpec(PreferCuda: false)));
        var clock = Stopwatch.StartNew();
        var plain = compiled.Unet(checkpoint, []);
        var plainMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var first = compiled.Unet(checkpoint, [new LoraApplication(lora, "f", 1f)]);
        var firstMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var second = compiled.Unet(checkpoint, [new LoraApplication(lora, "f", 0.7f)]);
        var secondMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        using var unet = SafetensorsWeightSource.Open(checkpoint.UnetWeights);
        var merge = CompiledModels.Merge(unet, KohyaLora.UnetPrefix, [new LoraApplication(lora, "f", 0.7f)]);
        var touched = unet.Names.Where(n => n.Contains(".attn", StringComparison.Ordinal) && !n.Contains("norm", StringComparison.Ordinal)).ToList();
        foreach (var name in touched)
        {
            _ = merge.Read(name);
        }
        var mergeMs = clock.Elapsed.TotalMilliseconds;
        Assert.NotSame(first, second);
        Assert.Same(plain, compiled.Unet(checkpoint, [new LoraApplication(lora, "f", 0f)]));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"demo UNet: plain compile {plainMs:F0} ms, with LoRA {firstMs:F0} ms, strength change {secondMs:F0} ms, of which re-merging the {touched.Count} touched weights {mergeMs:F0} ms");
    }

    private static float[] Float32(SafetensorsTensor t) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.Data.Span).ToArray();

    private static List<Module> DemoModules(string models)
    {
        var checkpoint = DiffusersCheckpoint.Open(Path.Combine(models, "checkpoints", DemoCheckpoint.Name));
        var byKohya = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var (prefix, component, file) in new[] { (KohyaLora.UnetPrefix, UnetComponent, checkpoint.UnetWeights), (KohyaLora.TextEncoderPrefix, TextComponent, checkpoint.TextEncoderWeights) })
        {
            using var weights = SafetensorsWeightSource.Open(file);
            foreach (var (kohya, parameter) in KohyaLora.ModuleNames(prefix, weights.Names))
            {
                byKohya[kohya] = (component, parameter[..^".weight".Length]);
            }
        }
        using var lora = SafetensorsFile.Open(Path.Combine(models, "loras", DemoLora.FileName));
        SafetensorsTensor Tensor(string name) => SafetensorsTensor.FromFloat32(name, lora.GetInfo(name).Shape, lora.ReadFloat32(name));
        return lora.Names.Where(n => n.EndsWith(".lora_down.weight", StringComparison.Ordinal)).Select(n =>
        {
            var kohya = n[..^".lora_down.weight".Length];
            var (component, path) = byKohya[kohya];
            return new Module(component, path, Tensor(n), Tensor(kohya + ".lora_up.weight"), lora.ReadFloat32(kohya + ".alpha")[0]);
        }).ToList();
    }

    /// <summary>The demo LoRA in another layout, with the same merged weights.</summary>
    private static List<SafetensorsTensor> Rewrite(string models, string layout)
    {
        var modules = DemoModules(models);
        var tensors = new List<SafetensorsTensor>();
        if (layout == "cloneofsimo")
        {
            var checkpoint = DiffusersCheckpoint.Open(Path.Combine(models, "checkpoints", DemoCheckpoint.Name));
            using var unet = SafetensorsWeightSource.Open(checkpoint.UnetWeights);
            foreach (var (component, order) in new[] { (UnetComponent, CloneofsimoLora.UnetModules(checkpoint.Unet)), (TextComponent, CloneofsimoLora.TextEncoderModules(checkpoint.TextEncoder)) })
            {
                for (var i = 0; i < order.Count; i++)
                {
                    if (modules.FirstOrDefault(m => m.Component == component && m.Path == order[i]) is { } m)
                    {
                        tensors.Add(m.Down with { Name = $"{component}:{i}:down" });
                        tensors.Add(m.ScaledUp($"{component}:{i}:up"));
                    }
                    else
                    {
                        // Modules the demo LoRA leaves alone (ff.net.0.proj) get a zero update.
                        var shape = unet.GetShape(order[i] + ".weight");
                        tensors.Add(SafetensorsTensor.FromFloat32($"{component}:{i}:down", [1, shape[1]], new float[shape[1]]));
                        tensors.Add(SafetensorsTensor.FromFloat32($"{component}:{i}:up", [shape[0], 1], new float[shape[0]]));
                    }
                }
            }
            return tensors;
        }
        foreach (var m in modules)
        {
            switch (layout)
            {
                case "peft":
                    tensors.Add(m.Down with { Name = $"{m.Component}.{m.Path}.lora_A.weight" });
                    tensors.Add(m.ScaledUp($"{m.Component}.{m.Path}.lora_B.weight"));
                    break;
                case "peft-wrapped":
                    // PEFT save_pretrained: base_model.model.<path>, no component prefix.
                    tensors.Add(m.Down with { Name = $"base_model.model.{m.Path}.lora_A.weight" });
                    tensors.Add(m.ScaledUp($"base_model.model.{m.Path}.lora_B.weight"));
                    break;
                case "processor" when m.Component == UnetComponent:
                    {
                        // diffusers attention-processor LoRA: attn1.processor.to_q_lora.down.weight; to_out.0 → to_out_lora.
                        var dot = m.Path.LastIndexOf(".to_", StringComparison.Ordinal);
                        var projection = m.Path[(dot + 1)..].Replace("to_out.0", "to_out", StringComparison.Ordinal);
                        var name = $"unet.{m.Path[..dot]}.processor.{projection}_lora";
                        tensors.Add(m.Down with { Name = name + ".down.weight" });
                        tensors.Add(m.ScaledUp(name + ".up.weight"));
                        break;
                    }
                case "processor":
                    tensors.Add(m.Down with { Name = $"text_encoder.{m.Path}.lora_linear_layer.down.weight" });
                    tensors.Add(m.ScaledUp($"text_encoder.{m.Path}.lora_linear_layer.up.weight"));
                    break;
                default:
                    {
                        // "path.lora.down.weight" with a "path.alpha"; unet keys without a prefix.
                        var path = m.Component == UnetComponent ? m.Path : "text_encoder." + m.Path;
                        tensors.Add(m.Down with { Name = path + ".lora.down.weight" });
                        tensors.Add(m.Up with { Name = path + ".lora.up.weight" });
                        tensors.Add(SafetensorsTensor.FromFloat32(path + ".alpha", [], [m.Alpha]));
                        break;
                    }
            }
        }
        return tensors;
    }
}
