using NodeDiffusion.Graph.Values;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Vision;

/// <summary>Runs a CLIP vision tower on images (ComfyUI's <c>ClipVisionModel.encode_image</c>).</summary>
public static class ClipVisionEncoder
{
    public static ModelSession Session(DiffusionModels models, ClipVisionHandle handle) =>
        models.Compiled.Standalone(handle.WeightsPath, handle.Fingerprint, "clip_vision", () =>
        {
            using var weights = SafetensorsWeightSource.Open(handle.WeightsPath);
            return ClipVisionGraph.Build(handle.Config, weights);
        });

    public static ClipVisionOutput Encode(DiffusionModels models, ClipVisionHandle handle, ImageBatch image, bool centerCrop, CancellationToken cancellation)
    {
        var config = handle.Config;
        var session = Session(models, handle);
        var size = config.ImageSize;
        var pixels = ClipPreprocess.Run(image, size, centerCrop);
        var tokens = config.Patches + 1;
        var embeds = new float[image.Batch * config.ProjectionDim];
        var penultimate = new float[image.Batch * tokens * config.HiddenSize];
        var last = new float[penultimate.Length];
        var perImage = 3 * size * size;
        for (var b = 0; b < image.Batch; b++)
        {
            cancellation.ThrowIfCancellationRequested();
            var input = new FloatTensor([1, 3, size, size], pixels.AsSpan(b * perImage, perImage).ToArray());
            var outputs = session.Run(new Dictionary<string, HostTensor> { ["pixel_values"] = input });
            outputs["image_embeds"].Data.CopyTo(embeds, b * config.ProjectionDim);
            outputs["penultimate_hidden_state"].Data.CopyTo(penultimate, b * tokens * config.HiddenSize);
            outputs["last_hidden_state"].Data.CopyTo(last, b * tokens * config.HiddenSize);
        }
        return new ClipVisionOutput(image.Batch, config.ProjectionDim, tokens, config.HiddenSize, embeds, penultimate, last);
    }
}
