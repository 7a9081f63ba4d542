using System.CommandLine;
using System.Text.Json.Nodes;
using NodeDiffusion.Engine.Hosting;

namespace NodeDiffusion.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("workflow") { Description = "The workflow JSON file." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var storage = new StorageOptions();
        var command = new Command("validate", "Checks a workflow and lists every problem, without running it.") { file, json };
        storage.AddTo(command);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!.FullName;
            var host = EngineHost.Create(storage.Settings(parse));
            var (workflow, loadErrors) = WorkflowLoader.Load(path, [], host.Registry);
            var errors = workflow is null ? loadErrors : host.Validator.Validate(workflow).Errors;
            if (parse.GetValue(json))
            {
                var result = new JsonObject { ["file"] = path, ["valid"] = errors.Count == 0, ["errors"] = ErrorPrinter.ToJson(errors) };
                Console.Out.WriteLine(result.ToJsonString(ErrorPrinter.Indented));
            }
            else if (errors.Count == 0)
            {
                Console.Out.WriteLine($"{path}: valid ({workflow!.Nodes.Count} nodes)");
            }
            else
            {
                ErrorPrinter.Print(path, errors, Console.Out);
            }
            return errors.Count == 0 ? ExitCodes.Success : ExitCodes.InvalidInput;
        });
        return command;
    }
}
