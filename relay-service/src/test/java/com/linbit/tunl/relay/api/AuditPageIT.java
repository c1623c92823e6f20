package com.linbit.tunl.relay.api;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.linbit.tunl.relay.support.RelayFixture;
import com.linbit.tunl.relay.support.TestRelay;
import com.linbit.tunl.testing.CustomerAgent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auditor page in a real browser (Debian's headless Chromium through its chromedriver): an
 * auditor logs in with the form, finds a session recorded in this test, and the bundled
 * asciinema-player renders what was typed in it.
 */
class AuditPageIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path temp;
    static RelayFixture fixture;
    static TestRelay relay;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
                .isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver").isExecutable();
        fixture = RelayFixture.start(temp);
        relay = fixture.relay();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void anAuditorLogsInFindsTheSessionAndWatchesWhatWasTyped() throws Exception {
        String id = recordASession();
        HttpResponse<String> created = relay.asAdmin("POST", "/api/admin/users", "application/json",
                "{\"username\":\"audrey\",\"password\":\"auditor-password-1\",\"role\":\"AUDITOR\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        browser = chromium();
        String base = "http://127.0.0.1:" + relay.httpPort();
        browser.get(base + "/audit/");
        try {
            await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().endsWith("/login"));
            browser.findElement(By.name("username")).sendKeys("audrey");
            browser.findElement(By.name("password")).sendKeys("auditor-password-1");
            browser.findElement(By.cssSelector("button[type=submit]")).click();

            await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().startsWith(base + "/audit/"));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.findElement(By.id("chain")).getText())
                    .startsWith("audit log intact: "));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.findElements(By.linkText(id))).hasSize(1));
            browser.findElement(By.linkText(id)).click();

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(browser.findElement(By.id("facts")).getText())
                    .contains("closed (customer)", "alice"));
            assertThat(browser.findElement(By.id("parts")).getText()).contains("intact");
            assertThat(browser.findElement(By.id("events")).getText()).contains("session-claimed", "session-closed");
            await().atMost(PATIENCE).until(() -> !browser.findElements(By.cssSelector("#player .ap-player")).isEmpty());
            browser.findElement(By.cssSelector("#player .ap-player")).click();
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                    browser.findElement(By.cssSelector("#player .ap-term-text")).getText())
                    .contains("echo typed-for-the-auditor-$((6*7))", "typed-for-the-auditor-42"));
            screenshot("AuditPageIT-session.png");
        } catch (AssertionError | RuntimeException e) {
            screenshot("AuditPageIT-failure.png");
            throw e;
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(relay.audit("recording-viewed")).contains("|audrey|"));
    }

    @Test
    void thePageNeedsALoginAndTheApiStillAnswersBasicAuthWithoutASession() {
        HttpResponse<String> page = relay.get("/audit/");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
        HttpResponse<String> api = relay.get("/api/audit/sessions", "admin", TestRelay.ADMIN_PASSWORD);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.headers().allValues("Set-Cookie")).as("the API creates no session").isEmpty();
        assertThat(relay.get("/audit/vendor/asciinema-player.min.js").statusCode()).as("only behind the login").isEqualTo(302);
    }

    /** Kept in target/ for a person to look at: what the browser showed. */
    private static void screenshot(String name) throws java.io.IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static String recordASession() {
        String id = fixture.ssh().ssh(fixture.aliceKey(), relay.sshPort(), "alice", "--", "create-session", "--case", "9001")
                .lines().get(0);
        try (CustomerAgent customer = CustomerAgent.start(temp.resolve("customer"), relay.sshPort(), fixture.caFile(), id)) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.chatPane()).contains("relay connected"));
            customer.typeInShell("echo typed-for-the-auditor-$((6*7))");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.shellPane()).contains("typed-for-the-auditor-42"));
            customer.press("C-b", "Q");
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(customer.terminal()).contains("AGENT-EXIT=0"));
        }
        await().atMost(PATIENCE).until(() -> relay.jdbc().sql("select count(*) from recording_file where session_id = ?")
                .param(id).query(Long.class).single() == 1);
        return id;
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root in a closed network: no sandbox, and none of Chromium's own calls home.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1600", "--user-data-dir=" + temp.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
