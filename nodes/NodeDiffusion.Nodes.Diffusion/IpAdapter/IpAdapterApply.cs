using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Models.Architectures.IpAdapter;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;
using NodeDiffusion.Nodes.Diffusion.Vision;

namespace NodeDiffusion.Nodes.Diffusion.IpAdapter;

[NodeType("IpAdapterApply", Category = "ipadapter", DisplayName = "IPAdapter Advanced", Aliases = ["IPAdapterAdvanced", "IPAdapter", "IPAdapterApply"],
    Description = "Conditions the model on reference images through an IP-Adapter (IPAdapter_plus' IPAdapterAdvanced). Weight, weight type, scaling and start/end are run-time inputs of the compiled model, so changing them does not recompile.")]
public sealed class IpAdapterApply : Node<IpAdapterApply.In, IpAdapterApply.Out>
{
    public static readonly string[] EmbedsScalings = ["V only", "K+V", "K+V w/ C penalty", "K+mean(V) w/ C penalty"];

    public sealed record In(
        ModelHandle Model,
        IpAdapterHandle Ipadapter,
        [Input(Tooltip = "The reference image(s).")] ImageBatch Image,
        [Float(1.0, Min = -1, Max = 5, Step = 0.05, Tooltip = "How strongly the image conditions the model; 0 leaves it unchanged.")] double Weight,
        [Combo("linear", "ease in", "ease out", "ease in-out", "reverse in-out", "weak input", "weak output", "weak middle", "strong middle", "style transfer", "composition", "strong style transfer",
            Tooltip = "How the weight is spread over the UNet's cross-attention layers.")] string WeightType,
        [Combo("concat", "add", "subtract", "average", "norm average", Tooltip = "How several reference images are combined.")] string CombineEmbeds,
        [Float(0.0, Min = 0, Max = 1, Step = 0.001, Tooltip = "Fraction of the schedule where the adapter starts acting.")] double StartAt,
        [Float(1.0, Min = 0, Max = 1, Step = 0.001, Tooltip = "Fraction of the schedule where it stops.")] double EndAt,
        [Combo("V only", "K+V", "K+V w/ C penalty", "K+mean(V) w/ C penalty", Tooltip = "Where the weight is applied in the image attention.")] string EmbedsScaling,
        [Input(Optional = true, Tooltip = "Images the result should move away from (the unconditional image).")] ImageBatch? ImageNegative,
        [Input(Optional = true, Tooltip = "Where the image acts: the mask is resized to each layer's grid and multiplies the image attention.")] MaskBatch? AttnMask,
        [Input(Optional = true, Tooltip = "The CLIP vision model the adapter was trained with.")] ClipVisionHandle? ClipVision);

    public sealed record Out(ModelHandle Model);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var models = context.Models();
        var layout = inputs.Ipadapter.Layout;
        if (inputs.ClipVision is not { } clipVision)
        {
            throw new NodeException($"The IP-Adapter \"{inputs.Ipadapter.Name}\" needs the CLIP vision model it was trained with; connect a LoadClipVision to clip_vision.", "clip_vision");
        }
        if (inputs.Model.IpAdapters.Count > 0)
        {
            throw new NodeException("This model already has an IP-Adapter; this build applies one per model.", "model");
        }
        var config = models.Open(inputs.Model.Checkpoint).Unet;
        var paths = IpAdapterLayerScales.CrossAttentionPaths(config);
        if (layout.TokenChannels != config.CrossAttentionDim || layout.LayerIds.Count != paths.Count)
        {
            throw new NodeException($"The IP-Adapter \"{inputs.Ipadapter.Name}\" is for a UNet with {layout.LayerIds.Count} cross-attention layers of context width {layout.TokenChannels}; {inputs.Model.Checkpoint.Name} has {paths.Count} of width {config.CrossAttentionDim}.", "ipadapter");
        }
        var expected = layout.Kind == IpAdapterKind.Plus ? clipVision.Config.HiddenSize : clipVision.Config.ProjectionDim;
        if (layout.ClipEmbedDim != expected)
        {
            var what = layout.Kind == IpAdapterKind.Plus ? "hidden states" : "image embeds";
            throw new NodeException($"The IP-Adapter \"{inputs.Ipadapter.Name}\" takes {layout.ClipEmbedDim}-wide CLIP {what} but \"{clipVision.Name}\" gives {expected}; use the CLIP vision model it was trained with.", "clip_vision");
        }

        var tokens = IpAdapterEmbeds.Project(models, inputs.Ipadapter, clipVision, inputs.Image, inputs.ImageNegative, inputs.CombineEmbeds, context.CancellationToken);
        var weights = LayerWeights(paths, inputs.WeightType, inputs.Weight);
        var patch = new IpAdapterPatch(inputs.Ipadapter, tokens, weights, inputs.EmbedsScaling, inputs.StartAt, inputs.EndAt) { AttnMask = inputs.AttnMask };
        return ValueTask.FromResult(new Out(inputs.Model with { IpAdapters = inputs.Model.IpAdapters.Add(patch) }));
    }

    /// <summary>Each layer's weight, in diffusers processor order (down, up, mid), from ComfyUI's transformer_index order (input, middle, output).</summary>
    public static EquatableList<double> LayerWeights(IReadOnlyList<string> paths, string weightType, double weight)
    {
        var down = paths.Count(p => p.StartsWith("down_blocks.", StringComparison.Ordinal));
        var result = EquatableList<double>.Empty;
        for (var i = 0; i < paths.Count; i++)
        {
            var (index, block) = paths[i].StartsWith("down_blocks.", StringComparison.Ordinal) ? (i, IpAdapterWeightTypes.Block.Input)
                : paths[i].StartsWith("mid_block.", StringComparison.Ordinal) ? (down, IpAdapterWeightTypes.Block.Middle)
                : (i + 1, IpAdapterWeightTypes.Block.Output);
            result = result.Add(IpAdapterWeightTypes.Weight(weightType, weight, index, paths.Count, block));
        }
        return result;
    }
}
