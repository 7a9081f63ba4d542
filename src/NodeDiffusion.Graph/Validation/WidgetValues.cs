using System.Globalization;
using System.Text.Json;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Graph.Validation;

/// <summary>Converts widget values between JSON, the schema's types and the CLR types that nodes declare.</summary>
public static class WidgetValues
{
    /// <summary>Reads a JSON widget value as the input's CLR type, or explains what was expected with a validation code.</summary>
    public static bool TryRead(InputSpec input, JsonElement value, out object? result, out string? problem, out string? code)
    {
        var ok = TryReadValue(input, value, out result, out problem, out var outOfRange);
        code = ok ? null : outOfRange ? ValidationCodes.ValueOutOfRange : ValidationCodes.TypeMismatch;
        return ok;
    }

    private static bool TryReadValue(InputSpec input, JsonElement value, out object? result, out string? problem, out bool outOfRange)
    {
        result = null;
        problem = null;
        outOfRange = false;
        switch (input.Type)
        {
            case PortTypes.Int:
                // Whole numbers written as 512.0 are integers to a user; decimals also keep huge values exact for the range check.
                if (value.ValueKind == JsonValueKind.Number && TryReadInteger(value, out var integer))
                {
                    if (TryFitInteger(input, integer, out result, out problem))
                    {
                        return true;
                    }
                    outOfRange = true;
                    return false;
                }
                problem = $"expected a whole number (INT) but found {Describe(value)}";
                return false;
            case PortTypes.Float:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    if (input.Min is { } min && (decimal)number < min || input.Max is { } max && (decimal)number > max)
                    {
                        problem = $"{number.ToString(CultureInfo.InvariantCulture)} is outside the allowed range {Range(input)}";
                        outOfRange = true;
                        return false;
                    }
                    result = input.ClrType == typeof(float) ? (float)number : number;
                    return true;
                }
                problem = $"expected a number (FLOAT) but found {Describe(value)}";
                return false;
            case PortTypes.String:
            case PortTypes.Combo:
                if (value.ValueKind == JsonValueKind.String)
                {
                    result = value.GetString();
                    return true;
                }
                problem = $"expected a string ({input.Type}) but found {Describe(value)}";
                return false;
            case PortTypes.Boolean:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    result = value.GetBoolean();
                    return true;
                }
                problem = $"expected true or false (BOOLEAN) but found {Describe(value)}";
                return false;
            default:
                problem = $"input of type {input.Type} takes a link, not a literal value";
                return false;
        }
    }

    /// <summary>The input's default as its CLR type.</summary>
    public static object? Default(InputSpec input) => input.Default is null ? null : Convert(input.Default, input.ClrType);

    /// <summary>Converts a value flowing through a link (e.g. a long from a primitive) to the CLR type an input declares.</summary>
    public static object? Convert(object? value, Type target)
    {
        if (value is null || target.IsInstanceOfType(value))
        {
            return value;
        }
        var type = Nullable.GetUnderlyingType(target) ?? target;
        return type switch
        {
            _ when type == typeof(int) => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
            _ when type == typeof(long) => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
            _ when type == typeof(ulong) => System.Convert.ToUInt64(value, CultureInfo.InvariantCulture),
            _ when type == typeof(double) => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
            _ when type == typeof(float) => System.Convert.ToSingle(value, CultureInfo.InvariantCulture),
            _ when type == typeof(bool) => System.Convert.ToBoolean(value, CultureInfo.InvariantCulture),
            _ when type == typeof(string) => System.Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => value,
        };
    }

    public static string Range(InputSpec input) =>
        $"[{input.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"}, {input.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}]";

    private static bool TryReadInteger(JsonElement value, out decimal integer)
    {
        if (value.TryGetInt64(out var signed))
        {
            integer = signed;
            return true;
        }
        if (value.TryGetUInt64(out var unsigned))
        {
            integer = unsigned;
            return true;
        }
        if (value.TryGetDecimal(out var exact) && exact == decimal.Truncate(exact))
        {
            integer = exact;
            return true;
        }
        integer = 0;
        return false;
    }

    private static bool TryFitInteger(InputSpec input, decimal integer, out object? result, out string? problem)
    {
        result = null;
        problem = null;
        if (input.Min is { } min && integer < min || input.Max is { } max && integer > max)
        {
            problem = $"{integer.ToString(CultureInfo.InvariantCulture)} is outside the allowed range {Range(input)}";
            return false;
        }
        var type = input.ClrType;
        if (type == typeof(int) && integer is < int.MinValue or > int.MaxValue
            || type == typeof(long) && integer is < long.MinValue or > long.MaxValue
            || type == typeof(ulong) && integer is < 0 or > ulong.MaxValue)
        {
            problem = $"{integer.ToString(CultureInfo.InvariantCulture)} is outside the range a {type.Name} input can hold";
            return false;
        }
        result = type == typeof(int) ? (int)integer : type == typeof(ulong) ? (ulong)integer : (object)(long)integer;
        return true;
    }

    private static string Describe(JsonElement value) => Workflows.WorkflowJson.Describe(value);
}
