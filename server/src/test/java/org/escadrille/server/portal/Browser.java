package org.escadrille.server.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through Debian's chromedriver, both named explicitly so that Selenium never
 * looks for (or downloads) a browser. Without {@code /usr/bin/chromedriver} the tests using it are
 * skipped with the reason; {@code .ci/run} installs it.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    private Browser(ChromeDriver driver, Path profile, String baseUrl) {
        this.driver = driver;
        this.profile = profile;
        this.baseUrl = baseUrl;
    }

    /** Skips the calling test class unless Debian's chromium and chromedriver are installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "browser tests skipped: " + CHROMEDRIVER + " or " + CHROMIUM + " is missing "
                        + "(apt-get install chromium chromium-driver; .ci/run does it)");
    }

    static Browser open(String baseUrl) {
        assumeInstalled();
        try {
            Path profile = Files.createTempDirectory("escadrille-chromium-");
            var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            var options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1280,800", "--user-data-dir=" + profile);
            var browser = new Browser(new ChromeDriver(service, options), profile, baseUrl);
            browser.viewport(1280, 800);
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sizes the window so that the page itself gets {@code width} x {@code height} (the window's frame aside). */
    void viewport(int width, int height) {
        var window = driver.manage().window();
        var inner = (List<?>) driver.executeScript("return [window.innerWidth, window.innerHeight]");
        var outer = window.getSize();
        window.setSize(new Dimension(width + outer.getWidth() - ((Number) inner.get(0)).intValue(),
                height + outer.getHeight() - ((Number) inner.get(1)).intValue()));
    }

    WebDriver driver() {
        return driver;
    }

    void go(String path) {
        driver.get(baseUrl + path);
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits (polling the page) until the condition holds; at most {@code seconds}. */
    <T> T await(int seconds, Function<WebDriver, T> condition) {
        var wait = new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
        // live parts are swapped in while we look: an element found a moment ago may be gone
        wait.ignoring(StaleElementReferenceException.class);
        return wait.until(condition);
    }

    WebElement awaitVisible(String css) {
        return await(10, ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /**
     * Waits until an element matching {@code css} shows {@code text}, and answers its whole text. The page that
     * was there before a click may hold a matching element too (the previous notice): reading it at once races
     * with the navigation and may read the old page or a stale element.
     */
    String awaitText(String css, String text) {
        // Read in one script, in the page as it is: element handles taken from the page before a navigation
        // can fail in more ways than "stale" (chromedriver: "Node ... does not belong to the document").
        return await(10, d -> {
            try {
                @SuppressWarnings("unchecked")
                var shown = (List<String>) ((JavascriptExecutor) d).executeScript(
                        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText);", css);
                return shown.stream().filter(t -> t.contains(text)).findFirst().orElse(null);
            } catch (WebDriverException navigating) {
                return null; // the page changed while the script ran: look again
            }
        });
    }

    Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** Fetches a URL with the browser's session (cookies), answering "status\nbody". */
    String fetch(String url) {
        return (String) ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {credentials: 'same-origin'})
                    .then(r => r.text().then(t => done(r.status + '\\n' + t)))
                    .catch(e => done('error\\n' + e));""", url);
    }

    void signIn(String username, String password) {
        driver.manage().deleteAllCookies();
        go("/login");
        find("#username").clear();
        find("#username").sendKeys(username);
        find("#password").sendKeys(password);
        find("form[action='/login'] button[type=submit]").click();
        await(10, d -> !path().equals("/login"));
    }

    byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
