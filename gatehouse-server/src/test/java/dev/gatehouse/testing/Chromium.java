package dev.gatehouse.testing;

import java.io.File;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium driven by Selenium through Debian's chromedriver: the system binaries, so nothing is
 * downloaded at test time and nothing reaches the network ({@code .ci/run} installs both when missing).
 * {@code -Dgatehouse.test.chromium=…} and {@code -Dgatehouse.test.chromedriver=…} point elsewhere.
 */
public final class Chromium {
    public static final String BINARY = System.getProperty("gatehouse.test.chromium", "/usr/bin/chromium");
    public static final String DRIVER = System.getProperty("gatehouse.test.chromedriver", "/usr/bin/chromedriver");

    private Chromium() {}

    public static ChromeDriver start(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }
}
