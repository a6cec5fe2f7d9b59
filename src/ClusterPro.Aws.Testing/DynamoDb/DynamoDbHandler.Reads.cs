using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>
/// Query and Scan, on a table or one of its indexes: key conditions, filters, projections, Select, Limit and
/// ExclusiveStartKey / LastEvaluatedKey paging, 1 MB pages, parallel scan segments.
/// </summary>
internal static partial class DynamoDbHandler
{
    private const int MaxPageBytes = 1024 * 1024;
    private static readonly string[] SelectValues = ["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"];

    private static JsonObject Query(JsonObject request, DynamoDbState state) => Read(request, state, query: true);

    private static JsonObject Scan(JsonObject request, DynamoDbState state) => Read(request, state, query: false);

    private static JsonObject Read(JsonObject request, DynamoDbState state, bool query)
    {
        var table = state.ItemTable(TableName(request));
        var index = request["IndexName"]?.GetValue<string>() is { } indexName
            ? table.Indexes.FirstOrDefault(i => i.Name == indexName) ?? throw DynamoDbException.Validation($"The table does not have the specified index: {indexName}")
            : null;
        if (request["ConsistentRead"]?.GetValue<bool>() == true && index?.Global == true)
        {
            throw DynamoDbException.Validation("Consistent reads are not supported on global secondary indexes");
        }

        var limit = request["Limit"]?.GetValue<int>();
        if (limit is < 1)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }

        var context = new ExpressionContext(request);
        var (hash, range) = index is null ? (table.HashKey, table.RangeKey) : (index.HashKey, index.RangeKey);
        var keyCondition = query ? KeyConditionOf(request, context, table, hash, range) : [];
        IReadOnlySet<string> filtered = new HashSet<string>();
        var filter = request["FilterExpression"]?.GetValue<string>() is { } f ? ExpressionParser.Condition(f, context, "FilterExpression", out filtered) : null;
        var projection = request["ProjectionExpression"]?.GetValue<string>() is { } p ? ExpressionParser.Projection(p, context) : null;
        context.CheckAllUsed();
        if (query && new[] { hash, range }.FirstOrDefault(k => k is not null && filtered.Contains(k)) is { } keyInFilter)
        {
            throw DynamoDbException.Validation($"Filter Expression can only contain non-primary key attributes: Primary key attribute: {keyInFilter}");
        }

        var select = SelectOf(request, index, projection is not null);
        var (segment, totalSegments) = query ? (0, 1) : Segments(request);
        var forward = request["ScanIndexForward"]?.GetValue<bool>() ?? true;
        var ordered = table.Items.Values
            .Where(item => index?.Holds(item) ?? true)
            .Where(item => keyCondition.All(c => c.Matches(item)))
            .Where(item => totalSegments == 1 || SegmentOf(item[hash]!, totalSegments) == segment)
            .Select(item => (Item: item, Order: OrderOf(item, table, hash, range)))
            .ToList();
        ordered.Sort((a, b) => Compare(a.Order, b.Order));
        if (query && !forward)
        {
            ordered.Reverse();
        }

        var start = 0;
        if (request["ExclusiveStartKey"] is JsonObject startKey)
        {
            var order = StartOrder(startKey, table, index, hash, range);
            start = ordered.FindIndex(x => query && !forward ? Compare(x.Order, order) < 0 : Compare(x.Order, order) > 0);
            start = start < 0 ? ordered.Count : start;
        }

        var items = new JsonArray();
        var scanned = 0;
        var bytes = 0;
        JsonObject? last = null;
        for (var i = start; i < ordered.Count; i++)
        {
            if (scanned == limit || bytes >= MaxPageBytes)
            {
                last = LastKey(ordered[i - 1].Item, table, index);
                break;
            }

            var item = ordered[i].Item;
            scanned++;
            bytes += AttributeValues.Size(item);
            var view = index is null || (!index.Global && select is "ALL_ATTRIBUTES" or "SPECIFIC_ATTRIBUTES") ? item : index.Project(item, table);
            if (filter is null || filter(view))
            {
                items.Add(projection is null ? view.DeepClone() : DocumentProjection.Project(view, projection));
            }
        }

        var result = new JsonObject();
        if (select != "COUNT")
        {
            result["Items"] = items;
        }

        result["Count"] = items.Count;
        result["ScannedCount"] = scanned;
        if (last is not null)
        {
            result["LastEvaluatedKey"] = last;
        }

        Capacity(request, table, result, Math.Max(0.5, Math.Ceiling(bytes / 4096.0) / (request["ConsistentRead"]?.GetValue<bool>() == true ? 1 : 2)));
        return result;
    }

    /// <summary>A Query's key condition, checked against the key schema it queries, as DynamoDB checks it.</summary>
    private static List<KeyConditionPart> KeyConditionOf(JsonObject request, ExpressionContext context, DynamoDbTable table, string hash, string? range)
    {
        var text = request["KeyConditionExpression"]?.GetValue<string>()
            ?? throw DynamoDbException.Validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        var parts = ExpressionParser.KeyCondition(text, context);
        if (parts.Any(p => p.Attribute != hash && p.Attribute != range))
        {
            throw DynamoDbException.Validation("Query key condition not supported");
        }

        if (parts.GroupBy(p => p.Attribute, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            throw DynamoDbException.Validation("KeyConditionExpressions must only contain one condition per key");
        }

        var onHash = parts.FirstOrDefault(p => p.Attribute == hash) ?? throw DynamoDbException.Validation($"Query condition missed key schema element: {hash}");
        if (onHash.Operator != "=")
        {
            throw DynamoDbException.Validation("Query key condition not supported");
        }

        foreach (var part in parts)
        {
            var type = table.AttributeTypes[part.Attribute];
            if (part.Operator == "begins_with" && type == "N")
            {
                throw DynamoDbException.Validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
            }

            if (new[] { part.Value, part.Upper }.OfType<JsonObject>().Any(v => AttributeValues.TypeOf(v) != type))
            {
                throw DynamoDbException.Validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
            }

            if (part.Operator == "BETWEEN" && AttributeValues.Compare(part.Value, part.Upper!) > 0)
            {
                throw DynamoDbException.Validation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound");
            }
        }

        return parts;
    }

    private static string SelectOf(JsonObject request, SecondaryIndex? index, bool projected)
    {
        var select = request["Select"]?.GetValue<string>();
        if (select is not null && !SelectValues.Contains(select))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{select}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", SelectValues)}]");
        }

        if (projected && select is not (null or "SPECIFIC_ATTRIBUTES"))
        {
            throw DynamoDbException.Validation($"Cannot specify the ProjectionExpression when choosing to get {select}");
        }

        if (select == "SPECIFIC_ATTRIBUTES" && !projected)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression");
        }

        if (select == "ALL_PROJECTED_ATTRIBUTES" && index is null)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is supported only for index queries");
        }

        if (select == "ALL_ATTRIBUTES" && index is { Global: true, ProjectionType: not "ALL" })
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index {index.Name} because its projection type is not ALL");
        }

        return select ?? (projected ? "SPECIFIC_ATTRIBUTES" : index is null ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES");
    }

    private static (int Segment, int Total) Segments(JsonObject request)
    {
        var segment = request["Segment"]?.GetValue<int>();
        var total = request["TotalSegments"]?.GetValue<int>();
        if ((segment is null) != (total is null))
        {
            throw DynamoDbException.Validation(segment is null
                ? "The Segment parameter is required but was not present in the request when parameter TotalSegments is present"
                : "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
        }

        if (total is < 1 or > 1000000)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{total}' at 'totalSegments' failed to satisfy constraint: Member must have value {(total < 1 ? "greater than or equal to 1" : "less than or equal to 1000000")}");
        }

        if (segment is not null && (segment < 0 || segment >= total))
        {
            throw DynamoDbException.Validation($"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {segment} is not less than TotalSegments: {total}");
        }

        return (segment ?? 0, total ?? 1);
    }

    /// <summary>A scan segment by a stable hash of the partition key (FNV-1a), so every item is in exactly one segment.</summary>
    private static int SegmentOf(JsonNode partitionKey, int total)
    {
        var hash = 2166136261u;
        foreach (var c in partitionKey.ToJsonString())
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)total);
    }

    /// <summary>An item's place in a read: partition key, sort key, then the table's key (which breaks an index's ties).</summary>
    private static JsonNode?[] OrderOf(JsonObject item, DynamoDbTable table, string hash, string? range) =>
        [item[hash], range is null ? null : item[range], item[table.HashKey], table.RangeKey is null ? null : item[table.RangeKey]];

    private static int Compare(JsonNode?[] a, JsonNode?[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var order = (a[i], b[i]) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                var (x, y) => AttributeValues.Compare(x, y) ?? string.CompareOrdinal(x.ToJsonString(), y.ToJsonString()),
            };
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    /// <summary>An ExclusiveStartKey's place: it must hold exactly the table's key (and the index's, on an index).</summary>
    private static JsonNode?[] StartOrder(JsonObject startKey, DynamoDbTable table, SecondaryIndex? index, string hash, string? range)
    {
        var names = table.KeyNames.Concat(index?.KeyNames ?? []).Distinct(StringComparer.Ordinal).ToList();
        var validated = new JsonObject();
        foreach (var (name, value) in startKey)
        {
            validated[name] = AttributeValues.Validate(value, name);
        }

        if (validated.Count != names.Count || names.Any(n => !validated.ContainsKey(n) || AttributeValues.TypeOf(validated[n]!) != table.AttributeTypes[n]))
        {
            throw DynamoDbException.Validation("The provided starting key is invalid: The provided key element does not match the schema");
        }

        return OrderOf(validated, table, hash, range);
    }

    private static JsonObject LastKey(JsonObject item, DynamoDbTable table, SecondaryIndex? index)
    {
        var key = new JsonObject();
        foreach (var name in table.KeyNames.Concat(index?.KeyNames ?? []).Distinct(StringComparer.Ordinal))
        {
            key[name] = item[name]!.DeepClone();
        }

        return key;
    }
}
