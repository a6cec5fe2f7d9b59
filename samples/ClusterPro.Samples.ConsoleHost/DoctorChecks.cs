using Amazon.Runtime;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// Runs doctor's checks in order and prints one line each: PASS, WARN, FAIL (with its fix) or SKIP. A check names what
/// it needs (<c>aws</c>: working credentials; <c>eni:…</c>, <c>vpc:…</c>: an ID found) and what it establishes; when
/// something it needs has failed, it is not run and says which check it waits for, so the first finding stays the
/// finding instead of drowning in errors that only repeat it.
/// </summary>
internal sealed class DoctorChecks(TextWriter output)
{
    /// <summary>What every AWS check needs: the credentials check passed (or failed only for want of its own permission).</summary>
    public const string Aws = "aws";

    private readonly Dictionary<string, string> _failed = new(StringComparer.Ordinal);

    public int Failures { get; private set; }

    public int Skipped { get; private set; }

    public void Line(string verdict, string what, string detail = "")
    {
        Failures += verdict == "FAIL" ? 1 : 0;
        Skipped += verdict == "SKIP" ? 1 : 0;
        output.WriteLine($"{verdict} {what}{(detail.Length > 0 ? " — " + detail : string.Empty)}");
    }

    /// <summary>The check that failed on one of <paramref name="needs"/>, or <see langword="null"/> when each is fine so far.</summary>
    public string? Blocker(IEnumerable<string> needs) => needs.Select(n => _failed.GetValueOrDefault(n)).FirstOrDefault(b => b is not null);

    /// <summary>Marks <paramref name="keys"/> as failed by <paramref name="what"/>: later checks that need them are skipped.</summary>
    public void Block(string what, params IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            _failed.TryAdd(key, what);
        }
    }

    /// <summary>A SKIP line when something <paramref name="needs"/> names has failed; true when skipped.</summary>
    public bool SkipIfBlocked(string what, IEnumerable<string> needs)
    {
        if (Blocker(needs) is not { } blocker)
        {
            return false;
        }

        Line("SKIP", what, $"skipped because '{blocker}' failed");
        return true;
    }

    /// <summary>
    /// Runs one check unless something it needs has failed. A finding (<see cref="DoctorFailure"/>) is a FAIL with its fix;
    /// an AWS refusal is a FAIL whose fix fits the code: a missing ID blocks the checks on that ID, a denied permission
    /// names the permission and blocks nothing else. True when the check passed.
    /// </summary>
    public async Task<bool> RunAsync(string what, IReadOnlyList<string> needs, IReadOnlyList<string> provides, Func<Task<string>> check)
    {
        if (SkipIfBlocked(what, needs.Concat(provides)))
        {
            return false;
        }

        try
        {
            Line("PASS", what, await check());
            return true;
        }
        catch (DoctorFailure ex)
        {
            Line("FAIL", what, ex.Message);
            if (ex.BlocksDependents)
            {
                Block(what, provides);
            }
        }
        catch (AmazonServiceException ex) when (Denied(ex.ErrorCode))
        {
            Line("FAIL", what, $"{ex.ErrorCode}: {ex.Message} Fix: grant the permission to this node's role (see 'iam-policy').");
        }
        catch (AmazonServiceException ex) when (NotFound(ex.ErrorCode))
        {
            Line("FAIL", what, $"{ex.ErrorCode}: {ex.Message} Fix: correct the ID in the configuration (and the region, AWS:Region).");
            var named = provides.Where(p => ex.Message.Contains(p[(p.IndexOf(':', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal)).ToList();
            Block(what, named.Count > 0 ? named : provides);
        }
        catch (AmazonServiceException ex)
        {
            Line("FAIL", what, $"{ex.ErrorCode}: {ex.Message} Fix: check the ID in the configuration and this node's permissions (see 'iam-policy').");
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or InvalidOperationException)
        {
            Line("FAIL", what, ex.Message);
        }

        return false;
    }

    /// <summary>An IAM refusal, in any service's words.</summary>
    public static bool Denied(string? code) => code is "UnauthorizedOperation" or "AccessDenied" or "AccessDeniedException";

    /// <summary>An ID that does not exist (EC2 <c>….NotFound</c>, Route 53 <c>NoSuch…</c>, DynamoDB <c>ResourceNotFoundException</c>).</summary>
    public static bool NotFound(string? code) =>
        code is not null && (code.EndsWith(".NotFound", StringComparison.Ordinal) || code.StartsWith("NoSuch", StringComparison.Ordinal) || code == "ResourceNotFoundException");
}
