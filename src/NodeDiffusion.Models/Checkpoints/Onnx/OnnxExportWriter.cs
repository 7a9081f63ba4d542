using System.Globalization;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Onnx;
using Onnx;

namespace NodeDiffusion.Models.Checkpoints.Onnx;

/// <summary>How an exported folder's models look, after the exporters found in the wild.</summary>
/// <param name="Int64Timestep">The old diffusers script's int64 [B] timestep; otherwise Optimum's float scalar.</param>
/// <param name="Int32InputIds">The diffusers script's int32 input_ids; otherwise Optimum's int64.</param>
/// <param name="HiddenStates">Text encoder outputs hidden_states.0 … hidden_states.N (Optimum with output_hidden_states).</param>
/// <param name="ExternalUnetWeights">UNet weights in unet/model.onnx_data, as Optimum writes large models.</param>
public sealed record OnnxExportOptions(bool Int64Timestep = false, bool Int32InputIds = false, bool HiddenStates = true, bool ExternalUnetWeights = true);

/// <summary>
/// Writes a checkpoint as a pre-exported ONNX pipeline folder in Optimum's layout and I/O names (model_index.json,
/// tokenizer/, text_encoder/, unet/, vae_encoder/, vae_decoder/, each with model.onnx and config.json), compiled by our
/// builder. For sharing with ONNX-only tools, and to test the loader of such folders.
/// </summary>
public static class OnnxExportWriter
{
    public static void Write(DiffusersCheckpoint checkpoint, string folder, OnnxExportOptions? options = null)
    {
        options ??= new OnnxExportOptions();
        Directory.CreateDirectory(folder);
        CopyFolder(checkpoint.TokenizerFolder, Path.Combine(folder, "tokenizer"));
        File.WriteAllText(Path.Combine(folder, "model_index.json"), """
            {"_class_name": "ORTStableDiffusionPipeline", "_diffusers_version": "0.27.2",
             "text_encoder": ["optimum", "ORTModelTextEncoder"], "tokenizer": ["transformers", "CLIPTokenizer"],
             "unet": ["optimum", "ORTModelUnet"], "vae_decoder": ["optimum", "ORTModelVaeDecoder"],
             "vae_encoder": ["optimum", "ORTModelVaeEncoder"], "scheduler": ["diffusers", "PNDMScheduler"]}
            """);

        using (var weights = checkpoint.OpenTextEncoderWeights())
        {
            var model = ClipTextGraph.Build(checkpoint.TextEncoder, weights, new ClipTextGraphOptions(HiddenStates: options.HiddenStates));
            for (var i = 0; i <= checkpoint.TextEncoder.NumHiddenLayers && options.HiddenStates; i++)
            {
                RenameOutput(model.Graph, $"hidden_states_{i}", $"hidden_states.{i}");
            }
            if (options.Int32InputIds)
            {
                RetypeInput(model.Graph, "input_ids", TensorProto.Types.DataType.Int32, rank: 2, op: "Cast", toType: TensorProto.Types.DataType.Int64);
            }
            Save(model, folder, "text_encoder", checkpoint.Folder, "text_encoder", external: false);
        }
        using (var weights = checkpoint.OpenUnetWeights())
        {
            var model = UNet2DConditionGraph.Build(checkpoint.Unet, weights);
            if (options.Int64Timestep)
            {
                RetypeInput(model.Graph, "timestep", TensorProto.Types.DataType.Int64, rank: 1, op: "Cast", toType: TensorProto.Types.DataType.Float);
            }
            else
            {
                RetypeInput(model.Graph, "timestep", TensorProto.Types.DataType.Float, rank: 0, op: "Unsqueeze", toType: TensorProto.Types.DataType.Float);
            }
            Save(model, folder, "unet", checkpoint.Folder, "unet", options.ExternalUnetWeights);
        }
        using (var weights = checkpoint.OpenVaeWeights())
        {
            var encoder = AutoencoderKLGraph.BuildEncoder(checkpoint.Vae, weights);
            foreach (var extra in encoder.Graph.Output.Where(o => o.Name != "latent_parameters").ToList())
            {
                encoder.Graph.Output.Remove(extra);
            }
            Save(encoder, folder, "vae_encoder", checkpoint.Folder, "vae", external: false);
            Save(AutoencoderKLGraph.BuildDecoder(checkpoint.Vae, weights), folder, "vae_decoder", checkpoint.Folder, "vae", external: false);
        }
    }

    private static void Save(ModelProto model, string folder, string component, string sourceFolder, string sourceComponent, bool external)
    {
        var directory = Path.Combine(folder, component);
        Directory.CreateDirectory(directory);
        OnnxModelFile.Save(model, Path.Combine(directory, OnnxExportFolder.ModelFileName), forceExternal: external, dataFileName: "model.onnx_data");
        var config = Path.Combine(sourceFolder, sourceComponent, "config.json");
        if (File.Exists(config))
        {
            File.Copy(config, Path.Combine(directory, "config.json"), overwrite: true);
        }
    }

    private static void RenameOutput(GraphProto graph, string from, string to)
    {
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == from)
                {
                    node.Output[i] = to;
                }
            }
        }
        graph.Output.Single(o => o.Name == from).Name = to;
    }

    /// <summary>Replaces a graph input by one of another type/rank feeding the old one through <paramref name="op"/>.</summary>
    private static void RetypeInput(GraphProto graph, string name, TensorProto.Types.DataType type, int rank, string op, TensorProto.Types.DataType toType)
    {
        var inner = name + "/internal";
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == name)
                {
                    node.Input[i] = inner;
                }
            }
        }
        var convert = new NodeProto { OpType = op, Name = "export/" + name };
        convert.Input.Add(name);
        if (op == "Unsqueeze")
        {
            var axes = new TensorProto { Name = "export/" + name + "/axes", DataType = (int)TensorProto.Types.DataType.Int64 };
            axes.Dims.Add(1);
            axes.Int64Data.Add(0);
            graph.Initializer.Add(axes);
            convert.Input.Add(axes.Name);
        }
        else
        {
            convert.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (int)toType });
        }
        convert.Output.Add(inner);
        graph.Node.Insert(0, convert);
        var input = graph.Input.Single(i => i.Name == name);
        var shape = new TensorShapeProto();
        for (var i = 0; i < rank; i++)
        {
            shape.Dim.Add(i < input.Type.TensorType.Shape.Dim.Count ? input.Type.TensorType.Shape.Dim[i].Clone() : new TensorShapeProto.Types.Dimension { DimParam = "d" + i.ToString(CultureInfo.InvariantCulture) });
        }
        input.Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } };
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }
}
