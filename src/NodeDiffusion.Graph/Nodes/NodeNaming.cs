using System.Reflection;
using System.Text;

namespace NodeDiffusion.Graph.Nodes;

/// <summary>Derives the snake_case input names that ComfyUI users know from C# parameter names.</summary>
public static class NodeNaming
{
    public static string InputName(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<InputAttribute>()?.Name ?? ToSnakeCase(parameter.Name!);

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (i > 0 && (previousIsLowerOrDigit || (nextIsLower && char.IsUpper(name[i - 1]))))
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
