using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Previews;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>What KSampler and KSamplerAdvanced share: guidance over the UNet, progress, previews, and the sampling call.</summary>
internal static class SamplerRun
{
    public static LatentBatch Run(
        INodeContext context,
        ModelHandle model,
        ConditioningList positive,
        ConditioningList negative,
        LatentBatch latent,
        double cfg,
        Func<DenoiseFunction, KSamplerRequest> request)
    {
        if (positive.Entries.Count == 0 || negative.Entries.Count == 0)
        {
            throw new NodeException("The conditioning is empty.", positive.Entries.Count == 0 ? "positive" : "negative");
        }
        var models = context.Models();
        var checkpoint = models.Open(model.Checkpoint);
        var cond = positive.Entries[0];
        if (cond.Dim != checkpoint.Unet.CrossAttentionDim)
        {
            throw new NodeException($"The conditioning is {cond.Dim} wide but the model expects {checkpoint.Unet.CrossAttentionDim}; use the CLIP of the same checkpoint.", "positive");
        }
        if (latent.Channels != checkpoint.Unet.InChannels)
        {
            throw new NodeException($"The latent has {latent.Channels} channels but the model takes {checkpoint.Unet.InChannels}.", "latent_image");
        }
        var useGuidance = cfg != 1.0;
        var length = latent.Samples.Length;
        using var conditioned = ConditionedDenoiser.IsNeeded(positive, useGuidance ? negative : null)
            ? new ConditionedDenoiser(models, checkpoint, model, latent, positive, useGuidance ? negative : null, (float)cfg)
            : null;
        using var unet = conditioned is null ? new UnetEpsilonModel(IpAdapterFeed.Session(models, checkpoint, model), latent, cond, useGuidance ? negative.Entries[0] : null, IpAdapterFeed.For(model)) : null;
        var denoise = conditioned?.Denoiser ?? (useGuidance
            ? ClassifierFreeGuidance.Wrap(unet!.Denoiser(2 * length), (float)cfg, length)
            : unet!.Denoiser(length));
        var previewer = new LatentPreviewer(context, latent.Channels, latent.Height, latent.Width);
        var baseRequest = request(denoise) with
        {
            LatentImage = latent.Samples,
            DenoiseMask = latent.NoiseMask is { } mask ? new ReadOnlyMemory<float>(Broadcast(mask, latent)) : (ReadOnlyMemory<float>?)null,
            CancellationToken = context.CancellationToken,
            Callback = (in SamplerStep step) =>
            {
                context.ReportProgress(step.Index + 1, step.TotalSteps);
                previewer.Offer(step.Denoised, step.Index, step.TotalSteps);
            },
        };
        var samples = KSampler.Sample(baseRequest);
        previewer.Idle().GetAwaiter().GetResult(); // the last step's preview belongs to this node's run
        return new LatentBatch(latent.Batch, latent.Channels, latent.Height, latent.Width, samples);
    }

    /// <summary>A per-pixel noise mask repeated over batch and channels.</summary>
    private static float[] Broadcast(float[] mask, LatentBatch latent)
    {
        var plane = latent.Height * latent.Width;
        var result = new float[latent.Samples.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var item = i / latent.ItemLength;
            var pixel = i % plane;
            var maskItem = item % (mask.Length / plane); // ComfyUI's repeat_to_batch_size tiles the masks
            result[i] = mask[(maskItem * plane) + pixel];
        }
        return result;
    }
}
