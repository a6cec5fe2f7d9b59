namespace ClusterPro.Aws.Dns;

/// <summary>Record name form: Route 53 names are case-insensitive and end with a dot.</summary>
public static class RecordNames
{
    /// <summary>Lower-cases a name and adds the trailing dot.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The normalised name.</returns>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var n = name.Trim().ToLowerInvariant();
        return n.EndsWith('.') ? n : n + ".";
    }

    /// <summary>Why a record name is malformed, or null when it is fine.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The problem.</returns>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is empty; set the record name, e.g. srv.hz1.local.";
        }

        var n = Normalize(name);
        if (n.Length > 254)
        {
            return $"is '{name}', longer than 253 characters; use a shorter name.";
        }

        var labels = n.TrimEnd('.').Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Length == 0)
            {
                return $"is '{name}', which has an empty label (two dots in a row, or a leading dot); write it like srv.hz1.local.";
            }

            if (label.Length > 63)
            {
                return $"is '{name}', whose label '{label}' is longer than 63 characters.";
            }

            if (!(i == 0 && label == "*") && !label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return $"is '{name}', which has characters a DNS name cannot hold in '{label}'; use letters, digits and hyphens, e.g. srv.hz1.local.";
            }
        }

        return labels.Length < 2 ? $"is '{name}', a single label; use the full name inside the hosted zone, e.g. srv.hz1.local." : null;
    }
}
