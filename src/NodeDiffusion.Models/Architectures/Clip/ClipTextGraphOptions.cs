namespace NodeDiffusion.Models.Architectures.Clip;

/// <summary>Which extra outputs a compiled text encoder has.</summary>
/// <param name="HiddenStates">Outputs <c>hidden_states_0</c> … <c>hidden_states_N</c> (embeddings, then each layer, not final-normed).</param>
/// <param name="ClipSkips">For each k, output <c>clip_skip_k</c> = final_layer_norm(hidden_states[-(k+1)]), as diffusers'
/// clip_skip=k; ComfyUI's CLIPSetLastLayer(-n) equals clip_skip n-1.</param>
/// <param name="InputsEmbeds">Takes token embeddings <c>inputs_embeds</c> [B, S, D] instead of looking them up, so callers can
/// splice in textual-inversion vectors; <c>input_ids</c> is still needed for the pooled output. The token table
/// (<c>text_model.embeddings.token_embedding.weight</c>) is then not part of the graph.</param>
public sealed record ClipTextGraphOptions(bool HiddenStates = false, int[]? ClipSkips = null, bool InputsEmbeds = false);
