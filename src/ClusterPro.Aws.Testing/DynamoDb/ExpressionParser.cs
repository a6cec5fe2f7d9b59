using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>
/// Parses DynamoDB's expressions into delegates over an item: document paths with <c>#name</c> aliases (reserved words
/// refused unaliased), <c>:value</c> references, comparisons (<c>= &lt;&gt; &lt; &lt;= &gt; &gt;=</c>), <c>BETWEEN</c>, <c>IN</c>,
/// <c>AND</c> / <c>OR</c> / <c>NOT</c> with parentheses (redundant ones refused), the functions <c>attribute_exists</c>,
/// <c>attribute_not_exists</c>, <c>attribute_type</c>, <c>begins_with</c>, <c>contains</c>, <c>size</c>; <c>SET</c> (with
/// <c>+</c>, <c>-</c>, <c>if_not_exists</c>, <c>list_append</c>), <c>REMOVE</c>, <c>ADD</c>, <c>DELETE</c>; projections and key
/// conditions. Partial files hold conditions, updates and key conditions.
/// </summary>
internal sealed partial class ExpressionParser
{
    private readonly string _text;
    private readonly string _kind;
    private readonly ExpressionContext _context;
    private readonly List<ExpressionToken> _tokens;
    private readonly Dictionary<int, int> _closing;
    private readonly HashSet<string> _attributes = new(StringComparer.Ordinal);
    private int _next;

    private ExpressionParser(string text, string kind, ExpressionContext context)
    {
        _text = text;
        _kind = kind;
        _context = context;
        _tokens = Tokenize(text);
        _closing = MatchParentheses(_tokens);
    }

    /// <summary>A condition (<c>ConditionExpression</c>, or with <paramref name="kind"/> a <c>FilterExpression</c>).</summary>
    public static Func<JsonObject, bool> Condition(string text, ExpressionContext context, string kind = "ConditionExpression")
    {
        var parser = new ExpressionParser(text, kind, context);
        var condition = parser.Or();
        parser.ExpectEnd();
        return condition;
    }

    /// <summary>A condition, and the top-level attributes it names (a Query's filter may not name key attributes).</summary>
    public static Func<JsonObject, bool> Condition(string text, ExpressionContext context, string kind, out IReadOnlySet<string> attributes)
    {
        var parser = new ExpressionParser(text, kind, context);
        var condition = parser.Or();
        parser.ExpectEnd();
        attributes = parser._attributes;
        return condition;
    }

    public static UpdatePlan Update(string text, ExpressionContext context)
    {
        var parser = new ExpressionParser(text, "UpdateExpression", context);
        var plan = parser.UpdateClauses();
        parser.ExpectEnd();
        return plan;
    }

    /// <summary>A projection's paths; overlapping paths are refused, as DynamoDB does.</summary>
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
        DocumentProjection.CheckOverlaps(paths, "ProjectionExpression");
        return paths;
    }

    private ExpressionToken Peek => _tokens[_next];

    private ExpressionToken Take() => _tokens[_next++];

    private DocumentPath Path()
    {
        var segments = new List<object>();
        var text = new StringBuilder();
        segments.Add(Name(text));
        _attributes.Add((string)segments[0]);
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
                if (ReservedWords.Contains(token.Text))
                {
                    throw DynamoDbException.Validation($"Invalid {_kind}: Attribute name is a reserved keyword; reserved keyword: {token.Text}");
                }

                text.Append(token.Text);
                return token.Text;
            default:
                throw Syntax(token);
        }
    }

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

    /// <summary>For each <c>(</c>, the index of its <c>)</c> (unbalanced text is left to the syntax errors).</summary>
    private static Dictionary<int, int> MatchParentheses(List<ExpressionToken> tokens)
    {
        var closing = new Dictionary<int, int>();
        var open = new Stack<int>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsPunct("("))
            {
                open.Push(i);
            }
            else if (tokens[i].IsPunct(")") && open.Count > 0)
            {
                closing[open.Pop()] = i;
            }
        }

        return closing;
    }

    /// <summary>Refuses <c>((…))</c>: a group whose whole content is one more group, as DynamoDB does.</summary>
    private void CheckRedundant(int open)
    {
        if (_tokens[open + 1].IsPunct("(") && _closing.TryGetValue(open + 1, out var innerClose) && _closing.TryGetValue(open, out var outerClose) && innerClose == outerClose - 1)
        {
            throw DynamoDbException.Validation($"Invalid {_kind}: The expression has redundant parentheses;");
        }
    }
}
