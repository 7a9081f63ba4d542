using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Formats.Torch;

namespace NodeDiffusion.Cli.Commands;

/// <summary>`models inspect`: says what a model file or diffusers folder is, without loading its tensors.</summary>
internal static class ModelsInspectCommand
{
    private const int MetadataValueLimit = 200;

    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A .safetensors/.ckpt/.pt/.pth/.bin file or a diffusers folder." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("inspect", "Says what a model file is: checkpoint, LoRA, embedding, ControlNet, VAE, ...; its layout, tensors and metadata.")
        {
            path, json,
        };
        command.SetAction(parse =>
        {
            ModelFile file;
            try
            {
                file = ModelFile.Read(parse.GetValue(path)!);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or SafetensorsFormatException or TorchFormatException
                or JsonException or UnauthorizedAccessException or NotSupportedException)
            {
                Console.Error.WriteLine($"error: cannot read {parse.GetValue(path)}: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            var report = Report(file);
            Console.Out.WriteLine(parse.GetValue(json) ? report.ToJsonString(ErrorPrinter.Indented) : Format(report));
            return ExitCodes.Success;
        });
        return command;
    }

    private static JsonObject Report(ModelFile file)
    {
        var identity = ModelClassifier.Identify(file);
        var match = Sd15Match.For(file, identity);
        var dtypes = new JsonObject();
        foreach (var group in file.Tensors.GroupBy(t => t.DType.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            dtypes[group.Key] = group.Count();
        }
        var metadata = new JsonObject();
        foreach (var (key, value) in file.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            metadata[key] = value.Length > MetadataValueLimit ? value[..MetadataValueLimit] + "…" : value;
        }
        return new JsonObject
        {
            ["path"] = Path.GetFullPath(file.Path),
            ["format"] = file.Format,
            ["kind"] = identity.Kind,
            ["variant"] = identity.Variant,
            ["layout"] = identity.Layout,
            ["tensor_count"] = file.Tensors.Count,
            ["parameters"] = file.Tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b)),
            ["dtypes"] = dtypes,
            ["sample_keys"] = new JsonArray(file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal).Take(5).Select(n => (JsonNode?)n).ToArray()),
            ["metadata"] = metadata,
            ["sd15_match"] = match is null ? null : new JsonObject { ["matched"] = match.Matched, ["total"] = match.Total, ["unit"] = match.Unit },
        };
    }

    private static string Format(JsonObject report)
    {
        var lines = new List<string>
        {
            $"{report["path"]}",
            $"  kind:     {report["kind"]}{(report["variant"]!.GetValue<string>().Length > 0 ? $" ({report["variant"]})" : "")}",
            $"  format:   {report["format"]}",
            $"  layout:   {report["layout"]}",
            $"  tensors:  {report["tensor_count"]} ({string.Join(", ", report["dtypes"]!.AsObject().Select(p => $"{p.Key} {p.Value}"))}), {report["parameters"]} parameters",
            $"  keys:     {string.Join(", ", report["sample_keys"]!.AsArray().Select(k => k!.GetValue<string>()))}",
        };
        if (report["sd15_match"] is JsonObject match)
        {
            lines.Add($"  SD1.5:    {match["matched"]} of {match["total"]} {match["unit"]} match");
        }
        var metadata = report["metadata"]!.AsObject();
        lines.Add($"  metadata: {(metadata.Count == 0 ? "none" : metadata.Count + " entries")}");
        lines.AddRange(metadata.Take(20).Select(p => $"    {p.Key}: {p.Value}"));
        return string.Join(Environment.NewLine, lines);
    }
}
