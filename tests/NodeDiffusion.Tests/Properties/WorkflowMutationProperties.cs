using System.Text;
using CsCheck;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Testing;
using NodeDiffusion.Tests.Support;

namespace NodeDiffusion.Tests.Properties;

/// <summary>Random mutations of real workflow JSON never crash the loader or the validator: they give errors or a workflow.</summary>
public sealed class WorkflowMutationProperties
{
    private static readonly string[] Tokens = ["{", "}", "[", "]", ",", ":", "\"", "null", "-1", "1e999", "18446744073709551616", "\"type\"", "\"links\"", "[\"1\",0]", "\\u0000", "true", "\"muted\""];

    [Fact]
    public void MutatedWorkflowsNeverCrashTheLoader()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(SharedData.RepositoryRoot, "workflows"), "*.json")
            .Select(File.ReadAllText)
            .ToArray();
        using var host = new TestHost();
        var mutation = Gen.Int[0, sources.Length - 1].SelectMany(source =>
            Gen.Int[1, 8].SelectMany(count =>
                Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Int[0, Tokens.Length - 1]).Array[count]
                    .Select(edits => (source, edits))));
        mutation.Sample(sample =>
        {
            var text = new StringBuilder(sources[sample.source]);
            foreach (var (kind, position, token) in sample.edits)
            {
                if (text.Length == 0)
                {
                    break;
                }
                var at = position % text.Length;
                switch (kind)
                {
                    case 0:
                        text.Remove(at, Math.Min(1 + (position % 7), text.Length - at));
                        break;
                    case 1:
                        text.Insert(at, Tokens[token]);
                        break;
                    case 2:
                        text[at] = (char)(' ' + (position % 95));
                        break;
                    default:
                        text.Length = at;
                        break;
                }
            }
            var parsed = WorkflowJson.Parse(text.ToString());
            if (parsed.Success)
            {
                var validation = host.Validator.Validate(parsed.Workflow!);
                Assert.True(validation.IsValid || validation.Errors.Count > 0);
                Assert.All(validation.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
            }
            else
            {
                Assert.NotEmpty(parsed.Errors);
            }
        }, iter: 2000);
    }
}
