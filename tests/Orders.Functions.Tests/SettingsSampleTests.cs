using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker;
using Orders.Application.Jobs;
using Orders.Functions.Settings;
using Orders.Functions.Tests.Support;

namespace Orders.Functions.Tests;

/// <summary>
/// local.settings.sample.json lists every setting the function app needs (infra provisions what it lists): the keys
/// the code reads, the %...% binding expressions of its triggers, its trigger connections and host.json's placeholders.
/// </summary>
public sealed partial class SettingsSampleTests
{
    [Fact]
    public void EverySettingTheAppNeeds_IsInTheSample()
    {
        var missing = SettingsCatalog.Missing(SettingsCatalog.All(), Repo.SampleValues());

        Assert.True(missing.Count == 0, "Missing from local.settings.sample.json: " + string.Join(", ", missing.Select(m => $"{m.AppSetting} (for {m.Source})")));
    }

    [Theory]
    [InlineData("Jobs__ChangeFeed__Schedule")]          // a timer's %...% expression (compiled attribute)
    [InlineData("ServiceBus__InboundSubscription")]     // the Service Bus trigger's (source compiled only with ServiceBusTriggers=true)
    [InlineData("ServiceBusConnection")]                // its connection
    [InlineData("DurableTaskHubName")]                  // host.json
    [InlineData("CosmosDb__Endpoint")]                  // read by the code
    public void TheCatalog_FindsEachKindOfNeed(string appSetting) =>
        Assert.Contains(SettingsCatalog.All(), n => n.AppSetting == appSetting);

    [Fact]
    public void ASampleWithoutASetting_IsCaught()
    {
        var values = Repo.SampleValues().Where(p => p.Key != "Jobs__Reconcile__Schedule").ToDictionary(p => p.Key, p => p.Value);

        var missing = SettingsCatalog.Missing(SettingsCatalog.All(), values);

        Assert.Equal("Jobs__Reconcile__Schedule", Assert.Single(missing).AppSetting);
    }

    [Fact]
    public void AConnectionIsSatisfiedByItsIdentityBasedForm_AndCaughtWithoutIt()
    {
        var needs = SettingsCatalog.All().Where(n => n.IsConnection).ToList();
        Assert.NotEmpty(needs);
        var withIdentity = new Dictionary<string, string> { ["ServiceBusConnection__fullyQualifiedNamespace"] = "ns.servicebus.windows.net" };

        Assert.Empty(SettingsCatalog.Missing(needs, withIdentity));
        Assert.Equal(needs.Count, SettingsCatalog.Missing(needs, new Dictionary<string, string>()).Count);
    }

    [Fact]
    public void BindingExpressions_UseColons_BecauseTheHostCannotResolveDoubleUnderscores()
    {
        var schedules = typeof(AppSettings).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .SelectMany(p => p.GetCustomAttributes(typeof(TimerTriggerAttribute), false).Cast<TimerTriggerAttribute>())
            .Select(t => t.Schedule)
            .ToList();
        var keys = typeof(AppSettings).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

        Assert.Equal(JobSchedules.All.Count, schedules.Count);
        Assert.All(schedules, s => Assert.Matches("^%[A-Za-z:]+%$", s));
        Assert.All(keys, k => Assert.DoesNotContain("__", k, StringComparison.Ordinal));
    }

    [Fact]
    public void TheCodeReadsConfigurationOnlyThroughAppSettings()
    {
        // Any configuration read elsewhere would escape the sample check above.
        var offenders = Repo.FunctionAppSources()
            .Where(f => !f.EndsWith("AppSettings.cs", StringComparison.Ordinal))
            .SelectMany(f => DirectRead().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();

        Assert.True(offenders.Count == 0, "Configuration read without AppSettings: " + string.Join("; ", offenders));
    }

    [Fact]
    public void LocalOnlySettings_AreNotInTheSample_AndTheReadmeSaysWhenToAddThem()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.FunctionApp, "README.md"));

        Assert.All(AppSettings.LocalOnly, key =>
        {
            Assert.DoesNotContain(AppSettings.AppSettingName(key), Repo.SampleValues().Keys);
            Assert.Contains(AppSettings.AppSettingName(key), readme, StringComparison.Ordinal);
        });
    }

    // configuration["literal"], GetSection("..."), GetValue<T>("..."), Bind("...") with a string literal.
    [GeneratedRegex("""(configuration|Configuration)\s*(\[\s*"|\.GetSection\(\s*"|\.GetValue<[^>]+>\(\s*"|\.Bind\(\s*")""")]
    private static partial Regex DirectRead();
}
