using NodeDiffusion.Bench;
using NodeDiffusion.Bench.ControlNet;
using NodeDiffusion.Bench.Txt2Img;

// Usage: dotnet run -c Release --project bench/NodeDiffusion.Bench [engine | models [--full-unet] | txt2img [--rounds N] | controlnet [--rounds N] [--mid-size] [--no-engine]]
var which = args.Length > 0 ? args[0] : "engine";
switch (which)
{
    case "engine":
        await EngineOverheadBenchmark.RunAsync();
        break;
    case "models":
        ModelsBenchmark.Run(fullSizeUnet: args.Contains("--full-unet"));
        break;
    case "txt2img":
        await Txt2ImgBenchmark.RunAsync(Math.Max(1, Rounds()));
        break;
    case "controlnet":
        await ControlNetBenchmark.RunAsync(Math.Max(1, Rounds()), midSize: args.Contains("--mid-size"), engine: !args.Contains("--no-engine"));
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark \"{which}\". Known: engine, models, txt2img, controlnet.");
        return 2;
}
return 0;

int Rounds() => args.SkipWhile(a => a != "--rounds").Skip(1).Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(3);
