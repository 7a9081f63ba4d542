using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Services;

/// <summary>models/controlnet: resolving control_net_name inside it, and opening a ControlNet against a checkpoint.</summary>
public static class ControlNetFolder
{
    public const string Name = "controlnet";

    /// <summary>Resolves a name inside models/controlnet; refuses names outside it, missing files and files that are no ControlNet.</summary>
    public static ControlNetHandle Resolve(DiffusionModels models, string name, bool identify = true)
    {
        var file = ModelFile.Resolve(models.Roots, Name, name, "control_net_name", "ControlNet");
        if (identify)
        {
            try
            {
                ControlNetFile.Identify(file.Path);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new NodeException($"Cannot load ControlNet \"{name}\": {e.Message}", "control_net_name");
            }
        }
        return new ControlNetHandle(name, file.Path, file.Fingerprint);
    }

    /// <summary>The ControlNet checked against the checkpoint's UNet; a NodeException naming the file when it does not fit.</summary>
    public static ControlNetFile Open(ControlNetHandle handle, DiffusersCheckpoint checkpoint, string input)
    {
        if (!checkpoint.HasWeights)
        {
            throw new NodeException(checkpoint.NeedsWeights("a ControlNet").Message, input);
        }
        try
        {
            return ControlNetFile.Open(handle.Path, checkpoint.Unet, checkpoint.OpenUnetWeights);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or Models.Weights.WeightBindingException)
        {
            throw new NodeException($"The ControlNet \"{handle.Name}\" does not fit the checkpoint \"{Path.GetFileName(checkpoint.Folder)}\": {e.Message}", input);
        }
    }
}
