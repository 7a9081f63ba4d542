using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Diffusion.Tests.Text;

/// <summary>The SD1 (ViT-L/14) tokenizer from ../shared, loaded once per test run.</summary>
internal static class Sd1Tokenizer
{
    public const string Folder = "real-data/tokenizer";

    private static readonly Lazy<ClipTokenizer> Fast = new(() => ClipTokenizer.Load(Path.Combine(SharedData.Root, Folder)));
    private static readonly Lazy<ClipTokenizer> Basic = new(() => ClipTokenizer.Load(Path.Combine(SharedData.Root, Folder), ClipTextCleaning.BasicTokenizer));

    /// <summary>The HF-fast tokenizer, or a skip when ../shared is absent.</summary>
    public static ClipTokenizer Get()
    {
        SharedData.Require(Folder + "/vocab.json");
        SharedData.Require(Folder + "/merges.txt");
        return Fast.Value;
    }

    /// <summary>The tokenizer with ComfyUI's slow-tokenizer clean-up, or a skip when ../shared is absent.</summary>
    public static ClipTokenizer GetBasic()
    {
        Get();
        return Basic.Value;
    }
}
