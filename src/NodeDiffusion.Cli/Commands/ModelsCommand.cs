using System.CommandLine;
using NodeDiffusion.Models.Demo;

namespace NodeDiffusion.Cli.Commands;

/// <summary>`models`: commands about model files.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var storage = new StorageOptions();
        var initDemo = new Command("init-demo", "Writes the small demo checkpoint into models/checkpoints (deterministic; skipped when present).");
        storage.AddTo(initDemo);
        initDemo.SetAction(parse =>
        {
            var folder = DemoCheckpoint.EnsureExists(storage.Settings(parse).Roots.Models);
            Console.Out.WriteLine(folder);
            return ExitCodes.Success;
        });
        return new Command("models", "Model file commands.") { initDemo, ModelsEvalCommand.Create(), ModelsInspectCommand.Create() };
    }
}
