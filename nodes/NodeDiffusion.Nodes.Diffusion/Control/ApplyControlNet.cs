using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Control;

[NodeType("ApplyControlNet", Category = "conditioning/controlnet", DisplayName = "Apply ControlNet", Aliases = ["ControlNetApplyAdvanced"],
    Description = "Attaches a ControlNet and its hint image to every positive and negative conditioning; applied again, the residuals add up.")]
public sealed class ApplyControlNet : Node<ApplyControlNet.In, ApplyControlNet.Out>
{
    public sealed record In(
        ConditioningList Positive,
        ConditioningList Negative,
        ControlNetHandle ControlNet,
        [Input(Tooltip = "The hint (pose, edges, depth…), RGB; resized to the latent's size ×8 with a centre crop.")] ImageBatch Image,
        [Float(1.0, Min = 0, Max = 10, Step = 0.01, Tooltip = "Scale of the ControlNet's residuals; 0 leaves the conditioning unchanged.")] double Strength,
        [Float(0.0, Min = 0, Max = 1, Step = 0.001, Tooltip = "Where in the model's timestep range the control starts (0 = from the first step).")] double StartPercent,
        [Float(1.0, Min = 0, Max = 1, Step = 0.001, Tooltip = "Where in the model's timestep range the control ends (1 = to the last step).")] double EndPercent,
        [Input(Optional = true, Tooltip = "Only for ControlNets whose hint is a latent; SD1.x ControlNets ignore it.")] VaeHandle? Vae);

    public sealed record Out(
        [Output(Name = "positive")] ConditioningList Positive,
        [Output(Name = "negative")] ConditioningList Negative);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        if (inputs.Strength == 0)
        {
            return ValueTask.FromResult(new Out(inputs.Positive, inputs.Negative));
        }
        if (inputs.Image.Channels < 3)
        {
            throw new NodeException($"The hint image has {inputs.Image.Channels} channel(s); a ControlNet needs an RGB image.", "image");
        }
        var application = new ControlNetApplication(inputs.ControlNet, inputs.Image, inputs.Strength, inputs.StartPercent, inputs.EndPercent);
        return ValueTask.FromResult(new Out(Attach(inputs.Positive, application), Attach(inputs.Negative, application)));
    }

    internal static ConditioningList Attach(ConditioningList conditioning, ControlNetApplication application) =>
        new(conditioning.Entries.Select(e => e with { Control = e.Control.Add(application) }).ToList());
}
