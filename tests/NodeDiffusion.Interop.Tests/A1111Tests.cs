using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.A1111;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Mapping;
using NodeDiffusion.Interop.Png;
using NodeDiffusion.Interop.Tests.TestNodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Interop.Tests;

public sealed class A1111Tests
{
    private const string Multiline = """
        masterpiece, a cat
        on a mat
        Negative prompt: blurry,
        lowres
        Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 6.5, Seed: 4294967295, Size: 768x512, Model hash: abc, Model: dreamshaper_8, Clip skip: 2, Lora hashes: "a: 1, b: 2", Version: v1.9.0
        """;

    [Fact]
    public void Parses_the_real_a1111_png()
    {
        var text = PngTextReader.ReadFile(SharedData.Require($"{RealData.MetadataFolder}/sdparsers_automatic1111_cropped.png")).Single(c => c.Keyword == "parameters").Text;

        var parameters = A1111ParametersParser.Parse(text)!;

        Assert.Equal("photo of a duck", parameters.Prompt);
        Assert.Equal("monochrome", parameters.NegativePrompt);
        Assert.Equal(("15", "UniPC", "5", "235284042", "512x400", "realistic_realisticVisionV20_v20"),
            (parameters.Get("Steps"), parameters.Get("Sampler"), parameters.Get("CFG scale"), parameters.Get("Seed"), parameters.Get("Size"), parameters.Get("Model")));
    }

    [Fact]
    public void Multiline_prompts_and_quoted_values_parse()
    {
        var parameters = A1111ParametersParser.Parse(Multiline)!;

        Assert.Equal("masterpiece, a cat\non a mat", parameters.Prompt);
        Assert.Equal("blurry,\nlowres", parameters.NegativePrompt);
        Assert.Equal("a: 1, b: 2", parameters.Get("Lora hashes"));
        Assert.Equal("v1.9.0", parameters.Get("Version"));
    }

    [Fact]
    public void A_prompt_without_settings_is_all_prompt()
    {
        var parameters = A1111ParametersParser.Parse("just a prompt, nothing else")!;

        Assert.Equal("just a prompt, nothing else", parameters.Prompt);
        Assert.Empty(parameters.Settings);
    }

    [Theory]
    [InlineData("{\"prompt\": \"fooocus json\"}")]
    [InlineData("   ")]
    public void Json_or_empty_text_is_not_a1111(string text) => Assert.Null(A1111ParametersParser.Parse(text));

    [Theory]
    [InlineData("Euler a", null, "euler_ancestral", "normal", true)]
    [InlineData("DPM++ 2M Karras", null, "dpmpp_2m", "karras", true)]
    [InlineData("DPM++ 2M", "Karras", "dpmpp_2m", "karras", true)]
    [InlineData("DPM++ SDE Exponential", null, "dpmpp_sde", "exponential", true)]
    [InlineData("DDIM", null, "ddim", "ddim_uniform", true)]
    [InlineData("UniPC", null, "uni_pc", "normal", true)]
    [InlineData("PLMS", null, "euler", "normal", false)]
    public void Sampler_names_map_to_comfyui(string a1111, string? schedule, string sampler, string scheduler, bool exact)
    {
        var mapped = A1111SamplerMap.Map(a1111, schedule, out var isExact);

        Assert.Equal((sampler, scheduler, exact), (mapped.Sampler, mapped.Scheduler, isExact));
    }

    [Fact]
    public void Builds_a_txt2img_graph_of_our_types()
    {
        var result = A1111GraphBuilder.Build(A1111ParametersParser.Parse(Multiline)!, TestRegistry.Options);
        var nodes = result.Workflow.Nodes;

        Assert.Empty(result.MissingTypes);
        Assert.Equal(ComfyFormat.A1111Parameters, result.Format);
        Assert.Equal(
            [("1", "LoadCheckpoint"), ("2", "TextEncode"), ("3", "TextEncode"), ("4", "EmptyLatentImage"), ("5", "KSampler"), ("6", "VAEDecode"), ("7", "SaveImage"), ("8", "CLIPSetLastLayer")],
            nodes.Select(n => (n.Key, n.Value.Type)).OrderBy(n => n.Key, StringComparer.Ordinal));
        Assert.Equal("dreamshaper_8.safetensors", nodes["1"].Inputs["ckpt_name"].GetString());
        Assert.Equal(-2, nodes["8"].Inputs["stop_at_clip_layer"].GetInt32());
        Assert.Equal(new LinkRef("8", 0), nodes["2"].Links["clip"]);
        Assert.Equal("masterpiece, a cat\non a mat", nodes["2"].Inputs["text"].GetString());
        Assert.Equal("blurry,\nlowres", nodes["3"].Inputs["text"].GetString());
        Assert.Equal((768, 512), (nodes["4"].Inputs["width"].GetInt32(), nodes["4"].Inputs["height"].GetInt32()));
        var sampler = nodes["5"];
        Assert.Equal(4294967295UL, sampler.Inputs["seed"].GetUInt64());
        Assert.Equal((30, 6.5, "dpmpp_2m", "karras"), (sampler.Inputs["steps"].GetInt32(), sampler.Inputs["cfg"].GetDouble(),
            sampler.Inputs["sampler_name"].GetString(), sampler.Inputs["scheduler"].GetString()));
        Assert.Equal(new LinkRef("4", 0), sampler.Links["latent_image"]);
        Assert.Equal(new LinkRef("1", 2), nodes["6"].Links["vae"]);
        Assert.Equal(new LinkRef("6", 0), nodes["7"].Links["images"]);
    }

    [Fact]
    public void Graph_exports_to_a_comfyui_prompt_with_comfyui_classes()
    {
        var result = A1111GraphBuilder.Build(A1111ParametersParser.Parse(Multiline)!, TestRegistry.Options);

        var prompt = TestRegistry.Exporter.ToApiPrompt(result.Workflow).Document;

        Assert.Equal("CheckpointLoaderSimple", prompt["1"]!["class_type"]!.GetValue<string>());
        Assert.Equal("CLIPTextEncode", prompt["2"]!["class_type"]!.GetValue<string>());
        Assert.Equal(4294967295UL, prompt["5"]!["inputs"]!["seed"]!.GetValue<ulong>());
    }

    [Fact]
    public void Lora_and_hypernetwork_tags_become_chained_loaders()
    {
        var parameters = A1111ParametersParser.Parse("a cat, <lora:disney:0.7>, on a mat <hypernet:marble>\nNegative prompt: ugly <lora:bad:1>\nSteps: 20, Sampler: Euler, Seed: 5")!;

        var result = A1111GraphBuilder.Build(parameters, TestRegistry.Options);
        var nodes = result.Workflow.Nodes;

        Assert.Equal("a cat, on a mat", nodes["2"].Inputs["text"].GetString());
        Assert.Equal("ugly", nodes["3"].Inputs["text"].GetString());
        Assert.Equal(("LoadLora", "disney.safetensors", 0.7), (nodes["10"].Type, nodes["10"].Inputs["lora_name"].GetString(), nodes["10"].Inputs["strength_clip"].GetDouble()));
        Assert.Equal(("LoadHypernetwork", "marble.pt", 1.0), (nodes["11"].Type, nodes["11"].Inputs["hypernetwork_name"].GetString(), nodes["11"].Inputs["strength"].GetDouble()));
        Assert.Equal(new LinkRef("10", 0), nodes["11"].Links["model"]);
        Assert.Equal(new LinkRef("11", 0), nodes["5"].Links["model"]);
        Assert.Equal(new LinkRef("10", 1), nodes["2"].Links["clip"]);
        Assert.Empty(result.MissingTypes);
        Assert.Equal(2, nodes.Values.Count(n => n.Type is "LoadLora" or "LoadHypernetwork"));
    }

    [Fact]
    public void Hires_fix_becomes_a_latent_upscale_and_a_second_sampler()
    {
        var parameters = A1111ParametersParser.Parse("a cat\nSteps: 20, Sampler: Euler a, CFG scale: 7, Seed: 9, Size: 512x512, Denoising strength: 0.45, Hires upscale: 2, Hires steps: 12, Hires upscaler: Latent (bicubic)")!;

        var result = A1111GraphBuilder.Build(parameters, TestRegistry.Options);
        var nodes = result.Workflow.Nodes;

        Assert.Empty(result.MissingTypes);
        Assert.Equal(("LatentUpscaleBy", "bicubic", 2.0), (nodes["20"].Type, nodes["20"].Inputs["upscale_method"].GetString(), nodes["20"].Inputs["scale_by"].GetDouble()));
        Assert.Equal(new LinkRef("5", 0), nodes["20"].Links["samples"]);
        var second = nodes["21"];
        Assert.Equal((12, 0.45, 9UL, "euler_ancestral"), (second.Inputs["steps"].GetInt32(), second.Inputs["denoise"].GetDouble(), second.Inputs["seed"].GetUInt64(), second.Inputs["sampler_name"].GetString()));
        Assert.Equal(new LinkRef("20", 0), second.Links["latent_image"]);
        Assert.Equal(new LinkRef("2", 0), second.Links["positive"]);
        Assert.Equal(new LinkRef("21", 0), nodes["6"].Links["samples"]);
    }

    [Fact]
    public void Hires_resize_with_a_pixel_upscaler_uses_latent_upscale_to_the_size_and_warns()
    {
        var parameters = A1111ParametersParser.Parse("a cat\nSteps: 20, Sampler: Euler, Seed: 9, Size: 512x512, Denoising strength: 0.5, Hires resize: 1024x768, Hires upscaler: R-ESRGAN 4x+")!;

        var result = A1111GraphBuilder.Build(parameters, TestRegistry.Options);

        Assert.Equal(("LatentUpscale", 1024, 768), (result.Workflow.Nodes["20"].Type, result.Workflow.Nodes["20"].Inputs["width"].GetInt32(), result.Workflow.Nodes["20"].Inputs["height"].GetInt32()));
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.SemanticChange && i.Message.Contains("R-ESRGAN"));
        Assert.Equal(20, result.Workflow.Nodes["21"].Inputs["steps"].GetInt32());
    }

    [Fact]
    public void Model_name_mapping_applies_to_the_checkpoint()
    {
        var options = TestRegistry.Options with { ModelNames = new ModelNameMap().MapFolder("checkpoints", "demo.safetensors") };

        var result = A1111GraphBuilder.Build(A1111ParametersParser.Parse(Multiline)!, options);

        Assert.Equal("demo.safetensors", result.Workflow.Nodes["1"].Inputs["ckpt_name"].GetString());
        Assert.Contains(result.Issues, i => i.Code == InteropCodes.ModelRenamed);
    }

    [Fact]
    public void Without_the_node_types_the_graph_lists_what_is_missing()
    {
        var result = A1111GraphBuilder.Build(A1111ParametersParser.Parse(Multiline)!, new ComfyImportOptions(new Graph.Registry.NodeRegistry()));

        Assert.Equal(["CLIPSetLastLayer", "CLIPTextEncode", "CheckpointLoaderSimple", "EmptyLatentImage", "KSampler", "SaveImage", "VAEDecode"],
            result.MissingTypes.Select(m => m.ComfyClass).Order(StringComparer.Ordinal));
        Assert.Equal(["2", "3"], result.MissingTypes.Single(m => m.ComfyClass == "CLIPTextEncode").NodeIds);
    }
}
