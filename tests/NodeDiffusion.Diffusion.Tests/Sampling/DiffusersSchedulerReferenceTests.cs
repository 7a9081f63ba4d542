using NodeDiffusion.Diffusion.Sampling.Diffusers;
using NodeDiffusion.Diffusion.Tests.Sampling.Fixtures;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

/// <summary>
/// The diffusers-style schedulers against reference/schedulers: same timesteps, σ, initial scale and, step by step, the same
/// latent trajectory under the fixture's fake model (suggested tolerance 1e-4 absolute on latents).
/// </summary>
public sealed class DiffusersSchedulerReferenceTests(ITestOutputHelper output)
{
    private const double LatentTolerance = 1e-4;

    public static TheoryData<string> Cases() =>
    [
        "euler__leading", "euler__linspace", "euler_karras__leading", "euler_karras__linspace",
        "euler_ancestral__leading", "euler_ancestral__linspace", "dpmpp_2m__leading", "dpmpp_2m__linspace",
        "dpmpp_2m_karras__leading", "dpmpp_2m_karras__linspace", "ddim__leading", "lms__leading", "lms__linspace",
        "pndm__leading",
    ];

    [Fact]
    public void TrainingScheduleMatchesDiffusersFloat32Tables()
    {
        var schedule = DiffusersNoiseSchedule.StableDiffusion15;
        var betas = SchedulerFixtureCase.ReadTable("betas_float32");
        var alphas = SchedulerFixtureCase.ReadTable("alphas_cumprod_float32");

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(betas[i], schedule.Betas[i], Math.Abs(betas[i]) * 1e-6);
            Assert.Equal(alphas[i], schedule.AlphasCumprod[i], Math.Abs(alphas[i]) * 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TablesMatchForEverySpacing(string caseName)
    {
        foreach (var (spacingName, spacing) in new[]
                 {
                     ("leading", TimestepSpacing.Leading), ("linspace", TimestepSpacing.Linspace), ("trailing", TimestepSpacing.Trailing),
                 })
        {
            var (timesteps, sigmas, initNoiseSigma) = SchedulerFixtureCase.LoadSpacingTable(caseName, spacingName);
            var scheduler = Create(caseName, new QueuedNoiseSampler([]), spacing);
            AssertTables(scheduler, timesteps, sigmas, initNoiseSigma, $"{caseName}/{spacingName}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReproducesTheReferenceTrajectory(string caseName)
    {
        var fixture = SchedulerFixtureCase.Load(caseName);
        var noise = caseName.StartsWith("euler_ancestral", StringComparison.Ordinal)
            ? new QueuedNoiseSampler(Enumerable.Range(0, fixture.StepsRun).Select(fixture.Noise))
            : null;
        var scheduler = Create(caseName, noise);
        AssertTables(scheduler, fixture.Timesteps, fixture.Sigmas, fixture.InitNoiseSigma, caseName);

        var latents = fixture.XT.Select(v => (float)(v * scheduler.InitNoiseSigma)).ToArray();
        var modelIn = new float[latents.Length];
        var eps = new float[latents.Length];
        var maxError = 0.0;
        for (var step = 0; step < fixture.StepsRun; step++)
        {
            scheduler.ScaleModelInput(latents, step, modelIn);
            SchedulerFixtureCase.FakeEps(modelIn, scheduler.Timesteps[step], eps);
            scheduler.Step(eps, step, latents);
            var error = SchedulerFixtureCase.MaxAbsDifference(fixture.Latents(step), latents);
            Assert.True(error <= LatentTolerance, $"{caseName} step {step}: max |Δ| = {error:E2}");
            maxError = Math.Max(maxError, error);
        }
        Assert.Equal(0, noise?.Remaining ?? 0);
        output.WriteLine($"{caseName}: max |Δ latents| = {maxError:E2}");
    }

    private static void AssertTables(DiffusersScheduler scheduler, double[] timesteps, double[]? expectedSigmas, double initNoiseSigma, string label)
    {
        Assert.Equal(timesteps.Length, scheduler.Timesteps.Count);
        for (var i = 0; i < timesteps.Length; i++)
        {
            Assert.True(Math.Abs(timesteps[i] - scheduler.Timesteps[i]) <= 1e-3,
                $"{label} timestep {i}: expected {timesteps[i]} got {scheduler.Timesteps[i]}");
        }
        if (expectedSigmas is not null)
        {
            var sigmas = scheduler switch
            {
                SigmaSpaceScheduler s => s.Sigmas,
                DpmSolverMultistepScheduler d => d.Sigmas,
                _ => throw new InvalidOperationException("scheduler without σ table"),
            };
            Assert.Equal(expectedSigmas.Length, sigmas.Length);
            for (var i = 0; i < sigmas.Length; i++)
            {
                Assert.True(Math.Abs(expectedSigmas[i] - sigmas[i]) <= 1e-6 * Math.Abs(expectedSigmas[i]) + 1e-12,
                    $"{label} σ {i}: expected {expectedSigmas[i]} got {sigmas[i]}");
            }
        }
        Assert.True(Math.Abs(initNoiseSigma - scheduler.InitNoiseSigma) <= initNoiseSigma * 1e-6,
            $"{label} init_noise_sigma: expected {initNoiseSigma} got {scheduler.InitNoiseSigma}");
    }

    private static DiffusersScheduler Create(string caseName, QueuedNoiseSampler? noise, TimestepSpacing? spacingOverride = null)
    {
        var schedule = DiffusersNoiseSchedule.StableDiffusion15;
        var separator = caseName.IndexOf("__", StringComparison.Ordinal);
        var kind = caseName[..separator];
        var spacing = spacingOverride
            ?? (caseName[(separator + 2)..] == "leading" ? TimestepSpacing.Leading : TimestepSpacing.Linspace);
        return kind switch
        {
            "euler" => new EulerDiscreteScheduler(schedule, 20, spacing),
            "euler_karras" => new EulerDiscreteScheduler(schedule, 20, spacing, karras: true),
            "euler_ancestral" => new EulerAncestralDiscreteScheduler(schedule, 20, noise!, spacing),
            "dpmpp_2m" => new DpmSolverMultistepScheduler(schedule, 20, spacing),
            "dpmpp_2m_karras" => new DpmSolverMultistepScheduler(schedule, 20, spacing, karras: true),
            "ddim" => new DdimScheduler(schedule, 20, spacing),
            "lms" => new LmsDiscreteScheduler(schedule, 20, spacing),
            "pndm" => new PndmScheduler(schedule, 20, spacing),
            _ => throw new ArgumentException(caseName),
        };
    }
}
