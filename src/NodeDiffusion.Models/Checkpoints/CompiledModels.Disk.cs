using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using Onnx;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>
/// The on-disk side of <see cref="CompiledModels"/>: with a cache folder, every compiled model is written once and later
/// sessions (in this process or after a restart) are created from the stored file instead of compiling again.
/// </summary>
public sealed partial class CompiledModels
{
    /// <summary>Part of every disk cache key; bump it whenever graph code changes what a compile emits.</summary>
    public const string CompilerVersion = "nodediffusion-compiler/1";

    private readonly CompiledModelCache? _disk = OpenDiskCache(cacheFolder);

    /// <summary>The compiled models on disk; null when sessions are compiled in memory only.</summary>
    public CompiledModelCache? DiskCache => _disk;

    private static CompiledModelCache? OpenDiskCache(string? folder)
    {
        if (folder is null)
        {
            return null;
        }
        var cache = new CompiledModelCache(folder);
        cache.Trim();
        return cache;
    }

    /// <summary>The disk key: the in-memory key (folder, weight fingerprints, patch files with fingerprints and strengths), configs and compiler version.</summary>
    private static string DiskKey(string key, string config) => CompiledModelCache.Key(CompilerVersion, key, config);

    private static string ConfigJson(DiffusersCheckpoint checkpoint) =>
        JsonSerializer.Serialize(new { checkpoint.Format, checkpoint.TextEncoder, checkpoint.Unet, checkpoint.Vae });

    private ModelSession FromDisk(string key, string config, string name, Func<ModelProto> compile)
    {
        var cache = _disk!;
        var diskKey = DiskKey(key, config);
        for (var attempt = 0; ; attempt++)
        {
            ModelProto? model = null;
            var path = cache.GetOrCompile(diskKey, () =>
            {
                Interlocked.Increment(ref _compilations);
                return model = compile();
            }, out var compiled);
            try
            {
                var session = factory.CreateFromFile(path, name);
                session.WeightBytes = model is not null ? OnnxModelFile.InitializerBytes(model) : cache.Bytes(diskKey);
                return session;
            }
            catch (Exception e) when (!compiled && attempt == 0 && e is OnnxRuntimeException or IOException or InvalidDataException)
            {
                // A damaged entry (truncated file, half-deleted folder): drop it and compile again.
                cache.Remove(diskKey);
            }
        }
    }
}
