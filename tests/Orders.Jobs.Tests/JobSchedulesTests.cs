using System.Text.Json;
using Cronos;
using Orders.Application.Jobs;

namespace Orders.Jobs.Tests;

/// <summary>
/// The schedules are six-field NCRONTAB with seconds, as the Functions timer trigger reads them; the local host parses
/// them with Cronos (<see cref="CronFormat.IncludeSeconds"/>). These tests parse the sample settings the same way.
/// </summary>
public sealed class JobSchedulesTests
{
    private static readonly DateTime From = new(2026, 1, 1, 12, 3, 7, DateTimeKind.Utc);

    public static TheoryData<string, DateTime, DateTime> Occurrences => new()
    {
        // setting, first occurrence after 12:03:07, the one after that
        { JobSchedules.AutoCancelUnpaid.Setting, Utc(12, 5, 0), Utc(12, 10, 0) },
        { JobSchedules.DetectStuck.Setting, Utc(12, 15, 0), Utc(12, 30, 0) },
        { JobSchedules.Reconcile.Setting, Utc(13, 0, 0), Utc(14, 0, 0) },
        { JobSchedules.ChangeFeed.Setting, Utc(12, 3, 8), Utc(12, 3, 9) },
    };

    [Theory, MemberData(nameof(Occurrences))]
    public void TheSampleScheduleParsesWithSeconds_AndFiresWhenExpected(string setting, DateTime first, DateTime second)
    {
        var cron = CronExpression.Parse(SampleSettings()[setting], CronFormat.IncludeSeconds);

        var next = cron.GetNextOccurrence(From);

        Assert.Equal(first, next);
        Assert.Equal(second, cron.GetNextOccurrence(next!.Value));
    }

    [Fact]
    public void EverySettingIsInTheSampleWithItsDefault()
    {
        var sample = SampleSettings();

        Assert.All(JobSchedules.All, s => Assert.Equal(s.Default, sample[s.Setting]));
    }

    [Fact]
    public void TheThreeSpellingsNameOneSetting()
    {
        Assert.All(JobSchedules.All, s =>
        {
            Assert.Equal(s.Setting.Replace("__", ":", StringComparison.Ordinal), s.ConfigurationKey);
            Assert.Equal($"%{s.ConfigurationKey}%", s.TimerExpression);
            Assert.DoesNotContain("__", s.TimerExpression, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void AFiveFieldExpressionIsRefusedInTheSecondsFormat()
    {
        Assert.Throws<CronFormatException>(() => CronExpression.Parse("*/5 * * * *", CronFormat.IncludeSeconds));
    }

    private static DateTime Utc(int hour, int minute, int second) => new(2026, 1, 1, hour, minute, second, DateTimeKind.Utc);

    private static Dictionary<string, string> SampleSettings()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "local.settings.sample.json"))) directory = directory.Parent;
        Assert.NotNull(directory);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.FullName, "local.settings.sample.json")));
        return json.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }
}
