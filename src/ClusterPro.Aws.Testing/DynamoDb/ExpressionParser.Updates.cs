using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>Update expressions: <c>SET</c>, <c>REMOVE</c>, <c>ADD</c>, <c>DELETE</c>.</summary>
internal sealed partial class ExpressionParser
{
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
                            value = item => ExpressionFunctions.Arithmetic(left(item), right(item), sign);
                        }

                        plan.Add(path, (original, target) => path.Set(target, (JsonObject)(value(original) ?? throw DynamoDbException.Validation("The provided expression refers to an attribute that does not exist in the item")).DeepClone()));
                        break;
                    }

                    case "REMOVE":
                        plan.AddRemoval(path);
                        break;
                    case "ADD":
                    case "DELETE":
                    {
                        var operand = Operand();
                        var add = keyword == "ADD";
                        plan.Add(path, (original, target) => ExpressionFunctions.AddOrDelete(path, path.Get(original), operand(original), target, add));
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
}
