using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Services;

/// <summary>The diffusion nodes' access to checkpoints: name resolution inside models/, opened configs, tokenizers and compiled sessions.</summary>
public sealed class DiffusionModels(StorageRoots roots, ILoggerFactory loggers) : IDisposable
{
    public const string CheckpointsFolder = "checkpoints";
    public const string LorasFolder = "loras";
    public const string EmbeddingsFolder = "embeddings";

    private readonly ConcurrentDictionary<string, DiffusersCheckpoint> _checkpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClipTokenizer> _tokenizers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, float[]> _tokenTables = new(StringComparer.Ordinal);

    public CompiledModels Compiled { get; } = new(new SessionFactory(logger: loggers.CreateLogger("NodeDiffusion.Models")));

    public StorageRoots Roots => roots;

    /// <summary>models/embeddings, where <c>embedding:name</c> is looked up.</summary>
    public string EmbeddingsRoot => Path.Combine(roots.Models, EmbeddingsFolder);

    /// <summary>Resolves a ckpt_name inside models/checkpoints and opens it.</summary>
    public CheckpointRef Resolve(string name)
    {
        if (!ConfinedPath.TryResolve(Path.Combine(roots.Models, CheckpointsFolder), name, out var folder, out var problem))
        {
            throw new NodeException($"Refused checkpoint name: {problem}.", "ckpt_name");
        }
        if (File.Exists(folder))
        {
            throw new NodeException($"\"{name}\" is a single-file checkpoint; this build loads diffusers folders (a folder with model_index.json).", "ckpt_name");
        }
        var checkpoint = OpenFolder(folder, name);
        return new CheckpointRef(name, checkpoint.Folder, checkpoint.Fingerprint());
    }

    /// <summary>Resolves a lora_name inside models/loras; the patch has strength 1 until the caller sets it.</summary>
    public LoraPatch ResolveLora(string name)
    {
        if (!ConfinedPath.TryResolve(Path.Combine(roots.Models, LorasFolder), name, out var path, out var problem))
        {
            throw new NodeException($"Refused LoRA name: {problem}.", "lora_name");
        }
        if (!File.Exists(path))
        {
            throw new NodeException($"The LoRA \"{name}\" is not in models/{LorasFolder}.", "lora_name");
        }
        var info = new FileInfo(path);
        return new LoraPatch(name, path, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}", 1.0);
    }

    public DiffusersCheckpoint Open(CheckpointRef reference) => OpenFolder(reference.Folder, reference.Name);

    public ClipTokenizer Tokenizer(DiffusersCheckpoint checkpoint) =>
        _tokenizers.GetOrAdd(checkpoint.TokenizerFolder, folder => ClipTokenizer.Load(folder));

    /// <summary>The text encoder's token embedding table, [vocabulary, hidden] row-major, for feeding token embeddings.</summary>
    public float[] TokenTable(DiffusersCheckpoint checkpoint) =>
        _tokenTables.GetOrAdd(checkpoint.TextEncoderWeights + "|" + checkpoint.Fingerprint(), _ =>
        {
            using var weights = SafetensorsWeightSource.Open(checkpoint.TextEncoderWeights);
            return weights.Read($"{ClipTextGraph.Prefix}.embeddings.token_embedding.weight").Values.ToArray();
        });

    private DiffusersCheckpoint OpenFolder(string folder, string name)
    {
        try
        {
            var fingerprintKey = folder + "|" + Directory.GetLastWriteTimeUtc(folder).Ticks;
            return _checkpoints.GetOrAdd(fingerprintKey, _ => DiffusersCheckpoint.Open(folder));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException)
        {
            throw new NodeException($"Cannot load checkpoint \"{name}\": {e.Message}", "ckpt_name");
        }
    }

    public void Dispose() => Compiled.Dispose();
}
