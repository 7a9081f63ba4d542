using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("TextEncode", Category = "conditioning", DisplayName = "CLIP Text Encode (Prompt)", Aliases = ["CLIPTextEncode"],
    Description = "Encodes a prompt with the text encoder. (word:1.2) weights words; embedding:name inserts a textual-inversion embedding from models/embeddings; prompts longer than 75 tokens are encoded in chunks.")]
public sealed class TextEncode : Node<TextEncode.In, TextEncode.Out>
{
    public sealed record In(
        [Text("", Multiline = true, DynamicPrompts = true, Tooltip = "The prompt.")] string Text,
        ClipHandle Clip);

    public sealed record Out(ConditioningList Conditioning);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) => Encode(inputs, context, PromptTokenizerOptions.ComfyUI);

    /// <summary>Encodes with the given prompt syntax and weighting (ComfyUI's, or A1111's for TextEncodeA1111).</summary>
    internal static ValueTask<Out> Encode(In inputs, INodeContext context, PromptTokenizerOptions options)
    {
        var models = context.Models();
        var checkpoint = models.Open(inputs.Clip.Checkpoint);
        var config = checkpoint.TextEncoder;
        var layers = config.NumHiddenLayers;
        var stop = inputs.Clip.StopAtLayer;
        if (-stop > layers)
        {
            throw new NodeException($"stop_at_clip_layer {stop} is deeper than this text encoder's {layers} layers.", "clip");
        }
        var dim = config.HiddenSize;
        var tokenizer = new PromptTokenizer(models.Tokenizer(checkpoint), options with { EmbeddingDimension = dim });
        var prompt = tokenizer.Tokenize(inputs.Text, new EmbeddingFolderResolver(models.EmbeddingsRoot, dim));
        foreach (var warning in prompt.Warnings)
        {
            context.Warn(warning);
        }
        var withEmbeddings = prompt.Chunks.Any(c => c.HasEmbeddings);
        if (withEmbeddings && !checkpoint.HasWeights)
        {
            throw new NodeException(checkpoint.NeedsWeights("a textual-inversion embedding").Message, "text");
        }
        var session = models.Compiled.TextEncoder(checkpoint, inputs.Clip.LoraApplications, inputsEmbeds: withEmbeddings);
        var output = stop == -1 ? "last_hidden_state" : $"clip_skip_{-stop - 1}";
        if (!session.OutputNames.Contains(output))
        {
            throw new NodeException($"The text encoder of \"{checkpoint.DisplayName}\" has no output for stop_at_clip_layer {stop} (a pre-exported ONNX text encoder needs its hidden_states outputs for CLIP skip).", "clip");
        }
        using var lease = session.Acquire();
        var encoder = new ChunkEncoder(session, output, withEmbeddings ? models.TokenTable(checkpoint) : null, dim);
        var empty = prompt.NeedsEmptyPromptEncoding ? encoder.Encode(tokenizer.EmptyChunk()).Hidden : null;
        var length = prompt.Chunks[0].Length;
        var embeddings = new float[prompt.Chunks.Count * length * dim];
        float[] pooled = [];
        for (var c = 0; c < prompt.Chunks.Count; c++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var chunk = prompt.Chunks[c];
            var (hidden, chunkPooled) = encoder.Encode(chunk);
            TokenWeighting.Apply(prompt.Weighting, hidden, empty ?? [], chunk.Weights, dim);
            hidden.CopyTo(embeddings, c * length * dim);
            if (c == 0)
            {
                pooled = chunkPooled;
            }
        }
        var entry = new ConditioningEntry(embeddings, prompt.Chunks.Count * length, dim, pooled);
        return ValueTask.FromResult(new Out(new ConditioningList([entry])));
    }

    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) =>
        services.GetService(typeof(DiffusionModels)) is DiffusionModels models && widgetValues.GetValueOrDefault("text") is string text
            ? EmbeddingFingerprint.Of(text, models.EmbeddingsRoot)
            : null;

    /// <summary>Runs chunks through the encoder; with a token table, feeds token embeddings so embeddings can fill placeholders.</summary>
    private sealed class ChunkEncoder(ModelSession session, string output, float[]? tokenTable, int dim)
    {
        public (float[] Hidden, float[] Pooled) Encode(TokenChunk chunk)
        {
            // Placeholders never reach a lookup; the pooled output only needs the end token to keep the largest id.
            var ids = new Int64Tensor([1, chunk.Length], chunk.Ids.Select(id => id == TokenChunk.EmbeddingPlaceholderId ? 0L : id).ToArray());
            var feeds = new Dictionary<string, HostTensor> { ["input_ids"] = ids };
            if (tokenTable is not null)
            {
                feeds["inputs_embeds"] = new FloatTensor([1, chunk.Length, dim], TokenEmbeddings.Build(chunk, tokenTable, dim));
            }
            var results = session.Run(feeds, [output, "pooler_output"]);
            return (results[output].Data, results["pooler_output"].Data);
        }
    }
}
