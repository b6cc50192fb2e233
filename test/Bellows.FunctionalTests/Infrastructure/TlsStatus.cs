// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Text.Json;
using Bellows.Proxy.Management;

namespace Bellows.FunctionalTests.Infrastructure;

/// <summary>
/// TLS counters from the raw status JSON (`bellows status`): read by name, so these tests do not depend on the
/// typed status record gaining TLS fields.
/// </summary>
internal static class TlsStatus
{
    /// <summary>The key the lead announced for the minted-certificate counter.</summary>
    public const string MintedKey = "tls.certificates_minted";

    public static Task<string> ReadJsonAsync(LabFixture fixture) =>
        ManagementClient.SendAsync(fixture.Bellows.ManagementSocket, "status");

    /// <summary>A counter of the status JSON's <c>tls</c> object (<c>hello_errors</c>, <c>blocked</c>, ...); fails the test, showing the JSON, when it is missing.</summary>
    public static async Task<long> CounterAsync(LabFixture fixture, string name)
    {
        string json = await ReadJsonAsync(fixture);
        using var document = JsonDocument.Parse(json);
        bool found = document.RootElement.TryGetProperty("tls", out var tls) && tls.ValueKind == JsonValueKind.Object
            && tls.TryGetProperty(name, out var counter) && counter.TryGetInt64(out _);
        Assert.True(found, $"the status JSON has no tls.{name} counter:\n{json}");
        return tls.GetProperty(name).GetInt64();
    }

    /// <summary>
    /// <c>tls.certificates_minted</c>; failing that, any <c>certificates_minted</c> anywhere in the status (summed
    /// over listeners, say). Fails the test, showing the JSON, when there is none.
    /// </summary>
    public static async Task<long> CertificatesMintedAsync(LabFixture fixture)
    {
        string json = await ReadJsonAsync(fixture);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("tls", out var tls) && tls.ValueKind == JsonValueKind.Object
            && tls.TryGetProperty("certificates_minted", out var minted) && minted.TryGetInt64(out long value))
        {
            return value;
        }

        var found = new List<long>();
        Collect(root, found);
        Assert.True(found.Count > 0, $"the status JSON has no {MintedKey} counter (nor any certificates_minted):\n{json}");
        return found.Sum();
    }

    private static void Collect(JsonElement element, List<long> found)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals("certificates_minted") && property.Value.TryGetInt64(out long value))
                {
                    found.Add(value);
                }
                else
                {
                    Collect(property.Value, found);
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Collect(item, found);
            }
        }
    }
}
