using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>Conditions: boolean operators, comparisons, functions and operands.</summary>
internal sealed partial class ExpressionParser
{
    private Func<JsonObject, bool> Or()
    {
        var left = And();
        while (Peek.Is("OR"))
        {
            Take();
            var l = left;
            var r = And();
            left = item => l(item) || r(item);
        }

        return left;
    }

    private Func<JsonObject, bool> And()
    {
        var left = Not();
        while (Peek.Is("AND"))
        {
            Take();
            var l = left;
            var r = Not();
            left = item => l(item) && r(item);
        }

        return left;
    }

    private Func<JsonObject, bool> Not()
    {
        if (Peek.Is("NOT"))
        {
            Take();
            var inner = Not();
            return item => !inner(item);
        }

        return Primary();
    }

    private Func<JsonObject, bool> Primary()
    {
        if (Peek.IsPunct("("))
        {
            CheckRedundant(_next);
            Take();
            var inner = Or();
            Expect(")");
            return inner;
        }

        if (Peek.Kind == 'n' && _tokens[_next + 1].IsPunct("(") && !Peek.Is("size"))
        {
            return Function();
        }

        var left = Operand();
        var op = Take();
        if (op.Is("BETWEEN"))
        {
            var low = Operand();
            if (!Take().Is("AND"))
            {
                throw Syntax(_tokens[_next - 1]);
            }

            var high = Operand();
            return item => left(item) is { } v && low(item) is { } lo && high(item) is { } hi && AttributeValues.Compare(v, lo) >= 0 && AttributeValues.Compare(v, hi) <= 0;
        }

        if (op.Is("IN"))
        {
            Expect("(");
            var candidates = new List<Func<JsonObject, JsonNode?>> { Operand() };
            while (Peek.IsPunct(","))
            {
                Take();
                candidates.Add(Operand());
            }

            Expect(")");
            return item => left(item) is { } v && candidates.Any(c => c(item) is { } other && AttributeValues.Equal(v, other));
        }

        var right = op.Kind == 'p' && op.Text is "=" or "<>" or "<" or "<=" or ">" or ">=" ? Operand() : throw Syntax(op);
        return op.Text switch
        {
            "=" => item => left(item) is { } a && right(item) is { } b && AttributeValues.Equal(a, b),
            "<>" => item => !(left(item) is { } a && right(item) is { } b && AttributeValues.Equal(a, b)),
            "<" => item => ExpressionFunctions.Ordered(left(item), right(item)) is < 0,
            "<=" => item => ExpressionFunctions.Ordered(left(item), right(item)) is <= 0,
            ">" => item => ExpressionFunctions.Ordered(left(item), right(item)) is > 0,
            _ => item => ExpressionFunctions.Ordered(left(item), right(item)) is >= 0,
        };
    }

    private Func<JsonObject, bool> Function()
    {
        var name = Take();
        Expect("(");
        Func<JsonObject, bool> result;
        switch (name.Text)
        {
            case "attribute_exists":
            {
                var path = Path();
                result = item => path.Get(item) is not null;
                break;
            }

            case "attribute_not_exists":
            {
                var path = Path();
                result = item => path.Get(item) is null;
                break;
            }

            case "attribute_type":
            {
                var path = Path();
                Expect(",");
                var type = Operand();
                result = item => path.Get(item) is { } v && type(item) is JsonObject t && t["S"]?.GetValue<string>() == AttributeValues.TypeOf(v);
                break;
            }

            case "begins_with":
            {
                var path = Operand();
                Expect(",");
                var prefix = Operand();
                result = item => (path(item), prefix(item)) switch
                {
                    (JsonObject v, JsonObject p) when v["S"] is { } s && p["S"] is { } ps => s.GetValue<string>().StartsWith(ps.GetValue<string>(), StringComparison.Ordinal),
                    (JsonObject v, JsonObject p) when v["B"] is { } b && p["B"] is { } pb => Convert.FromBase64String(b.GetValue<string>()).AsSpan().StartsWith(Convert.FromBase64String(pb.GetValue<string>())),
                    _ => false,
                };
                break;
            }

            case "contains":
            {
                var path = Operand();
                Expect(",");
                var operand = Operand();
                result = item => ExpressionFunctions.Contains(path(item), operand(item));
                break;
            }

            default:
                throw DynamoDbException.Validation($"Invalid {_kind}: Invalid function name; function: {name.Text}");
        }

        Expect(")");
        return result;
    }

    private Func<JsonObject, JsonNode?> Operand()
    {
        var token = Peek;
        if (token.Kind == ':')
        {
            Take();
            var value = _context.Value(token.Text, _kind);
            return _ => value;
        }

        if (token.Is("size") && _tokens[_next + 1].IsPunct("("))
        {
            Take();
            Expect("(");
            var path = Path();
            Expect(")");
            return item => path.Get(item) is JsonObject v ? ExpressionFunctions.Size(v) : null;
        }

        if (_kind == "UpdateExpression" && token.Kind == 'n' && _tokens[_next + 1].IsPunct("("))
        {
            Take();
            Expect("(");
            Func<JsonObject, JsonNode?> result;
            switch (token.Text)
            {
                case "if_not_exists":
                {
                    var path = Path();
                    Expect(",");
                    var fallback = Operand();
                    result = item => path.Get(item) ?? fallback(item);
                    break;
                }

                case "list_append":
                {
                    var first = Operand();
                    Expect(",");
                    var second = Operand();
                    result = item => (first(item), second(item)) switch
                    {
                        (JsonObject a, JsonObject b) when a["L"] is JsonArray la && b["L"] is JsonArray lb => new JsonObject { ["L"] = new JsonArray([.. la.Concat(lb).Select(n => n!.DeepClone())]) },
                        _ => throw DynamoDbException.Validation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: M"),
                    };
                    break;
                }

                default:
                    throw DynamoDbException.Validation($"Invalid {_kind}: Invalid function name; function: {token.Text}");
            }

            Expect(")");
            return result;
        }

        var documentPath = Path();
        return documentPath.Get;
    }
}
