using System.Security.Cryptography;
using System.Text;
using NodeDiffusion.Models.Onnx;
using Onnx;

namespace NodeDiffusion.Models.Runtime;

/// <summary>
/// Compiled models on disk, one folder per key (<c>&lt;root&gt;/&lt;sha256&gt;/model.onnx</c> plus its weight side file), so a
/// checkpoint + patch set is compiled once. A folder appears atomically (written under a temporary name, then renamed).
/// The folders' modification times record their last use; beyond <see cref="MaxEntries"/> or <see cref="MaxBytes"/> the
/// least recently used are deleted.
/// </summary>
public sealed class CompiledModelCache(string root)
{
    public const string ModelFileName = "model.onnx";

    private const string StagingPrefix = ".staging-";

    /// <summary>Staging folders older than this are left over from a crashed process, not another process still writing.</summary>
    private static readonly TimeSpan StaleStaging = TimeSpan.FromHours(6);

    private readonly Lock _lock = new();

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The most compiled models kept.</summary>
    public int MaxEntries { get; init; } = 32;

    /// <summary>The most bytes the kept models may take together.</summary>
    public long MaxBytes { get; init; } = 40L << 30;

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
        if (!File.Exists(modelPath))
        {
            return false;
        }
        Touch(Path.Combine(Root, key));
        return true;
    }

    /// <summary>The path of the compiled model for <paramref name="key"/>, compiling and storing it first if needed.</summary>
    public string GetOrCompile(string key, Func<ModelProto> compile) => GetOrCompile(key, compile, out _);

    /// <summary>As <see cref="GetOrCompile(string, Func{ModelProto})"/>; <paramref name="compiled"/> tells whether this call compiled it.</summary>
    public string GetOrCompile(string key, Func<ModelProto> compile, out bool compiled)
    {
        compiled = false;
        if (TryGet(key, out var existing))
        {
            return existing;
        }
        Directory.CreateDirectory(Root);
        var staging = Path.Combine(Root, $"{StagingPrefix}{key}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            // Always external: the side file lets ONNX Runtime map the weights instead of parsing them out of the protobuf.
            OnnxModelFile.Save(compile(), Path.Combine(staging, ModelFileName), forceExternal: true);
            compiled = true;
            var target = Path.Combine(Root, key);
            if (Directory.Exists(target) && !File.Exists(Path.Combine(target, ModelFileName)))
            {
                TryDelete(target);
            }
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process finished the same compile first; keep theirs.
                Directory.Delete(staging, recursive: true);
            }
            Trim(keep: key);
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

    /// <summary>Deletes the entry for <paramref name="key"/> (a damaged one, so it is compiled again).</summary>
    public void Remove(string key) => TryDelete(Path.Combine(Root, key));

    /// <summary>The bytes an entry takes on disk (its model and weight files).</summary>
    public long Bytes(string key) => FolderBytes(new DirectoryInfo(Path.Combine(Root, key)));

    /// <summary>
    /// Deletes the least recently used entries until at most <see cref="MaxEntries"/> remain within <see cref="MaxBytes"/>,
    /// and staging folders a crashed process left behind. <paramref name="keep"/> stays even when it alone is over budget.
    /// </summary>
    public void Trim(string? keep = null)
    {
        if (!Directory.Exists(Root))
        {
            return;
        }
        lock (_lock)
        {
            var folders = new DirectoryInfo(Root).GetDirectories();
            foreach (var stale in folders.Where(f => f.Name.StartsWith(StagingPrefix, StringComparison.Ordinal) && DateTime.UtcNow - f.LastWriteTimeUtc > StaleStaging))
            {
                TryDelete(stale.FullName);
            }
            var entries = folders
                .Where(f => !f.Name.StartsWith(StagingPrefix, StringComparison.Ordinal))
                .Select(f => (Folder: f, Bytes: FolderBytes(f)))
                .OrderBy(e => e.Folder.Name == keep ? 1 : 0)
                .ThenBy(e => e.Folder.LastWriteTimeUtc)
                .ToList();
            var count = entries.Count;
            var bytes = entries.Sum(e => e.Bytes);
            foreach (var (folder, size) in entries)
            {
                if (folder.Name == keep || (count <= MaxEntries && bytes <= MaxBytes))
                {
                    break;
                }
                if (TryDelete(folder.FullName))
                {
                    count--;
                    bytes -= size;
                }
            }
        }
    }

    private static long FolderBytes(DirectoryInfo folder)
    {
        try
        {
            return folder.Exists ? folder.EnumerateFiles().Sum(f => f.Length) : 0;
        }
        catch (IOException)
        {
            // Deleted by another process's trim meanwhile.
            return 0;
        }
    }

    private static void Touch(string folder)
    {
        try
        {
            Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Recency is a hint; a read-only cache still serves its models.
        }
    }

    private static bool TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // In use by another process (Windows keeps mapped files locked); try again at the next trim.
            return false;
        }
    }
}
