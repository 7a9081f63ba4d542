using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Image.Saving;

[NodeType("PreviewImage", Category = "image", DisplayName = "Preview Image", IsOutput = true,
    Description = "Shows images without keeping them: they go to the temp folder.")]
public sealed class PreviewImage : Node<PreviewImage.In, NoOutputs>
{
    public sealed record In(ImageBatch Images);

    public override ValueTask<NoOutputs> ExecuteAsync(In inputs, INodeContext context)
    {
        var roots = (StorageRoots)context.Services.GetService(typeof(StorageRoots))!;
        var suffix = string.Concat(Enumerable.Range(0, 5).Select(_ => (char)('a' + Random.Shared.Next(26))));
        ImageWriter.WriteAll(inputs.Images, roots.Temp, "NodeDiffusion_temp_" + suffix, "temp", compressionLevel: 1, context);
        return ValueTask.FromResult(NoOutputs.Instance);
    }
}
