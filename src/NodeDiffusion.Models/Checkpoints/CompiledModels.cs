using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Lora;
using Onnx;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>
/// Compiles checkpoint components to ONNX and keeps their sessions, least recently used first out when more than
/// <paramref name="maxSessions"/> are open. Keys are the checkpoint folder, its weight fingerprint and the component.
/// </summary>
public sealed class CompiledModels(SessionFactory factory, int maxSessions = 8) : IDisposable
{
    private readonly Dictionary<string, LinkedListNode<(string Key, Lazy<ModelSession> Session)>> _sessions = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, Lazy<ModelSession> Session)> _recency = new();
    private readonly Lock _lock = new();

    public SessionFactory Factory => factory;

    /// <summary>The text encoder, with every clip-skip output ("clip_skip_K") besides last_hidden_state and pooler_output.</summary>
    public ModelSession TextEncoder(DiffusersCheckpoint checkpoint) => TextEncoder(checkpoint, []);

    /// <summary>The text encoder with <paramref name="loras"/> merged into its weights (LoRAs of strength 0 are left out).</summary>
    public ModelSession TextEncoder(DiffusersCheckpoint checkpoint, IReadOnlyList<LoraApplication> loras, bool inputsEmbeds = false)
    {
        var active = Active(loras);
        var component = (inputsEmbeds ? "text_encoder_embeds" : "text_encoder") + LoraKey(active);
        return Get(checkpoint, component, () =>
        {
            using var file = SafetensorsWeightSource.Open(checkpoint.TextEncoderWeights);
            var weights = Merge(file, KohyaLora.TextEncoderPrefix, active);
            var skips = Enumerable.Range(1, Math.Max(0, checkpoint.TextEncoder.NumHiddenLayers - 1)).ToArray();
            return ClipTextGraph.Build(checkpoint.TextEncoder, weights, new ClipTextGraphOptions(ClipSkips: skips, InputsEmbeds: inputsEmbeds));
        });
    }

    public ModelSession Unet(DiffusersCheckpoint checkpoint) => Unet(checkpoint, []);

    /// <summary>The UNet with <paramref name="loras"/> merged into its weights (LoRAs of strength 0 are left out).</summary>
    public ModelSession Unet(DiffusersCheckpoint checkpoint, IReadOnlyList<LoraApplication> loras)
    {
        var active = Active(loras);
        return Get(checkpoint, "unet" + LoraKey(active), () =>
        {
            using var file = SafetensorsWeightSource.Open(checkpoint.UnetWeights);
            return UNet2DConditionGraph.Build(checkpoint.Unet, Merge(file, KohyaLora.UnetPrefix, active));
        });
    }

    /// <summary>
    /// The UNet with <paramref name="loras"/> merged in and <paramref name="hypernetworks"/> compiled into its attentions
    /// (strength-0 entries are left out, so with none active this is the session of the LoRA-only overload).
    /// </summary>
    public ModelSession Unet(DiffusersCheckpoint checkpoint, IReadOnlyList<LoraApplication> loras, IReadOnlyList<HypernetworkApplication> hypernetworks)
    {
        var activeHypernetworks = hypernetworks.Where(h => h.Strength != 0f).ToList();
        if (activeHypernetworks.Count == 0)
        {
            return Unet(checkpoint, loras);
        }
        var active = Active(loras);
        return Get(checkpoint, "unet" + LoraKey(active) + "+hypernetworks[" + string.Join(",", activeHypernetworks) + "]", () =>
        {
            using var file = SafetensorsWeightSource.Open(checkpoint.UnetWeights);
            var options = new UNetGraphOptions { Hypernetworks = activeHypernetworks.Select(h => h.Load()).ToList() };
            return UNet2DConditionGraph.Build(checkpoint.Unet, Merge(file, KohyaLora.UnetPrefix, active), options);
        });
    }

    /// <summary>The UNet with ControlNet residual inputs added to its skips and mid block, LoRAs merged as in <see cref="Unet(DiffusersCheckpoint, IReadOnlyList{LoraApplication})"/>.</summary>
    public ModelSession ControlledUnet(DiffusersCheckpoint checkpoint, IReadOnlyList<LoraApplication> loras)
    {
        var active = Active(loras);
        return Get(checkpoint, "unet+controlnet" + LoraKey(active), () =>
        {
            using var file = SafetensorsWeightSource.Open(checkpoint.UnetWeights);
            return UNet2DConditionGraph.Build(checkpoint.Unet, Merge(file, KohyaLora.UnetPrefix, active), new UNetGraphOptions(ControlNetResiduals: true));
        });
    }

    /// <summary>A ControlNet for this checkpoint: the file's tensors plus the UNet's for the trunk tensors it lacks.</summary>
    public ModelSession ControlNet(DiffusersCheckpoint checkpoint, ControlNetFile controlNet, string fingerprint) =>
        Get(checkpoint, $"controlnet[{controlNet.Path}|{fingerprint}]", () => controlNet.Compile(checkpoint.UnetWeights));

    /// <summary>The ControlNet-ready UNet (see the LoRA-only overload) with <paramref name="hypernetworks"/> compiled in.</summary>
    public ModelSession ControlledUnet(DiffusersCheckpoint checkpoint, IReadOnlyList<LoraApplication> loras, IReadOnlyList<HypernetworkApplication> hypernetworks)
    {
        var activeHypernetworks = hypernetworks.Where(h => h.Strength != 0f).ToList();
        if (activeHypernetworks.Count == 0)
        {
            return ControlledUnet(checkpoint, loras);
        }
        var active = Active(loras);
        return Get(checkpoint, "unet+controlnet" + LoraKey(active) + "+hypernetworks[" + string.Join(",", activeHypernetworks) + "]", () =>
        {
            using var file = SafetensorsWeightSource.Open(checkpoint.UnetWeights);
            var options = new UNetGraphOptions(ControlNetResiduals: true) { Hypernetworks = activeHypernetworks.Select(h => h.Load()).ToList() };
            return UNet2DConditionGraph.Build(checkpoint.Unet, Merge(file, KohyaLora.UnetPrefix, active), options);
        });
    }

    /// <summary>The base weights with the LoRAs' matching modules merged in; the base itself when there are none.</summary>
    public static IWeightSource Merge(IWeightSource weights, string prefix, IReadOnlyList<LoraApplication> loras) =>
        loras.Count == 0
            ? weights
            : new LoraMergedWeightSource(weights, loras.Select(l => (LoraFile.ReadMatching(l.Path, prefix, weights.Names), l.Strength)).ToList());

    private static List<LoraApplication> Active(IReadOnlyList<LoraApplication> loras) => loras.Where(l => l.Strength != 0f).ToList();

    private static string LoraKey(List<LoraApplication> loras) => loras.Count == 0 ? "" : "+lora[" + string.Join(",", loras) + "]";

    public ModelSession VaeDecoder(DiffusersCheckpoint checkpoint) => Get(checkpoint, "vae_decoder", () =>
    {
        using var weights = SafetensorsWeightSource.Open(checkpoint.VaeWeights);
        return AutoencoderKLGraph.BuildDecoder(checkpoint.Vae, weights);
    });

    public ModelSession VaeEncoder(DiffusersCheckpoint checkpoint) => Get(checkpoint, "vae_encoder", () =>
    {
        using var weights = SafetensorsWeightSource.Open(checkpoint.VaeWeights);
        return AutoencoderKLGraph.BuildEncoder(checkpoint.Vae, weights);
    });

    private ModelSession Get(DiffusersCheckpoint checkpoint, string component, Func<ModelProto> compile)
    {
        var key = $"{checkpoint.Folder}|{checkpoint.Fingerprint()}|{component}";
        Lazy<ModelSession> session;
        lock (_lock)
        {
            if (_sessions.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                session = node.Value.Session;
            }
            else
            {
                session = new Lazy<ModelSession>(() => factory.Create(compile(), $"{Path.GetFileName(checkpoint.Folder)}/{component}"));
                _sessions[key] = _recency.AddFirst((key, session));
                while (_sessions.Count > maxSessions)
                {
                    var last = _recency.Last!.Value;
                    _recency.RemoveLast();
                    _sessions.Remove(last.Key);
                    if (last.Session.IsValueCreated)
                    {
                        last.Session.Value.Dispose();
                    }
                }
            }
        }
        try
        {
            return session.Value;
        }
        catch (Exception)
        {
            lock (_lock)
            {
                if (_sessions.Remove(key, out var failed))
                {
                    _recency.Remove(failed);
                }
            }
            throw;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, session) in _recency)
            {
                if (session.IsValueCreated)
                {
                    session.Value.Dispose();
                }
            }
            _sessions.Clear();
            _recency.Clear();
        }
    }
}
