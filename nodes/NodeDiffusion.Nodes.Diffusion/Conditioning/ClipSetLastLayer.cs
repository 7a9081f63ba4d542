using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("CLIPSetLastLayer", Category = "conditioning", DisplayName = "CLIP Set Last Layer",
    Description = "Stops the text encoder early: −1 uses the last layer, −2 is \"clip skip 2\".")]
public sealed class ClipSetLastLayer : Node<ClipSetLastLayer.In, ClipSetLastLayer.Out>
{
    public sealed record In(ClipHandle Clip, [Int(-1, Min = -24, Max = -1)] int StopAtClipLayer);

    public sealed record Out(ClipHandle Clip);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(inputs.Clip with { StopAtLayer = inputs.StopAtClipLayer }));
}
