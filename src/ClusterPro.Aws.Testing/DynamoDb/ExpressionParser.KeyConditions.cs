namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>Key conditions: <c>pk = :v</c> and at most one condition on the sort key, joined by <c>AND</c>.</summary>
internal sealed partial class ExpressionParser
{
    public static List<KeyConditionPart> KeyCondition(string text, ExpressionContext context)
    {
        var parser = new ExpressionParser(text, "KeyConditionExpression", context);
        var parts = parser.Conjunction();
        parser.ExpectEnd();
        return parts;
    }

    private List<KeyConditionPart> Conjunction()
    {
        var parts = KeyTerm();
        while (Peek.Is("AND"))
        {
            Take();
            parts.AddRange(KeyTerm());
        }

        if (Peek.Is("OR"))
        {
            throw DynamoDbException.Validation("Invalid operator used in KeyConditionExpression: OR");
        }

        return parts;
    }

    private List<KeyConditionPart> KeyTerm()
    {
        if (Peek.IsPunct("("))
        {
            CheckRedundant(_next);
            Take();
            var inner = Conjunction();
            Expect(")");
            return inner;
        }

        if (Peek.Is("NOT"))
        {
            throw DynamoDbException.Validation("Invalid operator used in KeyConditionExpression: NOT");
        }

        if (Peek.Kind == 'n' && _tokens[_next + 1].IsPunct("("))
        {
            var function = Take();
            if (!function.Text.Equals("begins_with", StringComparison.Ordinal))
            {
                throw DynamoDbException.Validation($"Invalid operator used in KeyConditionExpression: {function.Text}");
            }

            Expect("(");
            var attribute = KeyAttribute();
            Expect(",");
            var prefix = KeyValue();
            Expect(")");
            return [new KeyConditionPart(attribute, "begins_with", prefix)];
        }

        var name = KeyAttribute();
        var op = Take();
        if (op.Is("BETWEEN"))
        {
            var low = KeyValue();
            if (!Take().Is("AND"))
            {
                throw Syntax(_tokens[_next - 1]);
            }

            return [new KeyConditionPart(name, "BETWEEN", low, KeyValue())];
        }

        if (op.Is("IN") || op.IsPunct("<>"))
        {
            throw DynamoDbException.Validation($"Invalid operator used in KeyConditionExpression: {op.Text}");
        }

        return op.Kind == 'p' && op.Text is "=" or "<" or "<=" or ">" or ">="
            ? [new KeyConditionPart(name, op.Text, KeyValue())]
            : throw Syntax(op);
    }

    private string KeyAttribute()
    {
        var path = Path();
        return path.Segments.Count == 1
            ? path.Top
            : throw DynamoDbException.Validation("Query key condition not supported");
    }

    private System.Text.Json.Nodes.JsonObject KeyValue()
    {
        var token = Take();
        return token.Kind == ':'
            ? _context.Value(token.Text, _kind)
            : throw DynamoDbException.Validation("Query key condition not supported");
    }
}
