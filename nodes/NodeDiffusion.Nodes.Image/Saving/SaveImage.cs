using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Saving;

[NodeType("SaveImage", Category = "image", DisplayName = "Save Image", IsOutput = true,
    Description = "Saves images as PNG in the output folder, with the workflow embedded.")]
public sealed class SaveImage : Node<SaveImage.In, NoOutputs>
{
    public sealed record In(
        ImageBatch Images,
        [Text("NodeDiffusion", Tooltip = "File name prefix; may contain subfolders and %date% style tokens.")] string FilenamePrefix);

    public override ValueTask<NoOutputs> ExecuteAsync(In inputs, INodeContext context)
    {
        var roots = (StorageRoots)context.Services.GetService(typeof(StorageRoots))!;
        ImageWriter.WriteAll(inputs.Images, roots.Output, inputs.FilenamePrefix, "output", compressionLevel: 4, context);
        return ValueTask.FromResult(NoOutputs.Instance);
    }
}
