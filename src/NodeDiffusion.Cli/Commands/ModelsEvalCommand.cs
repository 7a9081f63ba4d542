using System.CommandLine;
using System.Text.Json;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Formats.Torch;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Cli.Commands;

/// <summary>`models eval`: compiles one component from a config and weights, runs it on named inputs and writes its outputs.</summary>
internal static class ModelsEvalCommand
{
    public static Command Create()
    {
        var component = new Option<string>("--component") { Description = "Which component: " + string.Join(", ", EvalComponents.All.Keys) + ".", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "diffusers/transformers config.json (not needed for TAESD)." };
        var weights = new Option<FileInfo[]>("--weights") { Description = "A .safetensors (or torch zip .pth/.pt) weights file; repeat to use several as one union.", Required = true };
        var inputs = new Option<FileInfo>("--inputs") { Description = "safetensors file with the input tensors (sample, timestep, input_ids, image, latent, ...).", Required = true };
        var prefix = new Option<string>("--prefix") { Description = "Tensor-name prefix of the case to run (e.g. ns_); outputs carry it too.", DefaultValueFactory = _ => "" };
        var output = new Option<FileInfo>("--out") { Description = "safetensors file to write the outputs to.", Required = true };
        var device = new Option<string>("--device") { Description = "auto (CUDA when it loads) or cpu.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("auto", "cpu");
        var command = new Command("eval", "Compiles one model component, runs it on named input tensors and writes its outputs.")
        {
            component, config, weights, inputs, prefix, output, device,
        };
        command.SetAction(parse =>
        {
            try
            {
                var spec = Resolve(parse.GetValue(component)!, parse.GetValue(config), parse.GetValue(weights)!, parse.GetValue(inputs)!);
                var written = Run(spec, parse.GetValue(config)?.FullName, parse.GetValue(weights)!, parse.GetValue(inputs)!.FullName,
                    parse.GetValue(prefix) ?? "", parse.GetValue(output)!.FullName, parse.GetValue(device) == "cpu");
                foreach (var (name, tensor) in written)
                {
                    Console.Out.WriteLine($"{name} [{string.Join(", ", tensor.Shape)}]");
                }
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or SafetensorsFormatException or TorchFormatException or WeightBindingException
                or JsonException or ArgumentException or KeyNotFoundException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    private static EvalComponent Resolve(string name, FileInfo? config, FileInfo[] weights, FileInfo inputs)
    {
        if (!EvalComponents.All.TryGetValue(name, out var spec))
        {
            throw new ArgumentException($"Unknown component '{name}'. Valid components: {string.Join(", ", EvalComponents.All.Keys)}.");
        }
        if (spec.NeedsConfig && config is null)
        {
            throw new ArgumentException($"The {name} needs --config CONFIG.json.");
        }
        foreach (var file in (config is null ? [] : new[] { config }).Concat(weights).Append(inputs))
        {
            if (!file.Exists)
            {
                throw new FileNotFoundException($"File not found: {file.FullName}", file.FullName);
            }
        }
        return spec;
    }

    private static List<(string Name, FloatTensor Tensor)> Run(EvalComponent spec, string? config, FileInfo[] weightFiles, string inputsPath,
        string prefix, string outputPath, bool cpu)
    {
        var inputs = EvalInputs.Read(inputsPath, spec, prefix);
        using var weights = new EvalWeights(weightFiles.Select(f => f.FullName));
        var model = spec.Build(config, weights.Source);
        using var session = new SessionFactory(new SessionOptionsSpec(PreferCuda: !cpu)).Create(model, "eval-" + spec.Name);
        var outputs = session.Run(inputs);
        var written = outputs.Select(o => (prefix + spec.OutputName(o.Key), o.Value)).OrderBy(o => o.Item1, StringComparer.Ordinal).ToList();
        SafetensorsWriter.WriteFile(outputPath, written.Select(o => SafetensorsTensor.FromFloat32(o.Item1, o.Value.Shape, o.Value.Data)));
        return written;
    }
}
