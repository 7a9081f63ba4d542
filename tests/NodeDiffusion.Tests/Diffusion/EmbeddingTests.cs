using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Engine;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Tests.Diffusion;

public sealed class EmbeddingTests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    private const string Prompt = "a watercolor painting of a lighthouse at dawn, ";

    [Fact]
    public async Task AnEmbeddingOfTheTokenRowsOfAWordEncodesExactlyLikeTheWord()
    {
        var host = demo.NewHost();
        var models = host.Settings.Roots.Models;
        var checkpoint = DiffusersCheckpoint.Open(Path.Combine(models, "checkpoints", DemoCheckpoint.Name));
        var tokenizer = new PromptTokenizer(ClipTokenizer.Load(checkpoint.TokenizerFolder));
        var ids = tokenizer.Tokenize("cat").Chunks[0].Ids.Skip(1).TakeWhile(id => id != tokenizer.Tokenizer.EosId).ToArray();
        Assert.True(ids.Length > 1);
        using (var weights = SafetensorsWeightSource.Open(checkpoint.TextEncoderWeights))
        {
            var table = weights.Read("text_model.embeddings.token_embedding.weight");
            var dim = (int)table.Shape[1];
            var rows = ids.SelectMany(id => table.Values.Slice(id * dim, dim).ToArray()).ToArray();
            SafetensorsWriter.WriteFile(Path.Combine(models, "embeddings", "cat-copy.safetensors"),
                [SafetensorsTensor.FromFloat32("emb_params", [ids.Length, dim], rows)], new Dictionary<string, string>());
        }
        var word = WorkflowRuns.Load("embedding.json", "word");
        word.Set("6", "text", Prompt + "(cat:1.2)");
        var embedded = WorkflowRuns.Load("embedding.json", "copy");
        embedded.Set("6", "text", Prompt + "(embedding:cat-copy:1.2)");
        var other = WorkflowRuns.Load("embedding.json", "other");
        other.Set("6", "text", Prompt + "(dog:1.2)");
        var wordPixels = await WorkflowRuns.PixelsAsync(host, word);
        Assert.Equal(wordPixels, await WorkflowRuns.PixelsAsync(host, embedded));
        Assert.NotEqual(wordPixels, await WorkflowRuns.PixelsAsync(host, other));
    }

    [Fact]
    public async Task TheDemoEmbeddingChangesTheImageAndItsExtensionIsOptional()
    {
        var host = demo.NewHost();
        var withEmbedding = await WorkflowRuns.PixelsAsync(host, WorkflowRuns.Load("embedding.json", "demo"));
        var withExtension = WorkflowRuns.Load("embedding.json", "extension");
        withExtension.Set("6", "text", Prompt + $"(embedding:{DemoEmbedding.FileName}:1.2)");
        Assert.Equal(withEmbedding, await WorkflowRuns.PixelsAsync(host, withExtension));
        var without = WorkflowRuns.Load("embedding.json", "without");
        without.Set("6", "text", Prompt);
        Assert.NotEqual(withEmbedding, await WorkflowRuns.PixelsAsync(host, without));
    }

    [Fact]
    public async Task ReplacingAnEmbeddingFileReEncodesThePrompt()
    {
        var host = demo.NewHost();
        var path = Path.Combine(host.Settings.Roots.Models, "embeddings", "replaced.safetensors");
        void Write(float value) => SafetensorsWriter.WriteFile(path,
            [SafetensorsTensor.FromFloat32("emb_params", [1, 64], Enumerable.Repeat(value, 64).ToArray())], new Dictionary<string, string>());
        var workflow = WorkflowRuns.Load("embedding.json", "replaced");
        workflow.Set("6", "text", Prompt + "(embedding:replaced:1.2)");
        Write(0.5f);
        var first = await WorkflowRuns.PixelsAsync(host, workflow);
        Write(-0.5f);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.NotEqual(first, await WorkflowRuns.PixelsAsync(host, workflow));
    }

    [Fact]
    public async Task AnEmbeddingOfTheWrongDimensionIsAnErrorNamingTheFile()
    {
        var host = demo.NewHost();
        SafetensorsWriter.WriteFile(Path.Combine(host.Settings.Roots.Models, "embeddings", "sd2-style.safetensors"),
            [SafetensorsTensor.FromFloat32("emb_params", [1, 1024], new float[1024])], new Dictionary<string, string>());
        var workflow = WorkflowRuns.Load("embedding.json", "wrong");
        workflow.Set("6", "text", "embedding:sd2-style");
        var (result, _) = await WorkflowRuns.RunAsync(host, workflow);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains("sd2-style.safetensors", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("1024", result.Error!.Message, StringComparison.Ordinal);
    }
}
