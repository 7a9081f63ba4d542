using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Graph.Files;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Services;

/// <summary>The diffusion nodes' access to checkpoints: name resolution inside models/, opened configs, tokenizers and compiled sessions.</summary>
/// <param name="compiledCache">Where compiled models are kept between runs (<c>data/compiled</c>); null compiles in memory only.</param>
public sealed class DiffusionModels(StorageRoots roots, ILoggerFactory loggers, string? compiledCache = null) : IDisposable
{
    public const string CheckpointsFolder = "checkpoints";
    public const string LorasFolder = "loras";
    public const string EmbeddingsFolder = "embeddings";
    public const string TokenizersFolder = "tokenizers";

    /// <summary>Where single-file SD1.x checkpoints, which carry no tokenizer, find the CLIP ViT-L/14 one.</summary>
    public const string ClipLargeTokenizer = "clip-vit-large-patch14";

    private readonly ConcurrentDictionary<string, DiffusersCheckpoint> _checkpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClipTokenizer> _tokenizers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, float[]> _tokenTables = new(StringComparer.Ordinal);

    public CompiledModels Compiled { get; } = new(new SessionFactory(logger: loggers.CreateLogger("NodeDiffusion.Models")), cacheFolder: compiledCache);

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
        if (!File.Exists(folder) && !Directory.Exists(folder))
        {
            var root = Path.Combine(roots.Models, CheckpointsFolder);
            var known = StorageComboOptions.ListFiles(root, StorageComboOptions.ModelExtensions, includeModelFolders: true);
            throw new NodeException($"The checkpoint \"{name}\" is not in models/{CheckpointsFolder}.{ClosestNames.Hint(name, known)}", "ckpt_name");
        }
        var checkpoint = OpenFolder(folder, name);
        return new CheckpointRef(name, checkpoint.Folder, checkpoint.Fingerprint());
    }

    /// <summary>The folder single-file checkpoints take their CLIP tokenizer from: models/tokenizers/clip-vit-large-patch14.</summary>
    public string SingleFileTokenizerFolder => Path.Combine(roots.Models, TokenizersFolder, ClipLargeTokenizer);

    /// <summary>Resolves a lora_name inside models/loras; the patch has strength 1 until the caller sets it.</summary>
    public LoraPatch ResolveLora(string name)
    {
        var file = ModelFile.Resolve(roots, LorasFolder, name, "lora_name", "LoRA");
        return new LoraPatch(name, file.Path, file.Fingerprint, 1.0);
    }

    public DiffusersCheckpoint Open(CheckpointRef reference) => OpenFolder(reference.Folder, reference.Name);

    public ClipTokenizer Tokenizer(DiffusersCheckpoint checkpoint)
    {
        var tokenizer = _tokenizers.GetOrAdd(checkpoint.TokenizerFolder, folder =>
            File.Exists(Path.Combine(folder, "vocab.json")) || !File.Exists(Path.Combine(folder, ClipOpenAiBpe.FileName))
                ? ClipTokenizer.Load(folder)
                : ClipOpenAiBpe.Load(Path.Combine(folder, ClipOpenAiBpe.FileName)));
        if (Math.Max(tokenizer.EosId, tokenizer.BosId) >= checkpoint.TextEncoder.VocabSize)
        {
            throw new NodeException($"The tokenizer in {checkpoint.TokenizerFolder} has ids up to {Math.Max(tokenizer.EosId, tokenizer.BosId)} but the text encoder of \"{checkpoint.DisplayName}\" knows {checkpoint.TextEncoder.VocabSize} tokens; they do not belong together.", "clip");
        }
        return tokenizer;
    }

    /// <summary>The text encoder's token embedding table, [vocabulary, hidden] row-major, for feeding token embeddings.</summary>
    public float[] TokenTable(DiffusersCheckpoint checkpoint) =>
        _tokenTables.GetOrAdd(checkpoint.Folder + "|" + checkpoint.Fingerprint(), _ =>
        {
            using var weights = checkpoint.OpenTextEncoderWeights();
            return weights.Read($"{ClipTextGraph.Prefix}.embeddings.token_embedding.weight").Values.ToArray();
        });

    private DiffusersCheckpoint OpenFolder(string path, string name)
    {
        try
        {
            var isFile = File.Exists(path);
            var fingerprintKey = isFile
                ? $"{path}|{File.GetLastWriteTimeUtc(path).Ticks}|{new FileInfo(path).Length}"
                : path + "|" + Directory.GetLastWriteTimeUtc(path).Ticks;
            return _checkpoints.GetOrAdd(fingerprintKey, _ => isFile ? OpenSingleFile(path, name) : DiffusersCheckpoint.OpenAny(path));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException or WeightBindingException or NotSupportedException)
        {
            throw new NodeException($"Cannot load checkpoint \"{name}\": {e.Message}", "ckpt_name");
        }
    }

    private DiffusersCheckpoint OpenSingleFile(string path, string name)
    {
        var checkpoint = DiffusersCheckpoint.OpenSingleFile(path, SingleFileTokenizerFolder);
        var folder = SingleFileTokenizerFolder;
        var hasHf = File.Exists(Path.Combine(folder, "vocab.json")) && File.Exists(Path.Combine(folder, "merges.txt"));
        if (!hasHf && !File.Exists(Path.Combine(folder, ClipOpenAiBpe.FileName)))
        {
            throw new NodeException(
                $"\"{name}\" is a single-file checkpoint, which carries no tokenizer. Put the CLIP ViT-L/14 tokenizer files vocab.json and merges.txt " +
                $"(the tokenizer/ folder of any SD1.5 diffusers model, or openai/clip-vit-large-patch14), or openai's {ClipOpenAiBpe.FileName}, " +
                $"into models/{TokenizersFolder}/{ClipLargeTokenizer}/.", "ckpt_name");
        }
        return checkpoint;
    }

    public void Dispose() => Compiled.Dispose();
}
