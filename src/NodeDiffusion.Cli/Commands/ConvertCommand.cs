using System.CommandLine;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Export;

namespace NodeDiffusion.Cli.Commands;

/// <summary>`convert`: between our workflow format and ComfyUI's API and UI formats (the conversion ComfyUI's server lacks).</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("in") { Description = "A workflow: native JSON, ComfyUI API or UI JSON, or an image with an embedded workflow." };
        var output = new Argument<FileInfo>("out") { Description = "Where to write the converted workflow." };
        var to = new Option<string>("--to") { Description = "native, comfy-api or comfy-ui.", Required = true };
        to.AcceptOnlyFromAmong("native", "comfy-api", "comfy-ui");
        var mapModels = new Option<string?>("--map-models") { Description = "\"demo\" points every checkpoint name at the demo model." };
        var storage = new StorageOptions();
        var command = new Command("convert", "Converts a workflow between NodeDiffusion and ComfyUI formats.") { input, output, to, mapModels };
        storage.AddTo(command);
        command.SetAction(parse =>
        {
            var host = EngineHost.Create(storage.Settings(parse));
            var source = parse.GetValue(input)!.FullName;
            var (workflow, errors) = WorkflowLoader.Load(source, [], host.Registry, parse.GetValue(mapModels), Console.Error);
            if (workflow is null)
            {
                ErrorPrinter.Print(source, errors, Console.Error);
                return ExitCodes.InvalidInput;
            }
            var exporter = new ComfyExporter(new ComfyExportOptions(host.Registry));
            var text = parse.GetValue(to) switch
            {
                "comfy-api" => exporter.ToApiPrompt(workflow).ToJson(indented: true),
                "comfy-ui" => exporter.ToUiWorkflow(workflow).ToJson(indented: true),
                _ => WorkflowJson.Serialize(workflow),
            };
            File.WriteAllText(parse.GetValue(output)!.FullName, text);
            return ExitCodes.Success;
        });
        return command;
    }
}
