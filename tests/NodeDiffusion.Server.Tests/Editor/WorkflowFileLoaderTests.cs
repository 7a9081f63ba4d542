using System.Text;
using System.Text.Json.Nodes;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Png;
using NodeDiffusion.Server.Editor;
using NodeDiffusion.Server.Tests.Infrastructure;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Editor;

/// <summary>The editor's one way of opening a file: detection by content, and the sentence for what is not a workflow.</summary>
public sealed class WorkflowFileLoaderTests : IDisposable
{
    private const string UiWorkflow = """
        {"last_node_id": 2, "last_link_id": 0, "version": 0.4, "links": [],
         "nodes": [{"id": 1, "type": "ImageInvert", "pos": [0, 0], "size": [200, 60], "inputs": [], "outputs": [], "widgets_values": []},
                   {"id": 2, "type": "FancyUpscalerFromAnotherPack", "pos": [300, 0], "size": [200, 60], "inputs": [], "outputs": [], "widgets_values": [3]}]}
        """;

    private const string UiWorkflowV1 = """
        {"version": 1, "state": {"lastNodeId": 1, "lastLinkId": 0}, "links": [],
         "nodes": [{"id": 1, "type": "ImageInvert", "pos": [0, 0], "size": [200, 60], "inputs": [], "outputs": [], "widgets_values": []}]}
        """;

    private const string ApiPrompt = """{"5": {"class_type": "ImageInvert", "inputs": {}}, "6": {"class_type": "ImageInvert", "inputs": {"image": ["5", 0]}}}""";

    private readonly TempDirectory _directory = new();
    private readonly WorkflowFileLoader _loader;

    public WorkflowFileLoaderTests() => _loader = new WorkflowFileLoader(EngineHost.Create(EngineSettings.Under(_directory.Path)).Registry, 1024 * 1024);

    public void Dispose() => _directory.Dispose();

    private static string Native => File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "workflows", "image-basics.json"));

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Png(params (string Keyword, string Text)[] chunks) =>
        PngTextWriter.AddText(TestImages.Png(8, 8), chunks.Select(c => KeyValuePair.Create(c.Keyword, c.Text)));

    [Fact]
    public void Native_json_opens_as_it_is()
    {
        var load = _loader.Open("mine.json", Utf8(Native));
        Assert.Null(load.Error);
        Assert.Equal(ComfyFormat.Native, load.Result!.Format);
        Assert.Equal(6, load.Result.Workflow.Nodes.Count);
    }

    [Theory]
    [InlineData(UiWorkflow, ComfyFormat.UiWorkflow, 2)]
    [InlineData(UiWorkflowV1, ComfyFormat.UiWorkflow, 1)]
    [InlineData(ApiPrompt, ComfyFormat.ApiPrompt, 2)]
    public void ComfyUI_json_is_detected_by_its_content_not_its_name(string json, ComfyFormat format, int nodes)
    {
        var load = _loader.Open("download (3)", Utf8(json));
        Assert.Null(load.Error);
        Assert.Equal(format, load.Result!.Format);
        Assert.Equal(nodes, load.Result.Workflow.Nodes.Count);
    }

    [Fact]
    public void An_unknown_ComfyUI_node_type_loads_as_a_placeholder_and_is_listed()
    {
        var load = _loader.Open("ui.json", Utf8(UiWorkflow));
        var missing = Assert.Single(load.Result!.MissingTypes);
        Assert.Equal("FancyUpscalerFromAnotherPack", missing.ComfyClass);
        Assert.Equal(2, load.Result.Workflow.Nodes.Count);
    }

    [Fact]
    public void A_png_prefers_our_chunk_then_workflow_then_prompt()
    {
        Assert.Equal(ComfyFormat.Native, _loader.Open("a.png", Png(("prompt", ApiPrompt), ("workflow", UiWorkflow), ("nodediffusion", Native))).Result!.Format);
        Assert.Equal(ComfyFormat.UiWorkflow, _loader.Open("b.png", Png(("prompt", ApiPrompt), ("workflow", UiWorkflow))).Result!.Format);
        Assert.Equal(ComfyFormat.ApiPrompt, _loader.Open("c.png", Png(("prompt", ApiPrompt))).Result!.Format);
        // A workflow chunk that cannot be read falls back to the prompt.
        Assert.Equal(ComfyFormat.ApiPrompt, _loader.Open("d.png", Png(("workflow", "{ not json"), ("prompt", ApiPrompt))).Result!.Format);
    }

    [Fact]
    public void A_png_without_a_workflow_says_so()
    {
        var load = _loader.Open("photo.png", Png(("Software", "a camera")));
        Assert.Null(load.Result);
        Assert.Equal("photo.png has no embedded workflow.", load.Error);
    }

    [Theory]
    [InlineData("notes.txt", "hello there", "notes.txt is not a workflow: drop a .json or a PNG with an embedded workflow.")]
    [InlineData("empty.json", "", "empty.json is not a workflow: drop a .json or a PNG with an embedded workflow.")]
    [InlineData("broken.json", "{\"nodes\": [", "broken.json could not be opened: Not valid JSON")]
    [InlineData("other.json", "{\"hello\": 1}", "other.json could not be opened: This JSON is neither a ComfyUI workflow")]
    [InlineData("bad.json", "{\"format\": \"nodediffusion.workflow\", \"version\": 1, \"nodes\": 3}", "bad.json could not be opened: ")]
    public void Anything_else_is_refused_with_a_sentence_naming_the_file(string name, string text, string expected)
    {
        var load = _loader.Open(name, Utf8(text));
        Assert.Null(load.Result);
        Assert.StartsWith(expected, load.Error);
    }

    [Fact]
    public void A_file_over_the_limit_is_refused_before_it_is_read()
    {
        var load = new WorkflowFileLoader(EngineHost.Create(EngineSettings.Under(_directory.Path)).Registry, 100).Open("big.png", Png(("prompt", ApiPrompt)));
        Assert.Null(load.Result);
        Assert.Contains("at most 100 bytes", load.Error);
    }

    [Fact]
    public void A_real_ComfyUI_example_png_opens_its_workflow_chunk()
    {
        var path = SharedData.Require("real-data/workflows/comfyui-examples/img2img_img2img_workflow.png");
        var bytes = File.ReadAllBytes(path);
        var load = new WorkflowFileLoader(EngineHost.Create(EngineSettings.Under(_directory.Path)).Registry, 64L * 1024 * 1024).Open("img2img_workflow.png", bytes);
        Assert.Null(load.Error);
        Assert.Equal(ComfyFormat.UiWorkflow, load.Result!.Format);
        var chunk = PngTextReader.Read(bytes).Single(c => c.Keyword == "workflow");
        var expected = JsonNode.Parse(chunk.Text)!["nodes"]!.AsArray().Count;
        Assert.Equal(expected, load.Result.Workflow.Nodes.Count);
    }
}
