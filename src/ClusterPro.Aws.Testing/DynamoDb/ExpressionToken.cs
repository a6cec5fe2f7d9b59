namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>One token of a DynamoDB expression.</summary>
/// <param name="Kind">'n' identifier, '#' name alias, ':' value reference, '0' integer, 'p' punctuation, '$' end.</param>
/// <param name="Text">The token as written.</param>
/// <param name="Position">Where it starts.</param>
internal sealed record ExpressionToken(char Kind, string Text, int Position)
{
    public bool Is(string keyword) => Kind == 'n' && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsPunct(string punct) => Kind == 'p' && Text == punct;
}
