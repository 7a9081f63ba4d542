using System.CommandLine;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Files;

namespace NodeDiffusion.Cli.Commands;

/// <summary>The folder options shared by commands that run nodes.</summary>
internal sealed class StorageOptions
{
    public Option<DirectoryInfo?> Base { get; } = new("--base") { Description = "Base folder for models/, input/, output/, temp/ (default: the current folder)." };
    public Option<DirectoryInfo?> Models { get; } = new("--models") { Description = "Model folder (default: BASE/models)." };
    public Option<DirectoryInfo?> Input { get; } = new("--input") { Description = "Input folder for LoadImage (default: BASE/input)." };
    public Option<DirectoryInfo?> Output { get; } = new("--output") { Description = "Output folder for SaveImage (default: BASE/output)." };

    public void AddTo(Command command)
    {
        command.Add(Base);
        command.Add(Models);
        command.Add(Input);
        command.Add(Output);
    }

    public EngineSettings Settings(ParseResult parse)
    {
        var baseDirectory = parse.GetValue(Base)?.FullName ?? Directory.GetCurrentDirectory();
        var defaults = StorageRoots.Under(baseDirectory);
        var roots = defaults with
        {
            Models = parse.GetValue(Models)?.FullName ?? defaults.Models,
            Input = parse.GetValue(Input)?.FullName ?? defaults.Input,
            Output = parse.GetValue(Output)?.FullName ?? defaults.Output,
            Temp = Path.Combine(Path.GetTempPath(), "nodediffusion-temp"),
        };
        return new EngineSettings(roots, Path.Combine(Path.GetTempPath(), "nodediffusion-cli-data"));
    }
}
