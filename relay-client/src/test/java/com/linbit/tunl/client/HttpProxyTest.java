package com.linbit.tunl.client;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpProxyTest {

    @Test
    void parsesHostPortAndAnEncodedLogin() {
        assertThat(HttpProxy.parse("http://proxy.corp:8080")).isEqualTo(new HttpProxy("proxy.corp", 8080, null, null));
        assertThat(HttpProxy.parse("proxy.corp")).isEqualTo(new HttpProxy("proxy.corp", 3128, null, null));
        assertThat(HttpProxy.parse("http://me%40corp:p%3Ass@proxy.corp:3128/"))
                .isEqualTo(new HttpProxy("proxy.corp", 3128, "me@corp", "p:ss"));
        assertThatThrownBy(() -> HttpProxy.parse("socks5://proxy.corp:1080")).hasMessageContaining("only http:// proxies");
        assertThatThrownBy(() -> HttpProxy.parse("http://:3128")).hasMessageContaining("needs a host");
    }

    @Test
    void theEnvironmentChoosesTheProxyAndNoProxyExemptsTheRelay() {
        assertThat(HttpProxy.fromEnvironment(Map.of(), "tunl.linbit.com")).isEmpty();
        assertThat(HttpProxy.fromEnvironment(Map.of("HTTPS_PROXY", "http://p:1"), "tunl.linbit.com")).hasValue(new HttpProxy("p", 1, null, null));
        assertThat(HttpProxy.fromEnvironment(Map.of("https_proxy", "http://a:1", "HTTPS_PROXY", "http://b:2"), "tunl.linbit.com"))
                .as("lower case first, as curl does").hasValue(new HttpProxy("a", 1, null, null));
        assertThat(HttpProxy.fromEnvironment(Map.of("https_proxy", "http://p:1", "no_proxy", ".linbit.com"), "tunl.linbit.com")).isEmpty();
        assertThat(HttpProxy.fromEnvironment(Map.of("https_proxy", "http://p:1", "NO_PROXY", "linbit.com"), "tunl.linbit.com")).isEmpty();
        assertThat(HttpProxy.fromEnvironment(Map.of("https_proxy", "http://p:1", "no_proxy", "*"), "tunl.linbit.com")).isEmpty();
        assertThat(HttpProxy.fromEnvironment(Map.of("https_proxy", "http://p:1", "no_proxy", "tunl.linbit.com:443"), "tunl.linbit.com")).isEmpty();
        assertThat(HttpProxy.fromEnvironment(Map.of("https_proxy", "http://p:1", "no_proxy", "notlinbit.com,example.org"), "tunl.linbit.com"))
                .isPresent();
        assertThat(HttpProxy.fromEnvironment(Map.of("https_proxy", "http://p:1", "no_proxy", "bit.com"), "tunl.linbit.com"))
                .as("a suffix matches whole labels only").isPresent();
    }
}
