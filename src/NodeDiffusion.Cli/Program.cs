using System.CommandLine;
using NodeDiffusion.Cli;
using NodeDiffusion.Cli.Commands;

var root = new RootCommand("NodeDiffusion: run, check and inspect node-graph Stable Diffusion workflows.")
{
    RunCommand.Create(),
    ValidateCommand.Create(),
    NodesCommand.Create(),
    TokenizeCommand.Create(),
    ModelsCommand.Create(),
    ConvertCommand.Create(),
    ScheduleCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }
    Console.Error.WriteLine("Run with --help for usage.");
    return ExitCodes.InvalidInput;
}
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled.");
    return ExitCodes.InternalError;
}
catch (Exception e)
{
    Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
    return ExitCodes.InternalError;
}
