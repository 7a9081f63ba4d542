using System.CommandLine;
using Microsoft.Extensions.Logging;
using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Nodes.Diffusion.Previews;

namespace NodeDiffusion.Cli.Commands;

internal static class RunCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("workflow") { Arity = ArgumentArity.OneOrMore, Description = "Workflow JSON files, run in order in one process sharing the cache." };
        var set = new Option<string[]>("--set") { Description = "Override a widget: NODE.INPUT=VALUE (VALUE as JSON, else as text). Repeatable." };
        var report = new Option<FileInfo?>("--report") { Description = "Write a JSON report: every node with status, milliseconds and files." };
        var mapModels = new Option<string?>("--map-models") { Description = "\"demo\" points every checkpoint name of an imported workflow at the demo model." };
        var storage = new StorageOptions();
        var command = new Command("run", "Runs workflows (native, ComfyUI API/UI, or images with an embedded workflow) and saves their outputs.") { files, set, report, mapModels };
        storage.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
                .AddFilter((category, level) => level >= LogLevel.Warning));
            var host = EngineHost.Create(storage.Settings(parse), loggers: loggers);
            var progress = new ConsoleProgress(Console.Error, interactive: !Console.IsErrorRedirected);
            var runReport = new RunReport();
            // A terminal shows no images while a prompt runs, so previews would be decoded only to be thrown away.
            var noPreviews = new PromptOptions(PreviewMethodNames.Name(PreviewMethod.None));
            var exitCode = ExitCodes.Success;
            foreach (var file in parse.GetValue(files)!)
            {
                var (workflow, errors) = WorkflowLoader.Load(file.FullName, parse.GetValue(set) ?? [], host.Registry, parse.GetValue(mapModels), Console.Error);
                var validation = workflow is null ? null : host.Validator.Validate(workflow);
                if (workflow is null || !validation!.IsValid)
                {
                    var allErrors = workflow is null ? errors : validation!.Errors;
                    ErrorPrinter.Print(file.FullName, allErrors, Console.Error);
                    runReport.AddInvalid(file.FullName, allErrors);
                    exitCode = ExitCodes.InvalidInput;
                    continue;
                }
                Console.Error.WriteLine($"Running {file.Name}");
                var snapshot = WorkflowLoader.Snapshot(workflow, host.Registry);
                var result = await host.Executor.RunAsync(Guid.NewGuid().ToString(), validation.Workflow!, progress, snapshot, cancellationToken, noPreviews);
                runReport.Add(file.FullName, result);
                if (result.Status != ExecutionStatus.Success)
                {
                    exitCode = Math.Max(exitCode, result.Error?.IsInternal == true ? ExitCodes.InternalError : ExitCodes.InvalidInput);
                    continue;
                }
                var written = result.Nodes.SelectMany(n => n.Ui.Items.Values.SelectMany(i => i)).Where(i => i.Filename is not null).ToList();
                var cached = result.Cached.Count();
                Console.Error.WriteLine($"Finished {file.Name} in {result.Milliseconds:F0} ms: {result.Executed.Count()} executed, {cached} cached, {written.Count} file(s) written");
                foreach (var item in written)
                {
                    Console.Out.WriteLine(Path.Combine(host.Settings.Roots.ForType(item.Type) ?? "", item.Subfolder ?? "", item.Filename!));
                }
            }
            if (parse.GetValue(report) is { } reportFile)
            {
                runReport.Write(reportFile.FullName);
            }
            return exitCode;
        });
        return command;
    }
}
