using NodeDiffusion.Diffusion.Sampling;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

public sealed class EpsilonDenoiserTests
{
    [Fact]
    public void ScalesTheInputPassesTheNearestTimestepAndSubtractsSigmaTimesEps()
    {
        var modelSampling = ModelSamplingDiscrete.StableDiffusion15;
        float[]? seenInput = null;
        var seenTimestep = -1f;
        EpsilonModel model = (input, timestep, eps) =>
        {
            seenInput = input.ToArray();
            seenTimestep = timestep;
            for (var i = 0; i < input.Length; i++)
            {
                eps[i] = 2f * input[i] + 1f;
            }
        };
        var denoise = EpsilonDenoiser.Create(modelSampling, model, 3);
        var sigma = modelSampling.Sigmas[700];
        float[] x = [1f, -2f, 0.5f];
        var denoised = new float[3];

        denoise(x, sigma, denoised);

        var cIn = 1 / MathF.Sqrt(sigma * sigma + 1);
        Assert.Equal(700f, seenTimestep);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(x[i] * cIn, seenInput![i], 1e-6);
            Assert.Equal(x[i] - sigma * (2f * x[i] * cIn + 1f), denoised[i], 1e-4);
        }
    }

    [Fact]
    public void WrongLatentLengthIsRejected()
    {
        var denoise = EpsilonDenoiser.Create(ModelSamplingDiscrete.StableDiffusion15, (_, _, _) => { }, 4);
        Assert.Throws<ArgumentException>(() => denoise(new float[3], 1f, new float[3]));
    }
}
