using AgentOrleans.Grains.Webhooks;

namespace AgentOrleans.Tests.Webhooks;

public sealed class WebhookSignerTests
{
    [Fact]
    public void TheSignatureMatchesTheStandardWebhooksTestVector()
    {
        // From the Standard Webhooks reference libraries' tests.
        var signature = WebhookSigner.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void AMessageIdIsTheSameForTheSameEventAndDiffersOtherwise()
    {
        Assert.Equal(WebhookSigner.MessageId("t/ex", 4), WebhookSigner.MessageId("t/ex", 4));
        Assert.NotEqual(WebhookSigner.MessageId("t/ex", 4), WebhookSigner.MessageId("t/ex", 5));
        Assert.NotEqual(WebhookSigner.MessageId("t/ex", 4), WebhookSigner.MessageId("u/ex", 4));
    }

    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false)]
    [InlineData("whsec_not base64!", false)]
    [InlineData("whsec_c2hvcnQ=", false)]
    public void ASecretIsWhsecAndEnoughBase64(string secret, bool valid) =>
        Assert.Equal(valid, WebhookSigner.TryReadSecret(secret, out _));

    [Fact]
    public void AGeneratedSecretIsReadableAndNewEachTime()
    {
        var one = WebhookSigner.NewSecret();

        Assert.True(WebhookSigner.TryReadSecret(one, out var key));
        Assert.Equal(32, key.Length);
        Assert.NotEqual(one, WebhookSigner.NewSecret());
    }
}
