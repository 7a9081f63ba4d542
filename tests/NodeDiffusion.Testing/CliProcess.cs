using System.Diagnostics;

namespace NodeDiffusion.Testing;

/// <summary>Runs the real nodediffusion executable, built beside the tests, as a separate process.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static string CliPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(SharedData.RepositoryRoot, "src", "NodeDiffusion.Cli", "bin", configuration, "net10.0", "nodediffusion.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the CLI first.", path);
        }
    }

    public static async Task<Result> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"nodediffusion {string.Join(' ', arguments)} did not finish in 5 minutes.");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
