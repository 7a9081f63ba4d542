using System.Security.Cryptography;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Loading;

[NodeType("LoadImage", Category = "image", DisplayName = "Load Image",
    Description = "Loads an image from the input folder. The mask is 1 − alpha.")]
public sealed class LoadImage : Node<LoadImage.In, LoadImage.Out>
{
    public sealed record In([Combo(Source = StorageComboOptions.InputImages, ImageUpload = true)] string Image);

    public sealed record Out(ImageBatch Image, MaskBatch Mask);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var path = ResolveInput(context.Services, inputs.Image);
        var (image, mask) = ImageCodec.Decode(path, inputs.Image);
        return ValueTask.FromResult(new Out(image, mask));
    }

    /// <summary>The file's hash, so replacing the file under the same name reruns the node.</summary>
    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services)
    {
        var path = ResolveInput(services, (string)widgetValues["image"]!);
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    internal static string ResolveInput(IServiceProvider services, string name)
    {
        var roots = services.GetService(typeof(StorageRoots)) as StorageRoots
            ?? throw new InvalidOperationException("StorageRoots is not registered.");
        if (!ConfinedPath.TryResolve(roots.Input, name, out var path, out var problem))
        {
            throw new NodeException($"Refused image name: {problem}.", "image");
        }
        return path;
    }
}
