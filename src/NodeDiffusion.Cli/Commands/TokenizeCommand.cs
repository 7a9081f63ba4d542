using System.CommandLine;
using System.Text.Json.Nodes;
using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Graph.Files;

namespace NodeDiffusion.Cli.Commands;

/// <summary>`tokenize`: token ids, chunks and per-token weights of a prompt, so users can count tokens.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var prompt = new Argument<string>("prompt") { Description = "The prompt, in ComfyUI syntax by default." };
        var model = new Option<string?>("--model") { Description = "A checkpoint folder in models/checkpoints whose tokenizer/ to use." };
        var vocab = new Option<FileInfo?>("--vocab") { Description = "vocab.json of a CLIP tokenizer." };
        var merges = new Option<FileInfo?>("--merges") { Description = "merges.txt of a CLIP tokenizer." };
        var syntax = new Option<string>("--syntax") { Description = "Prompt syntax: comfy or a1111.", DefaultValueFactory = _ => "comfy" };
        syntax.AcceptOnlyFromAmong("comfy", "a1111");
        var json = new Option<bool>("--json") { Description = "Print JSON: chunks with ids, weights and token strings." };
        var storage = new StorageOptions();
        var command = new Command("tokenize", "Shows how a prompt is tokenized: ids, chunks of 75 tokens and weights.") { prompt, model, vocab, merges, syntax, json };
        storage.AddTo(command);
        command.SetAction(parse =>
        {
            ClipTokenizer tokenizer;
            try
            {
                tokenizer = LoadTokenizer(parse.GetValue(model), parse.GetValue(vocab), parse.GetValue(merges), storage.Settings(parse).Roots);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            var options = parse.GetValue(syntax) == "a1111" ? PromptTokenizerOptions.A1111() : PromptTokenizerOptions.ComfyUI;
            var tokenized = new PromptTokenizer(tokenizer, options).Tokenize(parse.GetValue(prompt) ?? "");
            if (!parse.GetValue(json))
            {
                Console.Out.Write(tokenized.Format());
                return ExitCodes.Success;
            }
            var chunks = new JsonArray(tokenized.Chunks.Select(chunk => (JsonNode?)new JsonObject
            {
                ["ids"] = new JsonArray(chunk.Ids.Select(id => (JsonNode?)id).ToArray()),
                ["weights"] = new JsonArray(chunk.Weights.Select(w => (JsonNode?)w).ToArray()),
                ["tokens"] = new JsonArray(chunk.Texts.Select(t => (JsonNode?)t).ToArray()),
            }).ToArray());
            var result = new JsonObject
            {
                ["prompt_tokens"] = tokenized.ContentTokenCount,
                ["chunks"] = chunks,
                ["warnings"] = new JsonArray(tokenized.Warnings.Select(w => (JsonNode?)w).ToArray()),
            };
            Console.Out.WriteLine(result.ToJsonString(ErrorPrinter.Indented));
            return ExitCodes.Success;
        });
        return command;
    }

    private static ClipTokenizer LoadTokenizer(string? model, FileInfo? vocab, FileInfo? merges, StorageRoots roots)
    {
        if (vocab is not null || merges is not null)
        {
            if (vocab is null || merges is null)
            {
                throw new ArgumentException("--vocab and --merges go together.");
            }
            return ClipTokenizer.FromFiles(vocab.FullName, merges.FullName);
        }
        if (model is null)
        {
            throw new ArgumentException("Give --model NAME (a checkpoint folder with a tokenizer/) or --vocab and --merges.");
        }
        var checkpoint = ConfinedPath.Resolve(Path.Combine(roots.Models, "checkpoints"), model);
        var folder = Directory.Exists(Path.Combine(checkpoint, "tokenizer")) ? Path.Combine(checkpoint, "tokenizer") : checkpoint;
        return ClipTokenizer.Load(folder);
    }
}
