using System.Text.Json;

namespace ClusterPro.Aws.Testing.Iam;

/// <summary>
/// An IAM identity policy, evaluated as IAM evaluates one: a request is allowed when, for each resource it touches, some
/// Allow statement matches its action (<c>Action</c> / <c>NotAction</c>, case-insensitive, <c>*</c> and <c>?</c>
/// wildcards), the resource (<c>Resource</c> / <c>NotResource</c>, case-sensitive wildcards within each colon-separated
/// part of the ARN, see <see cref="MatchesArn"/>) and its conditions, and no
/// Deny statement matches; otherwise it is denied, explicitly (a Deny matched) or implicitly (nothing allowed it).
/// Conditions: the operators <c>String(Not)Equals(IgnoreCase)</c>, <c>String(Not)Like</c>, <c>Arn(Not)Equals</c>,
/// <c>Arn(Not)Like</c> (both Arn operators take wildcards, as in IAM), each also <c>…IfExists</c>, on the keys in <see cref="ConditionKeys"/>; a policy naming any other
/// operator or key, a <c>Principal</c>, or a policy variable is refused when it is read, never silently ignored.
/// </summary>
internal sealed class IamPolicy
{
    /// <summary>The condition keys the emulator knows for a request and evaluates.</summary>
    public static readonly IReadOnlySet<string> ConditionKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ec2:Vpc", "ec2:Region", "aws:RequestedRegion" };

    private static readonly string[] Operators = ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike"];

    private readonly List<Statement> _statements;

    private IamPolicy(List<Statement> statements) => _statements = statements;

    /// <summary>Reads a policy document.</summary>
    /// <param name="json">The policy JSON (<c>Version</c>, <c>Statement</c>: one object or an array).</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentException">The document is not a policy the emulator can evaluate faithfully; the message names the element and the fix.</exception>
    public static IamPolicy Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The IAM policy is not JSON: {ex.Message}", nameof(json), ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Statement", out var statementElement))
            {
                throw new ArgumentException("The IAM policy has no Statement; give a document like {\"Version\":\"2012-10-17\",\"Statement\":[…]}.", nameof(json));
            }

            var elements = statementElement.ValueKind == JsonValueKind.Array ? statementElement.EnumerateArray().ToList() : [statementElement];
            var statements = new List<Statement>();
            for (var i = 0; i < elements.Count; i++)
            {
                statements.Add(ReadStatement(elements[i], i));
            }

            return new IamPolicy(statements);
        }
    }

    /// <summary>Decides a request.</summary>
    /// <param name="request">The action, its resources and condition keys.</param>
    /// <returns>The verdict.</returns>
    public IamVerdict Evaluate(IamRequest request)
    {
        // A request that names no resource is evaluated against "*", as IAM evaluates an action without resource-level
        // permissions: only a statement with Resource "*" (or a NotResource that leaves "*" in) matches it. It is never
        // allowed for want of a resource to deny.
        IReadOnlyList<string> resources = request.Resources.Count == 0 ? ["*"] : request.Resources;
        string? notAllowed = null;
        foreach (var resource in resources)
        {
            var allowed = false;
            foreach (var s in _statements.Where(s => s.Applies(request.Action, resource, request.Context)))
            {
                if (!s.Allow)
                {
                    return new IamVerdict(IamDecision.ExplicitDeny, resource);
                }

                allowed = true;
            }

            notAllowed ??= allowed ? null : resource;
        }

        return notAllowed is null ? new IamVerdict(IamDecision.Allowed, null) : new IamVerdict(IamDecision.ImplicitDeny, notAllowed);
    }

    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/> with <c>*</c> (any run) and <c>?</c> (one character).</summary>
    public static bool Matches(string pattern, string value, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || string.Compare(pattern, p, value, v, 1, comparison) == 0) && pattern[p] != '*')
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>
    /// Whether the ARN <paramref name="value"/> matches the ARN pattern <paramref name="pattern"/> as IAM matches a
    /// <c>Resource</c> or an <c>Arn…</c> condition: both are split at their first five colons into the six parts
    /// <c>arn:partition:service:region:account:resource</c> (the resource part keeps any further colons and slashes),
    /// and each part is matched on its own with <c>*</c> and <c>?</c>, case-sensitively, so a wildcard never spans a
    /// colon between parts. A pattern that ends before the sixth part with a <c>*</c> lets that <c>*</c> run to the end
    /// of the value (IAM: a <c>*</c> at the end of a segment may expand beyond the colon boundaries). A pattern or value
    /// that is not an ARN (e.g. <c>*</c>, the resource of an action without resource-level permissions) is compared whole.
    /// </summary>
    /// <param name="pattern">The policy's ARN, with wildcards.</param>
    /// <param name="value">The request's ARN.</param>
    /// <returns>True when it matches.</returns>
    public static bool MatchesArn(string pattern, string value)
    {
        var patternParts = pattern.Split(':', 6);
        var valueParts = value.Split(':', 6);
        if (patternParts.Length == 1 || valueParts.Length != 6)
        {
            return Matches(pattern, value, ignoreCase: false);
        }

        for (var i = 0; i < patternParts.Length; i++)
        {
            var last = i == patternParts.Length - 1;
            if (last && patternParts.Length < 6)
            {
                return patternParts[i].EndsWith('*') && Matches(patternParts[i], string.Join(':', valueParts[i..]), ignoreCase: false);
            }

            if (!Matches(patternParts[i], valueParts[i], ignoreCase: false))
            {
                return false;
            }
        }

        return true;
    }

    private static Statement ReadStatement(JsonElement e, int index)
    {
        var where = $"Statement {index + 1}{(e.ValueKind == JsonValueKind.Object && e.TryGetProperty("Sid", out var sid) ? $" ({sid})" : string.Empty)}";
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"The IAM policy's {where} is not an object.");
        }

        if (e.TryGetProperty("Principal", out _) || e.TryGetProperty("NotPrincipal", out _))
        {
            throw new ArgumentException($"The IAM policy's {where} has a Principal: that is a resource-based policy; give an identity policy (the one attached to the node's role).");
        }

        var effect = e.TryGetProperty("Effect", out var effectElement) ? effectElement.GetString() : null;
        if (effect is not ("Allow" or "Deny"))
        {
            throw new ArgumentException($"The IAM policy's {where} has Effect '{effect}'; use Allow or Deny.");
        }

        var (actions, notAction) = Pair(e, "Action", "NotAction", where);
        var (resources, notResource) = Pair(e, "Resource", "NotResource", where);
        var conditions = new List<Condition>();
        if (e.TryGetProperty("Condition", out var conditionElement))
        {
            foreach (var op in conditionElement.EnumerateObject())
            {
                var ifExists = op.Name.EndsWith("IfExists", StringComparison.Ordinal);
                var name = ifExists ? op.Name[..^"IfExists".Length] : op.Name;
                if (!Operators.Contains(name, StringComparer.Ordinal))
                {
                    throw new ArgumentException($"The IAM policy's {where} uses the condition operator {op.Name}, which the emulator does not evaluate; it evaluates {string.Join(", ", Operators)} (each also …IfExists).");
                }

                foreach (var key in op.Value.EnumerateObject())
                {
                    if (!ConditionKeys.Contains(key.Name))
                    {
                        throw new ArgumentException($"The IAM policy's {where} has a condition on {key.Name}, which the emulator does not evaluate; it knows {string.Join(", ", ConditionKeys)}. Remove the condition to test without it.");
                    }

                    conditions.Add(new Condition(name, ifExists, key.Name, Strings(key.Value, $"{where} Condition {op.Name} {key.Name}")));
                }
            }
        }

        return new Statement(effect == "Allow", actions, notAction, resources, notResource, conditions);
    }

    private static (IReadOnlyList<string> Values, bool Not) Pair(JsonElement e, string name, string notName, string where)
    {
        var has = e.TryGetProperty(name, out var value);
        var hasNot = e.TryGetProperty(notName, out var notValue);
        return (has, hasNot) switch
        {
            (true, false) => (Strings(value, $"{where} {name}"), false),
            (false, true) => (Strings(notValue, $"{where} {notName}"), true),
            _ => throw new ArgumentException($"The IAM policy's {where} needs exactly one of {name} and {notName}."),
        };
    }

    private static List<string> Strings(JsonElement e, string where)
    {
        var values = e.ValueKind switch
        {
            JsonValueKind.String => [e.GetString()!],
            JsonValueKind.Array when e.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) => e.EnumerateArray().Select(v => v.GetString()!).ToList(),
            _ => throw new ArgumentException($"The IAM policy's {where} must be a string or an array of strings."),
        };
        if (values.FirstOrDefault(v => v.Contains("${", StringComparison.Ordinal)) is { } variable)
        {
            throw new ArgumentException($"The IAM policy's {where} holds the policy variable in '{variable}', which the emulator does not substitute; write the value out.");
        }

        return values;
    }

    private sealed record Condition(string Operator, bool IfExists, string Key, IReadOnlyList<string> Values)
    {
        public bool Holds(IReadOnlyDictionary<string, string> context)
        {
            var negated = Operator.Contains("Not", StringComparison.Ordinal);
            if (!context.TryGetValue(Key, out var actual))
            {
                return IfExists || negated;
            }

            // ArnEquals and ArnLike both take wildcards in IAM, matched part by part.
            var arn = Operator.StartsWith("Arn", StringComparison.Ordinal);
            var like = Operator.EndsWith("Like", StringComparison.Ordinal);
            var ignoreCase = Operator.EndsWith("IgnoreCase", StringComparison.Ordinal);
            var any = Values.Any(v => arn ? MatchesArn(v, actual)
                : like ? Matches(v, actual, ignoreCase: false)
                : string.Equals(v, actual, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
            return negated ? !any : any;
        }
    }

    private sealed record Statement(bool Allow, IReadOnlyList<string> Actions, bool NotAction, IReadOnlyList<string> Resources, bool NotResource, IReadOnlyList<Condition> Conditions)
    {
        public bool Applies(string action, string resource, IReadOnlyDictionary<string, string> context) =>
            Actions.Any(a => Matches(a, action, ignoreCase: true)) != NotAction
            && Resources.Any(r => MatchesArn(r, resource)) != NotResource
            && Conditions.All(c => c.Holds(context));
    }
}
