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
        Dictionary<string, int>? vocabulary;
        try
        {
            using var stream = File.OpenRead(path);
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"CLIP vocabulary file {path} is not a JSON object mapping token strings to integer ids: {e.Message}", e);
        }
        if (vocabulary is null || vocabulary.Count == 0)
        {
            throw new InvalidDataException($"CLIP vocabulary file {path} is empty; expected a JSON object mapping token strings to integer ids.");
        }
        foreach (var (token, id) in vocabulary)
        {
            if (id < 0)
            {
                throw new InvalidDataException($"CLIP vocabulary file {path} maps \"{token}\" to the negative id {id}; expected ids of 0 or more.");
            }
        }
        return vocabulary;
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
