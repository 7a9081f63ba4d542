using System.Text.Json;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>Reads the two files of a HF CLIP tokenizer folder, with errors that name the file and what was expected.</summary>
internal static class ClipBpeFiles
{
    public static Dictionary<string, int> ReadVocabulary(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CLIP vocabulary file not found: {path} (expected a vocab.json object mapping token strings to ids).", path);
        }
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"CLIP vocabulary file {path} is not valid JSON (expected an object mapping token strings to integer ids): {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"CLIP vocabulary file {path} holds a JSON {document.RootElement.ValueKind}; expected an object mapping token strings to integer ids.");
            }
            var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
                {
                    throw new InvalidDataException($"CLIP vocabulary file {path} maps \"{entry.Name}\" to {entry.Value.GetRawText()}; expected a non-negative integer id.");
                }
                vocabulary[entry.Name] = id;
            }
            if (vocabulary.Count == 0)
            {
                throw new InvalidDataException($"CLIP vocabulary file {path} is an empty object; expected token strings mapped to integer ids.");
            }
            return vocabulary;
        }
    }

    public static List<(string Left, string Right)> ReadMerges(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CLIP merges file not found: {path} (expected merges.txt with one \"left right\" pair per line).", path);
        }
        var merges = new List<(string, string)>(49152);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if ((lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)) || line.Length == 0)
            {
                continue;
            }
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
            {
                throw new InvalidDataException(
                    $"CLIP merges file {path}, line {lineNumber}: expected two symbols separated by one space, got \"{line}\".");
            }
            merges.Add((line[..space], line[(space + 1)..]));
        }
        if (merges.Count == 0)
        {
            throw new InvalidDataException($"CLIP merges file {path} holds no merges; expected \"left right\" pairs after the #version line.");
        }
        return merges;
    }
}
