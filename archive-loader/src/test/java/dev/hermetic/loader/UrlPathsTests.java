package dev.hermetic.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPathsTests {

    @Test
    void encodeWhenNameHasSpacesThenPercent20() {
        assertThat(UrlPaths.encode("dir with space/a b.txt")).isEqualTo("dir%20with%20space/a%20b.txt");
    }

    @Test
    void encodeWhenNameHasPercentThenPercent25() {
        assertThat(UrlPaths.encode("100%/a%20b")).isEqualTo("100%25/a%2520b");
    }

    @Test
    void encodeWhenNameIsNonAsciiThenPercentEncodedUtf8() {
        assertThat(UrlPaths.encode("r\u00e9sum\u00e9/\u65e5\u672c.txt"))
                .isEqualTo("r%C3%A9sum%C3%A9/%E6%97%A5%E6%9C%AC.txt");
        assertThat(UrlPaths.encode("\uD83D\uDE00")).isEqualTo("%F0%9F%98%80");
    }

    @Test
    void encodeWhenNameHasUrlDelimitersThenTheyAreEncoded() {
        assertThat(UrlPaths.encode("a#b?c\"d<e>f\\g")).isEqualTo("a%23b%3Fc%22d%3Ce%3Ef%5Cg");
    }

    @Test
    void encodeWhenNameIsPlainThenTheSameString() {
        String plain = "com/example/Main$Inner-1_x~y.class";

        assertThat(UrlPaths.encode(plain)).isSameAs(plain);
        assertThat(UrlPaths.encode("")).isEmpty();
    }

    @Test
    void decodeWhenPathHasNoPercentThenTheSameString() {
        String plain = "com/example/a+b.txt";

        assertThat(UrlPaths.decode(plain)).isSameAs(plain);
    }

    @Test
    void decodeWhenPathIsEncodedThenOriginalName() {
        assertThat(UrlPaths.decode("dir%20with%20space/r%C3%A9sum%c3%a9%25.txt")).isEqualTo("dir with space/r\u00e9sum\u00e9%.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "%", "%%20", "50% off/x.txt", "r\u00e9sum\u00e9 \u65e5\u672c.txt", "\uD83D\uDE00 smile",
            "a+b=c;d,e@f:g$h&i", "\u00fcber/\u00df", "trailing%2", "#hash?query"})
    void encodeWhenDecodedThenRoundTrip(String name) {
        String encoded = UrlPaths.encode(name);

        assertThat(UrlPaths.decode(encoded)).isEqualTo(name);
        assertThat(encoded).matches("[A-Za-z0-9%\\-._~/$&+,;=:@]*");
        // what the JDK decodes from a URI is the name again
        assertThat(URI.create("file:/x/" + encoded).getPath()).isEqualTo("/x/" + name);
    }
}
