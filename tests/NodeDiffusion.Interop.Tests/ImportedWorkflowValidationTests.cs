using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Interop.Mapping;
using NodeDiffusion.Interop.Tests.TestNodes;

namespace NodeDiffusion.Interop.Tests;

/// <summary>Imported real workflows must be valid for our validator when every node type they use is installed.</summary>
public sealed class ImportedWorkflowValidationTests
{
    public static TheoryData<string> CompleteExamples => new(RealData.ExamplePngs.Where(n =>
        n is not "controlnet_depth_controlnet.png" and not "upscale_models_esrgan_example.png"));

    /// <summary>A machine with one demo file per model folder and every input image the examples name.</summary>
    private sealed class DemoFiles : IComboOptionsProvider
    {
        public static readonly string[] Folders = ["checkpoints", "loras", "vae", "controlnet", "hypernetworks"];

        public IReadOnlyList<string>? GetOptions(string source) => source switch
        {
            "input/images" => ["input_scribble_example.png", "pose_present.png", "house_scribble.png", "example.png", "yosemite_inpaint_example.png"],
            _ when source.StartsWith("models/", StringComparison.Ordinal) => [$"demo-{source["models/".Length..]}.safetensors"],
            _ => null,
        };
    }

    [Theory]
    [MemberData(nameof(CompleteExamples))]
    public void Imported_example_mapped_to_demo_models_passes_our_validator(string name)
    {
        var demo = new ModelNameMap();
        foreach (var folder in DemoFiles.Folders)
        {
            demo.MapFolder(folder, $"demo-{folder}.safetensors");
        }
        var importer = new Import.ComfyImporter(TestRegistry.Options with { ModelNames = demo });
        var workflow = importer.Import(RealData.Chunk(RealData.Example(name), "workflow")).Workflow;

        var result = new WorkflowValidator(TestRegistry.Registry, new DemoFiles()).Validate(workflow);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
    }

    [Fact]
    public void Without_the_mapping_the_validator_names_the_missing_model_files()
    {
        var workflow = TestRegistry.Importer.Import(RealData.Chunk(RealData.Example("lora_lora.png"), "workflow")).Workflow;

        var result = new WorkflowValidator(TestRegistry.Registry, new DemoFiles()).Validate(workflow);

        Assert.Contains(result.Errors, e => e.Message.Contains("v1-5-pruned-emaonly.ckpt", StringComparison.Ordinal));
    }

    [Fact]
    public void A_workflow_with_a_missing_type_fails_validation_naming_it()
    {
        var workflow = TestRegistry.Importer.Import(RealData.Chunk(RealData.Example("controlnet_depth_controlnet.png"), "workflow")).Workflow;

        var result = new WorkflowValidator(TestRegistry.Registry).Validate(workflow);

        Assert.Contains(result.Errors, e => e.Message.Contains("DiffControlNetLoader", StringComparison.Ordinal));
    }
}
