package dev.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.TestGatehouse;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files named in the configuration (certificate made by openssl, a real peer). */
class TlsTest {
    @TempDir
    Path tmp;

    @Test
    void servesHttpsFromPemFilesAndOnlyHttps() throws Exception {
        Path cert = tmp.resolve("tls.crt");
        Path key = tmp.resolve("tls.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String opensslOutput = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor()).as(opensslOutput).isZero();

        try (TestGatehouse server = TestGatehouse.start(tmp.resolve("data"), null,
                Map.of("server.tls.certFile", cert.toString(), "server.tls.keyFile", key.toString()))) {
            int port = server.gatehouse().port();
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).startsWith("TLSv1."));

            // Plain HTTP on the TLS port is not served, and an untrusting client refuses the self-signed certificate.
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    private static SSLContext trusting(Path certFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certFile)) {
            trust.setCertificateEntry("gatehouse", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
