using AgentOrleans.Grains.Http;

namespace AgentOrleans.Tests.Http;

/// <summary>What messages may say of a URL: no query, fragment or user info, also in text that is not a valid URL.</summary>
public class RedactedUrlTests
{
    [Theory]
    [InlineData("https://api.example.com/v1/orders?api_key=k-1", "https://api.example.com/v1/orders")]
    [InlineData("https://user:pass@api.example.com:8443/v1#frag", "https://api.example.com:8443/v1")]
    [InlineData("https://api.example.com/v1/${{ secrets.HOOK }}?a=1", "https://api.example.com/v1/${{ secrets.HOOK }}")]
    [InlineData("http://a@b@host/p@q", "http://host/p@q")]
    [InlineData("not a url?token=x", "not a url")]
    [InlineData("https://api.example.com", "https://api.example.com")]
    public void TheQueryFragmentAndUserInfoAreDropped(string url, string named) => Assert.Equal(named, RedactedUrl.Of(url));
}
