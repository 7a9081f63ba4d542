using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("TextEncode", Category = "conditioning", DisplayName = "CLIP Text Encode (Prompt)", Aliases = ["CLIPTextEncode"],
    Description = "Encodes a prompt with the text encoder. (word:1.2) weights words; prompts longer than 75 tokens are encoded in chunks.")]
public sealed class TextEncode : Node<TextEncode.In, TextEncode.Out>
{
    public sealed record In(
        [Text("", Multiline = true, DynamicPrompts = true, Tooltip = "The prompt.")] string Text,
        ClipHandle Clip);

    public sealed record Out(ConditioningList Conditioning);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
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
        var tokenizer = new PromptTokenizer(models.Tokenizer(checkpoint), PromptTokenizerOptions.ComfyUI with { EmbeddingDimension = config.HiddenSize });
        var prompt = tokenizer.Tokenize(inputs.Text);
        foreach (var warning in prompt.Warnings)
        {
            context.Warn(warning);
        }
        var session = models.Compiled.TextEncoder(checkpoint, inputs.Clip.LoraApplications);
        var output = stop == -1 ? "last_hidden_state" : $"clip_skip_{-stop - 1}";
        var dim = config.HiddenSize;
        var empty = prompt.NeedsEmptyPromptEncoding ? Encode(session, tokenizer.EmptyChunk(), output).Hidden : null;
        var length = prompt.Chunks[0].Length;
        var embeddings = new float[prompt.Chunks.Count * length * dim];
        float[] pooled = [];
        for (var c = 0; c < prompt.Chunks.Count; c++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var chunk = prompt.Chunks[c];
            var (hidden, chunkPooled) = Encode(session, chunk, output);
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

    private static (float[] Hidden, float[] Pooled) Encode(ModelSession session, TokenChunk chunk, string output)
    {
        if (chunk.HasEmbeddings)
        {
            throw new NodeException("Textual-inversion embeddings are not supported by this text encoder yet.", "text");
        }
        var ids = new Int64Tensor([1, chunk.Length], chunk.Ids.Select(id => (long)id).ToArray());
        var results = session.Run(new Dictionary<string, HostTensor> { ["input_ids"] = ids }, [output, "pooler_output"]);
        return (results[output].Data, results["pooler_output"].Data);
    }
}
