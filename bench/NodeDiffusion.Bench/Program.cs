using NodeDiffusion.Bench;

// Usage: dotnet run -c Release --project bench/NodeDiffusion.Bench [engine | models [--full-unet]]
var which = args.Length > 0 ? args[0] : "engine";
switch (which)
{
    case "engine":
        await EngineOverheadBenchmark.RunAsync();
        break;
    case "models":
        ModelsBenchmark.Run(fullSizeUnet: args.Contains("--full-unet"));
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark \"{which}\". Known: engine, models.");
        return 2;
}
return 0;
