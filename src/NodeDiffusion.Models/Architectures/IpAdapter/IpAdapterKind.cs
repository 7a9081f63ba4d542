namespace NodeDiffusion.Models.Architectures.IpAdapter;

/// <summary>The image projection of an IP-Adapter file.</summary>
public enum IpAdapterKind
{
    /// <summary>ImageProjModel: Linear(CLIP image_embeds → tokens·C) + LayerNorm (ip-adapter_sd15, 4 tokens).</summary>
    Base,

    /// <summary>Resampler over the CLIP vision penultimate hidden states (ip-adapter-plus_sd15, 16 tokens).</summary>
    Plus,
}
