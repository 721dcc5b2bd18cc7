package org.escadrille.server.storage;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.escadrille.server.TestServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A real S3 server on loopback for a test class: s3proxy over a temporary directory, in a process of
 * its own, with signed requests (AWS signature v2 or v4) checked against one access key. Each test takes
 * a fresh bucket. Register it with {@code @RegisterExtension static final S3Server s3 = new S3Server();}.
 * Its own process keeps its libraries (an XML data format for Jackson) off the tests' classpath, where
 * Spring MVC would pick them up (the server module's pom, {@code s3-server-for-tests}).
 */
public final class S3Server implements BeforeAllCallback, AfterAllCallback {
    public static final String ACCESS_KEY = "escadrille-test";
    public static final String SECRET_KEY = "escadrille-test-secret";
    public static final String REGION = "us-east-1";
    private static final AtomicInteger buckets = new AtomicInteger();

    private Path directory;
    private Process process;
    private int port;
    private S3Client client;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("escadrille-s3");
        Path data = Files.createDirectories(directory.resolve("data"));
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var settings = new Properties();
        settings.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        settings.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        // The portal's pages send uploads straight to the bucket from another origin.
        settings.setProperty("s3proxy.cors-allow-all", "true");
        settings.setProperty("s3proxy.identity", ACCESS_KEY);
        settings.setProperty("s3proxy.credential", SECRET_KEY);
        settings.setProperty("jclouds.provider", "filesystem-nio2");
        settings.setProperty("jclouds.filesystem.basedir", data.toString());
        settings.setProperty("jclouds.identity", "unused");
        settings.setProperty("jclouds.credential", "unused");
        Path file = directory.resolve("s3proxy.properties");
        try (var out = Files.newOutputStream(file)) {
            settings.store(out, "the S3 server of a test");
        }
        Path logging = directory.resolve("logback.xml");
        Files.writeString(logging, """
                <configuration><appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d %-5level %logger{20} %msg%n</pattern></encoder></appender>
                <root level="WARN"><appender-ref ref="out"/></root></configuration>""");
        process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlogback.configurationFile=" + logging, "-cp", classpath(), "org.gaul.s3proxy.Main", "--properties", file.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("s3proxy.log").toFile()).start();
        client = client(ACCESS_KEY, SECRET_KEY);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited: " + Files.readString(directory.resolve("s3proxy.log")));
            }
            try (var probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** The tests' classpath and the S3 server's own jars (target/s3proxy-lib). */
    private static String classpath() throws IOException {
        String tests = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        var entries = new StringJoiner(File.pathSeparator);
        entries.add(tests);
        try (var jars = Files.list(Path.of("target", "s3proxy-lib"))) {
            jars.forEach(jar -> entries.add(jar.toAbsolutePath().toString()));
        }
        return entries.toString();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (client != null) {
            client.close();
        }
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        FileSystemUtils.deleteRecursively(directory);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client of this server, path-style, with the given credentials. */
    public S3Client client(String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public S3Client client() {
        return client;
    }

    /** A signer of URLs for this server, path-style. */
    public S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** A test server (without pilots unless asked) whose storage is {@code bucket} under the prefix {@code gateway/}. */
    public TestServer.Builder server(String bucket, String secretKey) {
        return TestServer.builder().pilots(false)
                .property("escadrille.storage.kind", "s3")
                .property("escadrille.storage.s3.endpoint", endpoint().toString())
                .property("escadrille.storage.s3.region", REGION)
                .property("escadrille.storage.s3.bucket", bucket)
                .property("escadrille.storage.s3.prefix", "gateway")
                .property("escadrille.storage.s3.path-style", "true")
                .property("escadrille.storage.s3.access-key", ACCESS_KEY)
                .property("escadrille.storage.s3.secret-key", secretKey);
    }

    /** A new, empty bucket. */
    public String newBucket() {
        String bucket = "bucket-" + buckets.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

}
