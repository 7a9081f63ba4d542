using System.Diagnostics;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Runtime;

namespace NodeDiffusion.Bench;

/// <summary>The demo UNet through <see cref="CompiledModels"/> with a disk cache: compiling it against creating it from the stored file.</summary>
public static partial class ModelsBenchmark
{
    private static void DemoUnetFromDiskCache(SessionFactory factory, DiffusersCheckpoint demo)
    {
        var cacheFolder = Path.Combine(Path.GetTempPath(), $"nd-bench-demo-compiled-{Environment.ProcessId}");
        try
        {
            var clock = Stopwatch.StartNew();
            using (var first = new CompiledModels(factory, cacheFolder: cacheFolder))
            {
                first.Unet(demo);
            }
            var compileMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            using var second = new CompiledModels(factory, cacheFolder: cacheFolder);
            second.Unet(demo);
            Console.WriteLine($"Demo UNet through CompiledModels: compile + store + session {compileMs:F0} ms, session from the disk cache {clock.Elapsed.TotalMilliseconds:F0} ms ({second.Compilations} compiles)");
        }
        finally
        {
            Directory.Delete(cacheFolder, recursive: true);
        }
    }
}
