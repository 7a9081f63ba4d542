using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Saving;

/// <summary>Writes every image of a batch as a PNG with the workflow chunks, and lists each file in the node's UI output.</summary>
internal static class ImageWriter
{
    public static void WriteAll(ImageBatch images, string root, string prefix, string type, int compressionLevel, INodeContext context)
    {
        var chunks = WorkflowChunks.For(context.Workflow);
        for (var i = 0; i < images.Batch; i++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var (fullPath, filename, subfolder) = ImageFileNamer.Next(root, prefix, images.Width, images.Height);
            using (var image = ImageCodec.ToImage(images, i))
            using (var stream = File.Create(fullPath))
            {
                ImageCodec.SavePng(image, stream, chunks, compressionLevel);
            }
            context.AddUiOutput("images", new UiItem(filename, subfolder, type));
        }
    }
}
