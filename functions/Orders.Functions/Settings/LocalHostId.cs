using System.Security.Cryptography;
using System.Text;

namespace Orders.Functions.Settings;

/// <summary>
/// The Functions host id a local run (SQLite store or simulated domains, files in <c>Orders__DataDirectory</c>) must
/// have: derived from the data folder, so hosts on one folder share it and hosts on different folders never do.
/// <para>
/// The host keeps its timer locks (and timer schedules) in the storage account under the host id, so every timer is a
/// singleton among all hosts with that id on that account. Off App Service the host's default id is the machine name
/// and a hash of the app's folder: the same for every run of one build on one machine. Two local apps on one Azurite
/// (two test runs, a developer's app beside <c>./test.sh</c>'s) then share one <c>PumpChangeFeed</c>: only the host that
/// holds the lock pumps, its own folder's change log, and the other app's read models and relay do not move at all
/// (seen in <c>ScaleOutTests</c> under CI: every order DELIVERED, two never published and missing from the buyer's
/// list while the journeys' host held the lock). In Azure the id is the site name and the host refuses to start on a
/// collision; locally nothing checks it, so the app does (decision record 0020).
/// </para>
/// </summary>
public static class LocalHostId
{
    /// <summary>The host's own setting for its id (app setting <c>AzureFunctionsWebHost__hostid</c>).</summary>
    public const string Setting = "AzureFunctionsWebHost:hostid";

    private const string Prefix = "orders-";

    /// <summary>
    /// <c>orders-</c> and the first 20 hex digits of the SHA-256 of the data folder's full path: lowercase letters,
    /// digits and dashes, 27 characters (the host accepts at most 32).
    /// </summary>
    public static string For(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(full));
        return Prefix + Convert.ToHexStringLower(hash)[..20];
    }
}
