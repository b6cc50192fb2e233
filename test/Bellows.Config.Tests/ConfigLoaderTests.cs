// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Text;

namespace Bellows.Config.Tests;

public partial class ConfigLoaderTests
{
    private const string FullFile = """
        {
          "listeners": [
            {
              "name": "edge_1",
              "mode": "redirect",
              "protocol": "udp",
              "port": 8080,
              "addresses": ["10.0.0.1", "fd00::1"],
              "acceptors": 2,
              "workers": 8,
              "acceptor_mode": "shared",
              "backlog": 512,
              "enabled": false,
              "nat": "none"
            },
            { "name": "tp", "mode": "tproxy", "port": 9090, "tls": "always" }
          ],
          "relay": {
            "nat": "none",
            "connect_timeout": 2.5,
            "idle_timeout": 600,
            "buffer_size": 16384,
            "upstream_mark": 4660,
            "no_delay": false
          },
          "udp": {
            "idle_timeout": 30.5,
            "port_idle_timeouts": { "53": 2, "123": 1 },
            "max_flows": 1000,
            "early_queue": 16
          },
          "dns": { "nameservers": ["10.0.0.53", "fd00::53"], "selection": "first-alive" },
          "tls": {
            "ca_dir": "/etc/bellows/ca",
            "certs_dir": "/etc/bellows/certs",
            "trust_bundle": "/etc/ssl/roots.pem",
            "extra_trust": "/etc/bellows/internal-ca.pem",
            "hello_timeout": 1.5,
            "handshake_timeout": 20,
            "cache_size": 500,
            "revocation_cache_time": 60,
            "verdict_cache_time": 30,
            "key_log": "/var/log/bellows/keys.log",
            "profile": {
              "mode": "bypass",
              "allow_untrusted_issuers": true,
              "allow_self_signed": true,
              "allow_invalid_certs": true,
              "on_failure": "warn",
              "override_duration": 3600,
              "override_scope": "certificate",
              "revocation": "hard-fail",
              "bypass_sni": ["Bank.Example", "*.health.example"],
              "non_tls": "drop"
            }
          },
          "limits": { "max_sessions": 5000, "handoff_queue": 64, "fd_reserve": 256 },
          "shutdown": { "drain": 0 },
          "logging": { "level": "debug", "session_log": false, "format": "json" },
          "management": { "socket": "" }
        }
        """;

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t\r\n")]
    [InlineData("{}")]
    [InlineData("// nothing here\n")]
    [InlineData("/* nothing */ // at all")]
    [InlineData("{ // empty\n }")]
    public void Parse_EmptyDocument_ReturnsDefaults(string text)
    {
        var result = ConfigText.Parse(text);

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
        Assert.Equal(BellowsConfig.Default, result.Config);
    }

    [Fact]
    public void Parse_FullFile_BindsEveryField()
    {
        var expected = new BellowsConfig
        {
            Listeners =
            [
                new ListenerConfig
                {
                    Name = "edge_1",
                    Mode = ListenerMode.Redirect,
                    Protocol = ListenerProtocol.Udp,
                    Port = 8080,
                    Addresses = ["10.0.0.1", "fd00::1"],
                    Acceptors = 2,
                    Workers = 8,
                    AcceptorMode = AcceptorMode.Shared,
                    Backlog = 512,
                    Enabled = false,
                    Nat = NatMode.None,
                },
                new ListenerConfig { Name = "tp", Mode = ListenerMode.Tproxy, Port = 9090, Tls = TlsListenerMode.Always },
            ],
            Relay = new RelayConfig
            {
                Nat = NatMode.None,
                ConnectTimeout = TimeSpan.FromMilliseconds(2500),
                IdleTimeout = TimeSpan.FromMinutes(10),
                BufferSize = 16384,
                UpstreamMark = 4660,
                NoDelay = false,
            },
            Udp = new UdpConfig
            {
                IdleTimeout = TimeSpan.FromMilliseconds(30_500),
                PortIdleTimeouts = new Dictionary<int, TimeSpan> { [123] = TimeSpan.FromSeconds(1), [53] = TimeSpan.FromSeconds(2) },
                MaxFlows = 1000,
                EarlyQueue = 16,
            },
            Dns = new DnsConfig { Nameservers = ["10.0.0.53", "fd00::53"], Selection = DnsSelection.FirstAlive },
            Tls = new TlsConfig
            {
                CaDirectory = "/etc/bellows/ca",
                CertificatesDirectory = "/etc/bellows/certs",
                TrustBundle = "/etc/ssl/roots.pem",
                ExtraTrust = "/etc/bellows/internal-ca.pem",
                HelloTimeout = TimeSpan.FromMilliseconds(1500),
                HandshakeTimeout = TimeSpan.FromSeconds(20),
                CacheSize = 500,
                RevocationCacheTime = TimeSpan.FromMinutes(1),
                VerdictCacheTime = TimeSpan.FromSeconds(30),
                KeyLog = "/var/log/bellows/keys.log",
                Profile = new TlsProfileConfig
                {
                    Mode = TlsInspectionMode.Bypass,
                    AllowUntrustedIssuers = true,
                    AllowSelfSigned = true,
                    AllowInvalidCerts = true,
                    OnFailure = TlsFailureAction.Warn,
                    OverrideDuration = TimeSpan.FromHours(1),
                    OverrideScope = TlsOverrideScope.Certificate,
                    Revocation = TlsRevocationMode.HardFail,
                    BypassSni = ["bank.example", "*.health.example"],
                    NonTls = NonTlsAction.Drop,
                },
            },
            Limits = new LimitsConfig { MaxSessions = 5000, HandoffQueue = 64, FdReserve = 256 },
            Shutdown = new ShutdownConfig { Drain = TimeSpan.Zero },
            Logging = new LoggingConfig { Level = "debug", SessionLog = false, Format = "json" },
            Management = new ManagementConfig { Socket = "" },
        };

        var config = ConfigText.Valid(FullFile);

        Assert.Equal(expected, config);
    }

    [Fact]
    public void Parse_FullFile_MovesEveryPropertyAwayFromItsDefault()
    {
        // Guards Parse_FullFile_BindsEveryField: a property added later must be added to FullFile too.
        var config = ConfigText.Valid(FullFile);
        var defaultListener = BellowsConfig.Default.Listeners[0];

        AssertAllDiffer(config.Relay, BellowsConfig.Default.Relay);
        AssertAllDiffer(config.Udp, BellowsConfig.Default.Udp, nameof(UdpConfig.PortIdleTimeouts));
        Assert.NotEqual(BellowsConfig.Default.Udp.PortIdleTimeouts, config.Udp.PortIdleTimeouts);
        AssertAllDiffer(config.Dns, BellowsConfig.Default.Dns, nameof(DnsConfig.Nameservers));
        Assert.NotEqual(BellowsConfig.Default.Dns.Nameservers, config.Dns.Nameservers);
        AssertAllDiffer(config.Tls, BellowsConfig.Default.Tls);
        AssertAllDiffer(config.Tls.Profile, BellowsConfig.Default.Tls.Profile, nameof(TlsProfileConfig.BypassSni));
        Assert.NotEqual(BellowsConfig.Default.Tls.Profile.BypassSni, config.Tls.Profile.BypassSni);
        Assert.NotEqual(new ListenerConfig { Name = "x", Mode = ListenerMode.Tproxy, Port = 1 }.Tls, config.Listeners[1].Tls);
        AssertAllDiffer(config.Limits, BellowsConfig.Default.Limits);
        AssertAllDiffer(config.Shutdown, BellowsConfig.Default.Shutdown);
        AssertAllDiffer(config.Logging, BellowsConfig.Default.Logging);
        AssertAllDiffer(config.Management, BellowsConfig.Default.Management);
        AssertAllDiffer(config.Listeners[0], defaultListener, nameof(ListenerConfig.Addresses));
        Assert.NotEqual(defaultListener.Addresses, config.Listeners[0].Addresses);
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAccepted()
    {
        const string text = """
            // line comment before the document
            {
              /* block comment
                 over lines */
              "relay": {
                "buffer_size": 8192, // trailing comment
                "no_delay": false,
              },
              "listeners": [
                { "name": "x", "mode": "redirect", "port": 3128, "addresses": ["127.0.0.1",], },
              ],
            }
            // and after it
            """;

        var config = ConfigText.Valid(text);

        Assert.Equal(8192, config.Relay.BufferSize);
        Assert.False(config.Relay.NoDelay);
        Assert.Equal(["127.0.0.1"], config.Listeners.Single().Addresses);
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("42", "a number")]
    [InlineData("\"relay\"", "a string")]
    [InlineData("null", "null")]
    public void Parse_TopLevelNotObject_ReportsRootError(string text, string found)
    {
        var error = ConfigText.SingleError(text);

        Assert.Equal((1, 1, "$"), (error.Line, error.Column, error.Key));
        Assert.Equal($"the top-level value must be an object, found {found}", error.Message);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsIgnored()
    {
        var config = ConfigText.Valid("\uFEFF{ \"shutdown\": { \"drain\": 1 } }");

        Assert.Equal(TimeSpan.FromSeconds(1), config.Shutdown.Drain);
    }

    [Fact]
    public void Parse_ErrorsAndWarnings_UseTheSourceName()
    {
        var result = ConfigLoader.Parse("{ \"version\": 1, \"relay\": 1 }", "/etc/bellows/bellows.jsonc");

        Assert.Equal("/etc/bellows/bellows.jsonc", Assert.Single(result.Errors).Source);
        Assert.Equal("/etc/bellows/bellows.jsonc", Assert.Single(result.Warnings).Source);
    }

    [Fact]
    public void LoadFile_MissingFile_ReportsOneErrorOnLineZero()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bellows-missing-{Guid.NewGuid():N}.jsonc");

        var result = ConfigLoader.LoadFile(path);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal((path, 0, 0, "$"), (error.Source, error.Line, error.Column, error.Key));
        Assert.StartsWith("cannot read the config file: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_Directory_ReportsOneErrorOnLineZero()
    {
        var result = ConfigLoader.LoadFile(Path.GetTempPath());

        Assert.Equal(0, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public void LoadFile_FileWithByteOrderMark_LoadsIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bellows-{Guid.NewGuid():N}.jsonc");
        File.WriteAllText(path, "{ \"logging\": { \"format\": \"json\" } }", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        try
        {
            var result = ConfigLoader.LoadFile(path);

            Assert.True(result.IsValid);
            Assert.Equal("json", result.Config.Logging.Format);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadFile_ShippedExample_IsValidAndEqualsTheDefaults()
    {
        var result = ConfigLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Assets", "bellows.example.jsonc"));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(BellowsConfig.Default, result.Config);
    }

    private static void AssertAllDiffer<T>(T actual, T defaults, params string[] except)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.GetIndexParameters().Length == 0 && !except.Contains(p.Name)))
        {
            Assert.False(
                Equals(property.GetValue(actual), property.GetValue(defaults)),
                $"{typeof(T).Name}.{property.Name} still has its default value in FullFile");
        }
    }
}
