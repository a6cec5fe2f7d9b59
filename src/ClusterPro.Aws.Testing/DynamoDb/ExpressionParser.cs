using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>
/// Parses DynamoDB's condition and update expressions into delegates over an item: document paths with
/// <c>#name</c> aliases, <c>:value</c> references, comparisons (<c>= &lt;&gt; &lt; &lt;= &gt; &gt;=</c>), <c>BETWEEN</c>, <c>IN</c>,
/// <c>AND</c> / <c>OR</c> / <c>NOT</c> with parentheses, the functions <c>attribute_exists</c>, <c>attribute_not_exists</c>,
/// <c>attribute_type</c>, <c>begins_with</c>, <c>contains</c>, <c>size</c>; and <c>SET</c> (with <c>+</c>, <c>-</c>,
/// <c>if_not_exists</c>, <c>list_append</c>), <c>REMOVE</c>, <c>ADD</c>, <c>DELETE</c>.
/// </summary>
internal sealed class ExpressionParser
{
    private readonly string _text;
    private readonly string _kind;
    private readonly ExpressionContext _context;
    private readonly List<ExpressionToken> _tokens;
    private int _next;

    private ExpressionParser(string text, string kind, ExpressionContext context)
    {
        _text = text;
        _kind = kind;
        _context = context;
        _tokens = Tokenize(text);
    }

    public static Func<JsonObject, bool> Condition(string text, ExpressionContext context)
    {
        var parser = new ExpressionParser(text, "ConditionExpression", context);
        var condition = parser.Or();
        parser.ExpectEnd();
        return condition;
    }

    public static UpdatePlan Update(string text, ExpressionContext context)
    {
        var parser = new ExpressionParser(text, "UpdateExpression", context);
        var plan = parser.UpdateClauses();
        parser.ExpectEnd();
        return plan;
    }

    public static List<DocumentPath> Projection(string text, ExpressionContext context)
    {
        var parser = new ExpressionParser(text, "ProjectionExpression", context);
        var paths = new List<DocumentPath> { parser.Path() };
        while (parser.Peek.IsPunct(","))
        {
            parser.Take();
            paths.Add(parser.Path());
        }

        parser.ExpectEnd();
        return paths;
    }

    private ExpressionToken Peek => _tokens[_next];

    private ExpressionToken Take() => _tokens[_next++];

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
            "<" => item => Ordered(left(item), right(item)) is < 0,
            "<=" => item => Ordered(left(item), right(item)) is <= 0,
            ">" => item => Ordered(left(item), right(item)) is > 0,
            _ => item => Ordered(left(item), right(item)) is >= 0,
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
                result = item => Contains(path(item), operand(item));
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
            return item => path.Get(item) is JsonObject v ? Size(v) : null;
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

    private DocumentPath Path()
    {
        var segments = new List<object>();
        var text = new StringBuilder();
        segments.Add(Name(text));
        while (true)
        {
            if (Peek.IsPunct("."))
            {
                Take();
                text.Append('.');
                segments.Add(Name(text));
            }
            else if (Peek.IsPunct("["))
            {
                Take();
                var index = Take();
                if (index.Kind != '0')
                {
                    throw Syntax(index);
                }

                Expect("]");
                segments.Add(int.Parse(index.Text, CultureInfo.InvariantCulture));
                text.Append('[').Append(index.Text).Append(']');
            }
            else
            {
                return new DocumentPath(segments, text.ToString());
            }
        }
    }

    private string Name(StringBuilder text)
    {
        var token = Take();
        switch (token.Kind)
        {
            case '#':
                var name = _context.Name(token.Text, _kind);
                text.Append(name);
                return name;
            case 'n':
                text.Append(token.Text);
                return token.Text;
            default:
                throw Syntax(token);
        }
    }

    private UpdatePlan UpdateClauses()
    {
        var plan = new UpdatePlan();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (Peek.Kind != '$')
        {
            var clause = Take();
            var keyword = clause.Text.ToUpperInvariant();
            if (clause.Kind != 'n' || keyword is not ("SET" or "REMOVE" or "ADD" or "DELETE"))
            {
                throw Syntax(clause);
            }

            if (!seen.Add(keyword))
            {
                throw DynamoDbException.Validation($"Invalid UpdateExpression: The \"{keyword}\" section can only be used once in an update expression;");
            }

            do
            {
                var path = Path();
                switch (keyword)
                {
                    case "SET":
                    {
                        Expect("=");
                        var value = Operand();
                        if (Peek.IsPunct("+") || Peek.IsPunct("-"))
                        {
                            var sign = Take().Text;
                            var left = value;
                            var right = Operand();
                            value = item => Arithmetic(left(item), right(item), sign);
                        }

                        plan.Add(path, (original, target) => path.Set(target, (JsonObject)(value(original) ?? throw DynamoDbException.Validation("The provided expression refers to an attribute that does not exist in the item")).DeepClone()));
                        break;
                    }

                    case "REMOVE":
                        plan.Add(path, (_, target) => path.Remove(target));
                        break;
                    case "ADD":
                    case "DELETE":
                    {
                        var operand = Operand();
                        var add = keyword == "ADD";
                        plan.Add(path, (original, target) => AddOrDelete(path, path.Get(original), operand(original), target, add));
                        break;
                    }
                }

                if (!Peek.IsPunct(","))
                {
                    break;
                }

                Take();
            }
            while (true);
        }

        if (plan.Paths.Count == 0)
        {
            throw DynamoDbException.Validation("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"\"");
        }

        return plan;
    }

    private static void AddOrDelete(DocumentPath path, JsonNode? current, JsonNode? operand, JsonObject target, bool add)
    {
        var value = (JsonObject)operand!;
        var type = AttributeValues.TypeOf(value);
        var op = add ? "ADD" : "DELETE";
        if (type == "N" && add)
        {
            if (current is not null && AttributeValues.TypeOf(current) != "N")
            {
                throw DynamoDbException.Validation($"An operand in the update expression has an incorrect data type");
            }

            var sum = (current is null ? 0m : AttributeValues.ToDecimal(current)) + AttributeValues.ToDecimal(value);
            path.Set(target, AttributeValues.FromDecimal(sum));
            return;
        }

        if (type is not ("SS" or "NS" or "BS"))
        {
            throw DynamoDbException.Validation($"Invalid UpdateExpression: Incorrect operand type for operator or function; operator: {op}, operand type: {Describe(type)}");
        }

        if (current is not null && AttributeValues.TypeOf(current) != type)
        {
            throw DynamoDbException.Validation("An operand in the update expression has an incorrect data type");
        }

        var existing = current is null ? [] : AttributeValues.Strings(current[type]).ToList();
        var change = AttributeValues.Strings(value[type]).ToList();
        var result = add ? existing.Union(change, StringComparer.Ordinal).ToList() : existing.Except(change, StringComparer.Ordinal).ToList();
        if (result.Count == 0)
        {
            path.Remove(target);
        }
        else
        {
            path.Set(target, new JsonObject { [type] = new JsonArray([.. result.Select(s => (JsonNode)JsonValue.Create(s))]) });
        }
    }

    private static JsonObject Arithmetic(JsonNode? left, JsonNode? right, string sign)
    {
        if (left is null || right is null)
        {
            throw DynamoDbException.Validation("The provided expression refers to an attribute that does not exist in the item");
        }

        if (AttributeValues.TypeOf(left) != "N" || AttributeValues.TypeOf(right) != "N")
        {
            throw DynamoDbException.Validation($"An operand in the update expression has an incorrect data type");
        }

        var a = AttributeValues.ToDecimal(left);
        var b = AttributeValues.ToDecimal(right);
        return AttributeValues.FromDecimal(sign == "+" ? a + b : a - b);
    }

    private static bool Contains(JsonNode? container, JsonNode? operand)
    {
        if (container is not JsonObject c || operand is not JsonObject o)
        {
            return false;
        }

        var (type, inner) = c.First();
        return type switch
        {
            "S" when o["S"] is { } s => inner!.GetValue<string>().Contains(s.GetValue<string>(), StringComparison.Ordinal),
            "SS" or "BS" when o[type[..1]] is { } e => AttributeValues.Strings(inner).Contains(e.GetValue<string>(), StringComparer.Ordinal),
            "NS" when o["N"] is not null => AttributeValues.Strings(inner).Any(n => AttributeValues.Equal(new JsonObject { ["N"] = n }, o)),
            "L" => inner!.AsArray().Any(e => AttributeValues.Equal(e!, o)),
            _ => false,
        };
    }

    private static JsonObject Size(JsonObject value)
    {
        var (type, inner) = value.First();
        var size = type switch
        {
            "S" => inner!.GetValue<string>().Length,
            "B" => Convert.FromBase64String(inner!.GetValue<string>()).Length,
            "SS" or "NS" or "BS" or "L" => inner!.AsArray().Count,
            "M" => inner!.AsObject().Count,
            _ => throw DynamoDbException.Validation($"Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: {Describe(type)}"),
        };
        return AttributeValues.FromDecimal(size);
    }

    private static int? Ordered(JsonNode? a, JsonNode? b) => a is null || b is null ? null : AttributeValues.Compare(a, b);

    private static string Describe(string type) => type switch
    {
        "S" => "STRING",
        "N" => "NUMBER",
        "B" => "BINARY",
        "BOOL" => "BOOLEAN",
        "M" => "MAP",
        "L" => "LIST",
        _ => type,
    };

    private void Expect(string punct)
    {
        var token = Take();
        if (!token.IsPunct(punct))
        {
            throw Syntax(token);
        }
    }

    private void ExpectEnd()
    {
        if (Peek.Kind != '$')
        {
            throw Syntax(Peek);
        }
    }

    private DynamoDbException Syntax(ExpressionToken token)
    {
        var text = token.Kind == '$' ? "<EOF>" : token.Text;
        var start = Math.Max(0, token.Position - 10);
        var near = _text[start..Math.Min(_text.Length, token.Position + text.Length + 10)];
        return DynamoDbException.Validation($"Invalid {_kind}: Syntax error; token: \"{text}\", near: \"{near}\"");
    }

    private List<ExpressionToken> Tokenize(string text)
    {
        var tokens = new List<ExpressionToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c is '#' or ':' || char.IsLetter(c) || c == '_')
            {
                i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text[start..i];
                if (c is '#' or ':' && word.Length == 1)
                {
                    throw DynamoDbException.Validation($"Invalid {_kind}: Syntax error; token: \"{c}\", near: \"{text[start..Math.Min(text.Length, start + 10)]}\"");
                }

                tokens.Add(new ExpressionToken(c is '#' or ':' ? c : 'n', word, start));
                continue;
            }

            if (char.IsDigit(c))
            {
                while (i < text.Length && char.IsDigit(text[i]))
                {
                    i++;
                }

                tokens.Add(new ExpressionToken('0', text[start..i], start));
                continue;
            }

            var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
            if (two is "<>" or "<=" or ">=")
            {
                tokens.Add(new ExpressionToken('p', two, start));
                i += 2;
                continue;
            }

            if ("()=<>,.[]+-".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new ExpressionToken('p', c.ToString(), start));
                i++;
                continue;
            }

            throw DynamoDbException.Validation($"Invalid {_kind}: Syntax error; token: \"{c}\", near: \"{text[Math.Max(0, start - 10)..Math.Min(text.Length, start + 10)]}\"");
        }

        if (tokens.Count == 0)
        {
            throw DynamoDbException.Validation($"Invalid {_kind}: The expression can not be empty;");
        }

        tokens.Add(new ExpressionToken('$', string.Empty, text.Length));
        tokens.Add(new ExpressionToken('$', string.Empty, text.Length));
        return tokens;
    }
}
