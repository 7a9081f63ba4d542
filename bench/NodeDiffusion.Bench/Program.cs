using NodeDiffusion.Bench;

// Usage: dotnet run -c Release --project bench/NodeDiffusion.Bench [engine]
var which = args.Length > 0 ? args[0] : "engine";
switch (which)
{
    case "engine":
        await EngineOverheadBenchmark.RunAsync();
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark \"{which}\". Known: engine.");
        return 2;
}
return 0;
