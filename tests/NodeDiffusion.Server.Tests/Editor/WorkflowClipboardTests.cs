using Blazor.Diagrams.Core.Geometry;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Tests.Editor;

public sealed class WorkflowClipboardTests
{
    // Node 3 blends 1 and 2; the clipboard holds 3 and 4 (4 inverts 3), so 3's inputs come from outside it.
    private static Workflow Clip() => WorkflowJson.Parse("""
        {"format":"nodediffusion.workflow","version":1,"nodes":{
          "3":{"type":"ImageBlend","inputs":{"blend_factor":0.5,"blend_mode":"normal"},"links":{"image1":["1",0],"image2":["2",0]},"layout":{"pos":[300,100]},"mode":"bypassed"},
          "4":{"type":"ImageInvert","links":{"image":["3",0]},"layout":{"pos":[600,140],"title":"Neg"}}},
         "groups":[{"title":"G","bounding":[280,60,600,300]}]}
        """).Workflow!;

    [Fact]
    public void A_paste_gets_fresh_ids_keeps_inside_links_and_drops_outside_ones()
    {
        var pasted = WorkflowClipboard.Prepare(Clip(), ["1", "2", "3", "4", "x"], at: null, keepOutsideLinks: false);
        Assert.Equal(new[] { "5", "6" }, pasted.Nodes.Keys);
        Assert.Empty(pasted.Nodes["5"].Links);
        Assert.Equal(new LinkRef("5", 0), pasted.Nodes["6"].Links["image"]);
        Assert.Equal(NodeMode.Bypassed, pasted.Nodes["5"].Mode);
        Assert.Equal("Neg", pasted.Nodes["6"].Layout!.Title);
        Assert.Equal("0.5", pasted.Nodes["5"].Inputs["blend_factor"].GetRawText());
        Assert.Equal(new[] { 300 + WorkflowClipboard.Offset, 100 + WorkflowClipboard.Offset }, pasted.Nodes["5"].Layout!.Position);
        Assert.Equal(new[] { 280 + WorkflowClipboard.Offset, 60 + WorkflowClipboard.Offset, 600, 300 }, pasted.Groups[0].Bounding);
    }

    [Fact]
    public void Keeping_outside_links_keeps_only_those_whose_source_still_exists()
    {
        var pasted = WorkflowClipboard.Prepare(Clip(), ["1", "4"], at: null, keepOutsideLinks: true);
        Assert.Equal(new[] { "5", "6" }, pasted.Nodes.Keys);
        Assert.Equal(new LinkRef("1", 0), pasted.Nodes["5"].Links["image1"]);
        Assert.False(pasted.Nodes["5"].Links.ContainsKey("image2"));
    }

    [Fact]
    public void A_paste_at_the_pointer_puts_the_top_left_of_the_clip_there()
    {
        var pasted = WorkflowClipboard.Prepare(Clip(), [], new Point(1000, 500), keepOutsideLinks: false);
        // The group's corner (280, 60) is the clip's top-left; everything moves by (720, 440).
        Assert.Equal(new[] { 1000.0, 500.0 }, pasted.Groups[0].Bounding[..2]);
        Assert.Equal(new[] { 1020.0, 540.0 }, pasted.Nodes["1"].Layout!.Position);
        Assert.Equal(new[] { 1320.0, 580.0 }, pasted.Nodes["2"].Layout!.Position);
    }
}
