using System.Text.RegularExpressions;

namespace NodeDiffusion.Models.Runtime;

/// <summary>
/// Turns ONNX Runtime's error for a CUDA provider that would not load into one line a user can act on: on a machine
/// without the CUDA libraries the raw text is a C++ source location and a loader message several hundred characters long.
/// </summary>
public static partial class CudaUnavailableReason
{
    public static string Describe(string message)
    {
        if (MissingLibrary().Match(message) is { Success: true } missing)
        {
            return $"{missing.Groups["library"].Value} was not found; install the CUDA and cuDNN runtime libraries that ONNX Runtime's GPU build needs to use the GPU";
        }
        var firstLine = message.Split('\n')[0].Trim();
        return firstLine.Length <= 300 ? firstLine : firstLine[..300] + "…";
    }

    [GeneratedRegex(@"error: (?<library>[\w.+-]+\.so[\w.]*): cannot open shared object file")]
    private static partial Regex MissingLibrary();
}
