using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Checkpoints.Onnx;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Lora;
using Onnx;

namespace NodeDiffusion.Models.Checkpoints;

/// <summary>
/// Compiles checkpoint components to ONNX and keeps their sessions, least recently used first out when more than
/// <paramref name="maxSessions"/> are open or their weights exceed <see cref="MaxWeightBytes"/>. A session in use (a
/// run, a <see cref="BoundRunner"/>, an <see cref="ModelSession.Acquire"/> lease) is never evicted. Keys are the
/// checkpoint folder, its weight fingerprint and the component. Pre-exported ONNX checkpoints are loaded, not compiled.
/// </summary>
public sealed partial class CompiledModels(SessionFactory factory, int maxSessions = 8, string? cacheFolder = null) : IDisposable
{
    private readonly Dictionary<string, LinkedListNode<CachedSession>> _sessions = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedSession> _recency = new();
    private readonly Lock _lock = new();

    private long _compilations;

    /// <summary>The weight bytes kept open before least recently used sessions are closed; half the available memory by default.</summary>
    public long MaxWeightBytes { get; set; } = DefaultWeightBudget();

    /// <summary>Weight bytes of the open sessions.</summary>
    public long WeightBytes
    {
        get
        {
            lock (_lock)
            {
                return _recency.Sum(e => e.Bytes);
            }
        }
    }

    /// <summary>Number of sessions open or being created.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    public static long DefaultWeightBudget() => Math.Max(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);

    public SessionFactory Factory => factory;

    /// <summary>How many sessions were compiled so far (cache misses), for checking that a change reused a session.</summary>
    public long Compilations => Interlocked.Read(ref _compilations);

    /// <summary>The text encoder, with every clip-skip output ("clip_skip_K") besides last_hidden_state and pooler_output.</summary>
    public ModelSession TextEncoder(DiffusersCheckpoint checkpoint) => TextEncoder(checkpoint, []);

    /// <summary>The text encoder with <paramref name="loras"/> merged into its weights (LoRAs of strength 0 are left out).</summary>
    public ModelSession TextEncoder(DiffusersCheckpoint checkpoint, IReadOnlyList<LoraApplication> loras, bool inputsEmbeds = false)
    {
        var active = Active(loras);
        var component = (inputsEmbeds ? "text_encoder_embeds" : "text_encoder") + LoraKey(active);
        if (checkpoint.Onnx is { } onnx)
        {
            RequireWeights(checkpoint, active.Count > 0 ? "LoRA" : inputsEmbeds ? "a textual-inversion embedding" : null);
            return Exported(checkpoint, component, onnx.TextEncoder, OnnxComponent.TextEncoder);
        }
        return Get(checkpoint, component, () =>
        {
            using var file = checkpoint.OpenTextEncoderWeights();
            var weights = Merge(file, KohyaLora.TextEncoderPrefix, active);
            var skips = Enumerable.Range(1, Math.Max(0, checkpoint.TextEncoder.NumHiddenLayers - 1)).ToArray();
            return ClipTextGraph.Build(checkpoint.TextEncoder, weights, new ClipTextGraphOptions(ClipSkips: skips, InputsEmbeds: inputsEmbeds));
        });
    }

    public ModelSession Unet(DiffusersCheckpoint checkpoint) => Unet(checkpoint, []);

    /// <summary>The UNet with <paramref name="loras"/> merged into its weights (LoRAs of strength 0 are left out).</summary>
    public ModelSession Unet(DiffusersCheckpoint checkpoint, IReadOnlyList<LoraApplication> loras) =>
        Unet(checkpoint, new UnetVariant(loras, []));

    /// <summary>The UNet with ControlNet residual inputs added to its skips and mid block, LoRAs merged as in <see cref="Unet(DiffusersCheckpoint, IReadOnlyList{LoraApplication})"/>.</summary>
    public ModelSession ControlledUnet(DiffusersCheckpoint checkpoint, IReadOnlyList<LoraApplication> loras) =>
        Unet(checkpoint, new UnetVariant(loras, [], ControlNetResiduals: true));

    /// <summary>A ControlNet for this checkpoint: the file's tensors plus the UNet's for the trunk tensors it lacks.</summary>
    public ModelSession ControlNet(DiffusersCheckpoint checkpoint, ControlNetFile controlNet, string fingerprint) =>
        Get(checkpoint, $"controlnet[{controlNet.Path}|{fingerprint}]", () => controlNet.Compile(checkpoint.OpenUnetWeights));

    /// <summary>
    /// The UNet with every patch of <paramref name="variant"/>: LoRAs merged, hypernetworks and an IP-Adapter compiled into
    /// its attentions, ControlNet residual inputs. Strength-0 LoRAs and hypernetworks are left out, so a variant without
    /// active patches shares the plain UNet's session. A pre-exported ONNX checkpoint serves only the plain UNet.
    /// </summary>
    public ModelSession Unet(DiffusersCheckpoint checkpoint, UnetVariant variant)
    {
        var loras = Active(variant.Loras);
        var hypernetworks = variant.Hypernetworks.Where(h => h.Strength != 0f).ToList();
        if (checkpoint.Onnx is { } onnx)
        {
            RequireWeights(checkpoint,
                loras.Count > 0 ? "LoRA"
                : hypernetworks.Count > 0 ? "a hypernetwork"
                : variant.IpAdapter is not null ? "an IP-Adapter"
                : variant.ControlNetResiduals ? "a ControlNet"
                : null);
            return Exported(checkpoint, "unet", onnx.Unet, OnnxComponent.Unet);
        }
        var key = (variant.ControlNetResiduals ? "unet+controlnet" : "unet") + LoraKey(loras)
            + (hypernetworks.Count > 0 ? "+hypernetworks[" + string.Join(",", hypernetworks) + "]" : "")
            + (variant.IpAdapter is { } ip ? "+ip[" + ip + "]" : "");
        return Get(checkpoint, key, () =>
        {
            using var file = checkpoint.OpenUnetWeights();
            var options = new UNetGraphOptions(ControlNetResiduals: variant.ControlNetResiduals) { Hypernetworks = hypernetworks.Select(h => h.Load()).ToList() };
            var weights = Merge(file, KohyaLora.UnetPrefix, loras);
            if (variant.IpAdapter is not { } adapter)
            {
                return UNet2DConditionGraph.Build(checkpoint.Unet, weights, options);
            }
            using var adapterFile = SafetensorsWeightSource.Open(adapter.Path);
            return adapter.BuildUnet(checkpoint.Unet, weights, adapterFile, options);
        });
    }

    /// <summary>The base weights with the LoRAs' matching modules merged in; the base itself when there are none.</summary>
    public static IWeightSource Merge(IWeightSource weights, string prefix, IReadOnlyList<LoraApplication> loras) =>
        loras.Count == 0
            ? weights
            : new LoraMergedWeightSource(weights, loras.Select(l => (LoraFile.ReadMatching(l.Path, prefix, weights.Names), l.Strength)).ToList());

    private static List<LoraApplication> Active(IReadOnlyList<LoraApplication> loras) => loras.Where(l => l.Strength != 0f).ToList();

    private static string LoraKey(List<LoraApplication> loras) => loras.Count == 0 ? "" : "+lora[" + string.Join(",", loras) + "]";

    public ModelSession VaeDecoder(DiffusersCheckpoint checkpoint) => checkpoint.Onnx is { } onnx
        ? Exported(checkpoint, "vae_decoder", onnx.VaeDecoder, OnnxComponent.VaeDecoder)
        : Get(checkpoint, "vae_decoder", () =>
        {
            using var weights = checkpoint.OpenVaeWeights();
            return AutoencoderKLGraph.BuildDecoder(checkpoint.Vae, weights);
        });

    public ModelSession VaeEncoder(DiffusersCheckpoint checkpoint) => checkpoint.Onnx is { } onnx
        ? Exported(checkpoint, "vae_encoder", File.Exists(onnx.VaeEncoder) ? onnx.VaeEncoder : throw new InvalidDataException($"The ONNX checkpoint \"{checkpoint.DisplayName}\" has no vae_encoder/model.onnx; encoding images needs it."), OnnxComponent.VaeEncoder)
        : Get(checkpoint, "vae_encoder", () =>
        {
            using var weights = checkpoint.OpenVaeWeights();
            return AutoencoderKLGraph.BuildEncoder(checkpoint.Vae, weights);
        });

    /// <summary>A model that belongs to no checkpoint (CLIP vision, an IP-Adapter's projection), keyed by its file's path and fingerprint.</summary>
    public ModelSession Standalone(string path, string fingerprint, string component, Func<ModelProto> compile) =>
        GetOrCompile($"{path}|{fingerprint}|{component}", $"{Path.GetFileName(path)}/{component}", compile);

    /// <summary>Throws the "pre-exported ONNX model" error when a feature that patches weights is asked of one.</summary>
    public static void RequireWeights(DiffusersCheckpoint checkpoint, string? feature)
    {
        if (feature is not null && !checkpoint.HasWeights)
        {
            throw checkpoint.NeedsWeights(feature);
        }
    }

    /// <summary>
    /// A cached session for any compiled model (e.g. a ControlNet file, which belongs to no checkpoint), under a key
    /// that must change whenever the model would (file fingerprints, patches, options).
    /// </summary>
    public ModelSession GetOrCompile(string key, string name, Func<ModelProto> compile) => GetOrCompile(key, name, compile, "");

    private ModelSession GetOrCompile(string key, string name, Func<ModelProto> compile, string config) =>
        GetSession(key, () => _disk is not null ? FromDisk(key, config, name, compile) : CompileInMemory(name, compile));

    private ModelSession CompileInMemory(string name, Func<ModelProto> compile)
    {
        Interlocked.Increment(ref _compilations);
        var model = compile();
        var session = factory.Create(model, name);
        session.WeightBytes = OnnxModelFile.InitializerBytes(model);
        return session;
    }

    private ModelSession Exported(DiffusersCheckpoint checkpoint, string component, string path, OnnxComponent kind) =>
        GetSession($"{checkpoint.Folder}|{checkpoint.Fingerprint()}|{component}", () =>
        {
            var session = factory.CreateExported(path, kind, $"{checkpoint.DisplayName}/{component}", checkpoint.Vae.LatentChannels, checkpoint.TextEncoder.NumHiddenLayers);
            session.WeightBytes = OnnxExportFolder.ComponentBytes(path);
            return session;
        });

    private ModelSession Get(DiffusersCheckpoint checkpoint, string component, Func<ModelProto> compile) =>
        GetOrCompile($"{checkpoint.Folder}|{checkpoint.Fingerprint()}|{component}", $"{Path.GetFileName(checkpoint.Folder)}/{component}", compile, ConfigJson(checkpoint));

    private ModelSession GetSession(string key, Func<ModelSession> create)
    {
        CachedSession entry;
        lock (_lock)
        {
            if (_sessions.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                entry = node.Value;
            }
            else
            {
                entry = new CachedSession(key, new Lazy<ModelSession>(create));
                _sessions[key] = _recency.AddFirst(entry);
            }
        }
        ModelSession session;
        try
        {
            session = entry.Session.Value;
        }
        catch (Exception)
        {
            lock (_lock)
            {
                if (_sessions.TryGetValue(key, out var failed) && failed.Value == entry)
                {
                    _sessions.Remove(key);
                    _recency.Remove(failed);
                }
            }
            throw;
        }
        lock (_lock)
        {
            entry.Bytes = session.WeightBytes;
            Evict(entry);
        }
        return session;
    }

    /// <summary>Closes least recently used sessions while over the count or byte budget, skipping any in use or being created.</summary>
    private void Evict(CachedSession keep)
    {
        var bytes = _recency.Sum(e => e.Bytes);
        var node = _recency.Last;
        while (node is not null && (_sessions.Count > maxSessions || bytes > MaxWeightBytes))
        {
            var previous = node.Previous;
            var candidate = node.Value;
            if (candidate != keep && candidate.Session.IsValueCreated && !candidate.Session.Value.InUse)
            {
                _recency.Remove(node);
                _sessions.Remove(candidate.Key);
                bytes -= candidate.Bytes;
                candidate.Session.Value.Dispose();
            }
            node = previous;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var entry in _recency)
            {
                if (entry.Session.IsValueCreated)
                {
                    entry.Session.Value.Dispose();
                }
            }
            _sessions.Clear();
            _recency.Clear();
        }
    }

    private sealed class CachedSession(string key, Lazy<ModelSession> session)
    {
        public string Key { get; } = key;

        public Lazy<ModelSession> Session { get; } = session;

        public long Bytes { get; set; }
    }
}
