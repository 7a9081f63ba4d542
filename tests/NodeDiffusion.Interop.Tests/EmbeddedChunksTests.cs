using NodeDiffusion.Interop.Export;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Metadata;
using NodeDiffusion.Interop.Png;
using NodeDiffusion.Interop.Tests.TestNodes;

namespace NodeDiffusion.Interop.Tests;

public sealed class EmbeddedChunksTests
{
    [Fact]
    public void Saved_image_reopens_from_our_chunk_and_without_it_from_comfyuis()
    {
        var workflow = TestRegistry.Importer.Import(RealData.Chunk(RealData.Example("lora_lora_multiple.png"), "workflow")).Workflow;
        var chunks = EmbeddedChunks.For(workflow, TestRegistry.Exporter);
        var png = PngTextWriter.AddText(TestPng.Build(), chunks);
        var reader = new EmbeddedWorkflowReader(TestRegistry.Options);

        var ours = reader.Read(PngTextReader.Read(png), out _)!;
        var comfy = reader.Read([.. PngTextReader.Read(png).Where(c => c.Keyword != EmbeddedWorkflowReader.NativeKeyword)], out _)!;

        Assert.Equal(["prompt", "workflow", "nodediffusion"], chunks.Select(c => c.Key));
        Assert.All(chunks, c => Assert.Equal("tEXt", PngTextReader.Read(png).Single(r => r.Keyword == c.Key).ChunkType));
        Assert.Equal((EmbeddedWorkflowReader.NativeKeyword, ComfyFormat.Native), (ours.Keyword, ours.Import.Format));
        WorkflowSemantics.AssertEquivalent(workflow, ours.Import.Workflow, compareLayout: true);
        Assert.Equal("workflow", comfy.Keyword);
        WorkflowSemantics.AssertEquivalent(workflow, comfy.Import.Workflow, compareLayout: true);
    }
}
