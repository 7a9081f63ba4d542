using System.CommandLine;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Registry;

namespace NodeDiffusion.Cli.Commands;

internal static class NodesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print every schema as JSON, in the shape of ComfyUI's /object_info." };
        var storage = new StorageOptions();
        var command = new Command("nodes", "Lists the node types this installation knows.") { json };
        storage.AddTo(command);
        command.SetAction(parse =>
        {
            var host = EngineHost.Create(storage.Settings(parse));
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(ObjectInfoWriter.Write(host.Registry, host.ComboOptions).ToJsonString(ErrorPrinter.Indented));
                return ExitCodes.Success;
            }
            foreach (var group in host.Registry.Definitions.GroupBy(d => d.Schema.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Console.Out.WriteLine(group.Key);
                foreach (var definition in group.OrderBy(d => d.Schema.TypeId, StringComparer.Ordinal))
                {
                    var schema = definition.Schema;
                    var inputs = string.Join(", ", schema.Inputs.Select(i => $"{i.Name}: {i.Type}{(i.Optional ? "?" : "")}"));
                    var outputs = string.Join(", ", schema.Outputs.Select(o => o.Type));
                    Console.Out.WriteLine($"  {schema.TypeId} ({schema.DisplayName}): {inputs} -> {(outputs.Length == 0 ? "output node" : outputs)}");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
