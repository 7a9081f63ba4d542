using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Diffusion.Sampling.Diffusers;
using NodeDiffusion.Diffusion.Tests.Sampling.Fixtures;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

/// <summary>
/// The ComfyUI (k-diffusion) samplers driven through the diffusers reference trajectories: same σ, same fake ε model wrapped
/// as a denoiser D(x, σ) = x − σ·ε(x/√(σ²+1), t), compared in σ-scaled (VE) space. DPM++ and DDIM latents are stored
/// VP-scaled and are converted with √(σ²+1).
/// </summary>
public sealed class KDiffusionReferenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("euler", "euler__leading")]
    [InlineData("euler", "euler__linspace")]
    [InlineData("euler", "euler_karras__linspace")]
    [InlineData("euler_ancestral", "euler_ancestral__leading")]
    [InlineData("euler_ancestral", "euler_ancestral__linspace")]
    [InlineData("lms", "lms__leading")]
    [InlineData("lms", "lms__linspace")]
    public void SigmaSpaceSamplersReproduceDiffusers(string sampler, string caseName)
    {
        var fixture = SchedulerFixtureCase.Load(caseName);
        var sigmas = fixture.Sigmas!.Select(s => (float)s).ToArray();
        var x = fixture.XT.Select(v => (float)(v * fixture.InitNoiseSigma)).ToArray();
        var trajectory = new List<float[]>();
        var noise = sampler == "euler_ancestral"
            ? new QueuedNoiseSampler(Enumerable.Range(0, fixture.StepsRun).Select(fixture.Noise))
            : null;

        Run(sampler, x, sigmas, fixture.Timesteps, noise, trajectory);

        // k-diffusion's LMS jumps to the denoised prediction when σ_next = 0; diffusers integrates to it, so the last step differs.
        var compared = sampler == "lms" ? fixture.StepsRun - 1 : fixture.StepsRun;
        var maxError = 0.0;
        for (var step = 0; step < compared; step++)
        {
            var error = SchedulerFixtureCase.MaxAbsDifference(fixture.Latents(step), trajectory[step]);
            Assert.True(error <= Tolerance, $"{sampler} on {caseName}, step {step}: max |Δ| = {error:E2}");
            maxError = Math.Max(maxError, error);
        }
        output.WriteLine($"{sampler} vs {caseName}: max |Δ| = {maxError:E2} over {compared} steps");
    }

    [Theory]
    [InlineData("dpmpp_2m__leading")]
    [InlineData("dpmpp_2m__linspace")]
    [InlineData("dpmpp_2m_karras__leading")]
    [InlineData("dpmpp_2m_karras__linspace")]
    public void Dpmpp2MReproducesDiffusersDpmSolverMultistep(string caseName)
    {
        var fixture = SchedulerFixtureCase.Load(caseName);
        var sigmas = fixture.Sigmas!.Select(s => (float)s).ToArray();
        AssertVpTrajectory("dpmpp_2m", fixture, sigmas, fixture.Timesteps);
    }

    [Fact]
    public void DdimIsEulerOnTheDdimSigmas()
    {
        var fixture = SchedulerFixtureCase.Load("ddim__leading");
        var table = DiffusersNoiseSchedule.StableDiffusion15.Sigmas.ToArray();
        // DDIM's last step goes to ᾱ₀ (set_alpha_to_one false), i.e. to σ(0) rather than 0.
        var sigmas = fixture.Timesteps.Select(t => table[(int)t]).Append(table[0]).ToArray();
        AssertVpTrajectory("ddim", fixture, sigmas, fixture.Timesteps);
    }

    private void AssertVpTrajectory(string sampler, SchedulerFixtureCase fixture, float[] sigmas, double[] timesteps)
    {
        var x = fixture.XT.Select(v => v * MathF.Sqrt(sigmas[0] * sigmas[0] + 1f)).ToArray();
        var trajectory = new List<float[]>();

        Run(sampler, x, sigmas, timesteps, null, trajectory);

        var maxError = 0.0;
        for (var step = 0; step < fixture.StepsRun; step++)
        {
            var next = sigmas[step + 1];
            var expected = fixture.Latents(step).Select(v => v * MathF.Sqrt(next * next + 1f)).ToArray();
            var error = SchedulerFixtureCase.MaxAbsDifference(expected, trajectory[step]);
            Assert.True(error <= Tolerance, $"{sampler} on {fixture.Name}, step {step}: max |Δ| = {error:E2}");
            maxError = Math.Max(maxError, error);
        }
        output.WriteLine($"{sampler} vs {fixture.Name}: max |Δ| = {maxError:E2}");
    }

    /// <summary>Runs the sampler and records x after every step (the x passed to the next step's callback, plus the result).</summary>
    private static void Run(string sampler, float[] x, float[] sigmas, double[] timesteps, INoiseSampler? noise, List<float[]> trajectory)
    {
        var timestepOf = new Dictionary<float, double>();
        for (var i = 0; i < timesteps.Length; i++)
        {
            timestepOf[sigmas[i]] = timesteps[i];
        }
        var modelIn = new float[x.Length];
        var eps = new float[x.Length];
        void Denoise(ReadOnlySpan<float> input, float sigma, Span<float> denoised)
        {
            var scale = MathF.Sqrt(sigma * sigma + 1f);
            for (var i = 0; i < input.Length; i++)
            {
                modelIn[i] = input[i] / scale;
            }
            SchedulerFixtureCase.FakeEps(modelIn, timestepOf[sigma], eps);
            for (var i = 0; i < input.Length; i++)
            {
                denoised[i] = input[i] - sigma * eps[i];
            }
        }

        SamplerRegistry.Create(sampler).Sample(x, new SamplingContext
        {
            Denoise = Denoise,
            Sigmas = sigmas,
            Noise = noise,
            Callback = (in SamplerStep step) =>
            {
                if (step.Index > 0)
                {
                    trajectory.Add(step.X.ToArray());
                }
            },
        });
        trajectory.Add(x.ToArray());
    }
}
