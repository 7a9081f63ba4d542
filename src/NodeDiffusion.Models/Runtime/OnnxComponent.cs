namespace NodeDiffusion.Models.Runtime;

/// <summary>The pipeline components a pre-exported ONNX model can be, each with the I/O contract our nodes use.</summary>
public enum OnnxComponent
{
    /// <summary><c>input_ids</c> int64 → <c>last_hidden_state</c>, <c>pooler_output</c>, <c>clip_skip_k</c> when the export has hidden states.</summary>
    TextEncoder,

    /// <summary><c>sample</c>, <c>timestep</c> float [B], <c>encoder_hidden_states</c> → <c>out_sample</c>.</summary>
    Unet,

    /// <summary><c>latent_sample</c> → <c>sample</c>.</summary>
    VaeDecoder,

    /// <summary><c>sample</c> → <c>latent_mean</c> (the mean half of Optimum's <c>latent_parameters</c>).</summary>
    VaeEncoder,
}
