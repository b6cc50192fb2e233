// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Internal;

namespace Bellows.Tls.Certificates;

/// <summary>
/// Mints a look-alike of the real server certificate, issued by the <see cref="CertificateAuthority"/>.
/// </summary>
/// <remarks>
/// <para>
/// Copied: the subject DN and the DNS and IP SANs (as Smithproxy's <c>create_csr_from</c>); added: the SNI, or
/// the target address when there is no SNI, when the real certificate does not cover it. Not copied: validity,
/// serial, key, other extensions.
/// </para>
/// <para>
/// Every minted certificate gets its own ECDSA P-256 key. Smithproxy shares one server key across all spoofed
/// certificates; a fresh key costs well under a millisecond (see docs/tls.md for the measured figures) and
/// means no two inspected sites share key material; a <see cref="MintingKeyPool"/> makes those keys ahead of need,
/// off the first connection's path. The certificate is returned bound to its key with
/// <see cref="ECDsaCertificateExtensions.CopyWithPrivateKey"/>, which SslStream on Linux accepts directly (no
/// PKCS#12 round trip: that is only needed for SChannel on Windows).
/// </para>
/// </remarks>
public sealed class CertificateMinter
{
    /// <summary>notBefore is backdated by this much so that clients with a slow clock accept the certificate.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromDays(1);

    /// <summary>The CA/Browser Forum limit on TLS server certificate lifetime (Apple and Chrome enforce it).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(397);

    /// <summary>A minted certificate is valid for at least this long, even when the real one is about to expire.</summary>
    public static readonly TimeSpan MinLifetime = TimeSpan.FromDays(1);

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const int SerialLength = 16;

    // The fixed extensions are encoded once and shared (an extension is only read when the request is signed).
    private static readonly X509BasicConstraintsExtension s_basicConstraints = new(
        certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true);

    private static readonly X509KeyUsageExtension s_keyUsage = new(X509KeyUsageFlags.DigitalSignature, critical: true);

    private static readonly X509EnhancedKeyUsageExtension s_serverAuth = new([new Oid(ServerAuthOid)], critical: false);

    private readonly TimeProvider _time;
    private readonly X509AuthorityKeyIdentifierExtension _authorityKeyId;
    private readonly MintingKeyPool? _keys;

    /// <param name="keys">Keys generated ahead of need (the caller owns the pool); null: each mint generates its own.</param>
    public CertificateMinter(CertificateAuthority authority, TimeProvider? timeProvider = null, MintingKeyPool? keys = null)
    {
        ArgumentNullException.ThrowIfNull(authority);
        Authority = authority;
        _time = timeProvider ?? TimeProvider.System;
        _keys = keys;
        _authorityKeyId = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(authority.SubjectKeyIdentifier.Span);
    }

    public CertificateAuthority Authority { get; }

    /// <summary>Mints a certificate for a connection: see <see cref="CertificateTemplate.FromUpstream"/>.</summary>
    public X509Certificate2 Mint(X509Certificate2 upstream, string? serverName, IPAddress? targetAddress, bool selfSigned = false) =>
        Mint(CertificateTemplate.FromUpstream(upstream, serverName, targetAddress, selfSigned));

    /// <summary>Mints a certificate from a template; the result carries its private key.</summary>
    public X509Certificate2 Mint(CertificateTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        using var key = _keys?.Take() ?? MintingKeyPool.CreateKey();
        var hash = template.SelfSigned ? HashAlgorithmName.SHA256 : Authority.SignatureHash;
        var request = new CertificateRequest(template.Subject, key, hash);
        var extensions = request.CertificateExtensions;
        extensions.Add(s_basicConstraints);
        extensions.Add(s_keyUsage);
        extensions.Add(s_serverAuth);
        extensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (!template.SelfSigned)
        {
            extensions.Add(_authorityKeyId);
        }

        // RFC 5280 4.2.1.6: with an empty subject the SAN extension must be critical.
        bool emptySubject = template.Subject.RawData.Length <= 2;
        extensions.Add(SubjectAltNames.Build(template.AllDnsNames(), template.AllIPAddresses(), critical: emptySubject));

        var (notBefore, notAfter) = ComputeValidity(template.UpstreamNotAfter);
        byte[] serial = NewSerialNumber();
        if (template.SelfSigned)
        {
            using var selfSigned = request.Create(template.Subject, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, serial);
            return selfSigned.CopyWithPrivateKey(key);
        }

        using var issued = Authority.Sign(request, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// notBefore = now - 1 day (never before the CA's); notAfter = min(real notAfter, now + 397 days), at least
    /// now + 1 day, and never after the CA's notAfter.
    /// </summary>
    internal (DateTimeOffset NotBefore, DateTimeOffset NotAfter) ComputeValidity(DateTimeOffset upstreamNotAfter)
    {
        var now = _time.GetUtcNow();
        var caNotBefore = new DateTimeOffset(Authority.Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var caNotAfter = new DateTimeOffset(Authority.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = Max(now - Backdate, caNotBefore);
        var notAfter = Max(Min(upstreamNotAfter, now + MaxLifetime), now + MinLifetime);
        notAfter = Min(notAfter, caNotAfter);

        // X.509 times have one-second resolution; truncate so the encoded values are exactly these.
        return (Truncate(notBefore), Truncate(notAfter));
    }

    /// <summary>16 random bytes, positive (top bit clear) and never starting with a zero byte, so always 16 octets in DER.</summary>
    private static byte[] NewSerialNumber()
    {
        byte[] serial = new byte[SerialLength];
        RandomNumberGenerator.Fill(serial);
        serial[0] = (byte)((serial[0] & 0x7f) | 0x01);
        return serial;
    }

    private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
