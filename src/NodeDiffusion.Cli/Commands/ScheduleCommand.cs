using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NodeDiffusion.Diffusion.Sampling;

namespace NodeDiffusion.Cli.Commands;

/// <summary>`schedule`: the σ sequence a KSampler with these settings runs (SD1.5 model sampling).</summary>
internal static class ScheduleCommand
{
    public static Command Create()
    {
        var scheduler = new Option<string>("--scheduler") { Description = "Scheduler name, e.g. normal, karras, simple.", Required = true };
        scheduler.AcceptOnlyFromAmong([.. SigmaSchedulers.Names]);
        var steps = new Option<int>("--steps") { Description = "Number of sampling steps.", Required = true };
        var denoise = new Option<double>("--denoise") { Description = "Denoise strength in [0, 1].", DefaultValueFactory = _ => 1.0 };
        var sampler = new Option<string>("--sampler") { Description = "Sampler name (dpm_2 and uni_pc drop the penultimate σ).", DefaultValueFactory = _ => "euler" };
        sampler.AcceptOnlyFromAmong([.. SamplerRegistry.Names]);
        var json = new Option<bool>("--json") { Description = "Print JSON: the settings and the σ list." };
        var command = new Command("schedule", "Prints the σ sequence a sampler will use for a scheduler, step count and denoise.")
        {
            scheduler, steps, denoise, sampler, json,
        };
        command.SetAction(parse =>
        {
            var stepCount = parse.GetValue(steps);
            var strength = parse.GetValue(denoise);
            if (stepCount < 1 || strength is < 0 or > 1 || double.IsNaN(strength))
            {
                Console.Error.WriteLine("error: --steps must be at least 1 and --denoise within [0, 1].");
                return ExitCodes.InvalidInput;
            }
            var sigmas = KSamplerSigmas.Calculate(ModelSamplingDiscrete.StableDiffusion15, parse.GetValue(scheduler)!, parse.GetValue(sampler)!, stepCount, strength);
            if (!parse.GetValue(json))
            {
                foreach (var sigma in sigmas)
                {
                    Console.Out.WriteLine(sigma.ToString("R", CultureInfo.InvariantCulture));
                }
                return ExitCodes.Success;
            }
            var result = new JsonObject
            {
                ["scheduler"] = parse.GetValue(scheduler),
                ["sampler"] = parse.GetValue(sampler),
                ["steps"] = stepCount,
                ["denoise"] = strength,
                ["sigmas"] = new JsonArray(sigmas.Select(s => (JsonNode?)s).ToArray()),
            };
            Console.Out.WriteLine(result.ToJsonString(ErrorPrinter.Indented));
            return ExitCodes.Success;
        });
        return command;
    }
}
