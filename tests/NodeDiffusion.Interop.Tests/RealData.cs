using NodeDiffusion.Interop.Png;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Interop.Tests;

/// <summary>The real ComfyUI files under ../shared/real-data, read through <see cref="SharedData.Require"/> (skipped when absent).</summary>
public static class RealData
{
    public const string ExamplesFolder = "real-data/workflows/comfyui-examples";
    public const string IpAdapterFolder = "real-data/workflows/ipadapter";
    public const string MetadataFolder = "real-data/metadata-pngs";

    public static readonly string[] ExamplePngs =
    [
        "2_pass_txt2img_hiresfix_latent_workflow.png",
        "controlnet_controlnet_example.png",
        "controlnet_depth_controlnet.png",
        "controlnet_mixing_controlnets.png",
        "hypernetworks_hypernetwork_example_output.png",
        "img2img_img2img_workflow.png",
        "inpaint_inpaint_example.png",
        "lora_lora.png",
        "lora_lora_multiple.png",
        "textual_inversion_embeddings_embedding_example.png",
        "upscale_models_esrgan_example.png",
    ];

    public static readonly string[] IpAdapterJsons = ["ipadapter_simple.json", "ipadapter_advanced.json"];

    public static TheoryData<string> ExampleNames => new(ExamplePngs);

    public static TheoryData<string> IpAdapterNames => new(IpAdapterJsons);

    public static string Example(string name) => SharedData.Require($"{ExamplesFolder}/{name}");

    public static string Chunk(string pngPath, string keyword) =>
        PngTextReader.ReadFile(pngPath).Single(c => c.Keyword == keyword).Text;

    public static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
