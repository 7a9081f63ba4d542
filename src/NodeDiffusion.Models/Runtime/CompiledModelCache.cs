using System.Security.Cryptography;
using System.Text;
using NodeDiffusion.Models.Onnx;
using Onnx;

namespace NodeDiffusion.Models.Runtime;

/// <summary>
/// Compiled models on disk, one folder per key (<c>&lt;root&gt;/&lt;sha256&gt;/model.onnx</c> plus its weight side file), so a
/// checkpoint + patch set is compiled once. A folder appears atomically (written under a temporary name, then renamed).
/// </summary>
public sealed class CompiledModelCache(string root)
{
    public const string ModelFileName = "model.onnx";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>A cache key from the parts that determine a compiled model (config JSON, weight fingerprints, options).</summary>
    public static string Key(params string[] parts)
    {
        var text = string.Join("\n", parts.Select(p => p.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + p));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>A cheap file identity (path, size, modification time); hashing multi-GB checkpoints on every start is too slow.</summary>
    public static string FileFingerprint(string path)
    {
        var info = new FileInfo(path);
        return $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
    }

    public bool TryGet(string key, out string modelPath)
    {
        modelPath = Path.Combine(Root, key, ModelFileName);
        return File.Exists(modelPath);
    }

    /// <summary>The path of the compiled model for <paramref name="key"/>, compiling and storing it first if needed.</summary>
    public string GetOrCompile(string key, Func<ModelProto> compile)
    {
        if (TryGet(key, out var existing))
        {
            return existing;
        }
        Directory.CreateDirectory(Root);
        var staging = Path.Combine(Root, $".staging-{key}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            // Always external: the side file lets ONNX Runtime map the weights instead of parsing them out of the protobuf.
            OnnxModelFile.Save(compile(), Path.Combine(staging, ModelFileName), forceExternal: true);
            var target = Path.Combine(Root, key);
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process finished the same compile first; keep theirs.
                Directory.Delete(staging, recursive: true);
            }
            return Path.Combine(target, ModelFileName);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
            throw;
        }
    }
}
